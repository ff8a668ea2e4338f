package scenario

import (
	"testing"

	. "github.com/onsi/gomega"
)

func TestExpand(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"plain", "plain", ""},
		{"${WXSIM_TOKEN}", "scenarioTestToken", ""},
		{"a-${WXSIM_TOKEN}-b", "a-scenarioTestToken-b", ""},
		{"${UNSET:-fallback}", "fallback", ""},
		{"${EMPTY:-fallback}", "fallback", ""}, // set but empty takes the default, as in the shell
		{"${EMPTY}", "", ""},
		{"${UNSET:-}", "", ""},
		{"$$5 and $5 and a$", "$5 and $5 and a$", ""},
		{"$${WXSIM_TOKEN}", "${WXSIM_TOKEN}", ""},
		{"${UNSET}", "", "${UNSET}: the environment variable UNSET is not set (export it, or give a default: ${UNSET:-value})"},
		{"${1BAD}", "", `${1BAD}: "1BAD" is not a variable name (letters, digits and _)`},
		{"${OPEN", "", "${ without a closing } (write $$ for a literal $)"},
	} {
		g := NewWithT(t)
		got, err := expand(tc.in, lookup, false)
		if tc.err != "" {
			g.Expect(err).To(MatchError(tc.err), tc.in)
			continue
		}
		g.Expect(err).NotTo(HaveOccurred(), tc.in)
		g.Expect(got).To(Equal(tc.want), tc.in)
	}
}

// TestExpandSecret: a malformed reference in a secret does not quote the
// text around it, which may be the secret itself.
func TestExpandSecret(t *testing.T) {
	g := NewWithT(t)
	_, err := expand("s3cret${9}", lookup, true)
	g.Expect(err).To(MatchError("a ${…} reference without a variable name (letters, digits and _)"))
	_, err = expand("s3cret${", lookup, true)
	g.Expect(err.Error()).NotTo(ContainSubstring("s3cret"))
}
