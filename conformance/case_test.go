package conformance

import (
	"regexp"
	"testing"

	. "github.com/onsi/gomega"
)

func TestNewRequirementAcceptsTheIDSyntax(t *testing.T) {
	for _, id := range []string{"handshake/1", "reply/12/text", "component/1/component_verify_ticket", "load/3"} {
		r, err := newRequirement(id, Must, "A requirement.")
		NewWithT(t).Expect(err).NotTo(HaveOccurred(), id)
		NewWithT(t).Expect(r.Area).To(Equal(regexp.MustCompile(`^[a-z]+`).FindString(id)))
	}
}

func TestNewRequirementRejects(t *testing.T) {
	cases := []struct {
		name, id, text string
		level          Level
		want           string
	}{
		{"no number", "handshake", "A requirement.", Must, "want area/n"},
		{"zero", "handshake/0", "A requirement.", Must, "want area/n"},
		{"upper case", "Reply/1", "A requirement.", Must, "want area/n"},
		{"unknown area", "webhook/1", "A requirement.", Must, `unknown area "webhook"`},
		{"trailing slash", "reply/1/", "A requirement.", Must, "want area/n"},
		{"bad level", "reply/1", "A requirement.", Level("may"), `level "may"`},
		{"empty sentence", "reply/1", "  ", Must, "one sentence"},
		{"two lines", "reply/1", "One.\nTwo.", Must, "one sentence"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := newRequirement(c.id, c.level, c.text)
			NewWithT(t).Expect(err).To(MatchError(ContainSubstring(c.want)))
		})
	}
}

func TestRegistryRefusesADuplicateID(t *testing.T) {
	g := NewWithT(t)
	reg := &idRegistry{}
	r, err := newRequirement("retry/1", Must, "A requirement.")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(reg.add(r)).To(Succeed())
	g.Expect(reg.add(r)).To(MatchError(ContainSubstring(`"retry/1" registered twice`)))
}

func TestSpecTextRoundTrips(t *testing.T) {
	g := NewWithT(t)
	r, err := newRequirement("reply/2/text", Must, "A passive reply: addressed back.")
	g.Expect(err).NotTo(HaveOccurred())
	id, text, ok := parseSpecText(r.specText())
	g.Expect(ok).To(BeTrue())
	g.Expect(id).To(Equal("reply/2/text"))
	g.Expect(text).To(Equal("A passive reply: addressed back."))
	_, _, ok = parseSpecText("not a case: at all")
	g.Expect(ok).To(BeFalse())
}

// TestFocusMatchesWholeSegments runs the focus expression the way Ginkgo
// does: against the suite description and the spec's full text.
func TestFocusMatchesWholeSegments(t *testing.T) {
	full := func(id string) string {
		return SuiteName + " WeChat callback reply the swap " + id + ": A passive reply is addressed back."
	}
	cases := []struct {
		prefixes []string
		id       string
		match    bool
	}{
		{[]string{"reply"}, "reply/2/text", true},
		{[]string{"reply/2"}, "reply/2/text", true},
		{[]string{"reply/2/"}, "reply/2/text", true},
		{[]string{"reply/2/text"}, "reply/2/text", true},
		{[]string{"reply/2/te"}, "reply/2/text", false},
		{[]string{"reply/1"}, "reply/12/text", false},
		{[]string{"reply/1"}, "reply/1", true},
		{[]string{"signature", "reply/2"}, "reply/2/click", true},
		{[]string{"signature"}, "reply/2/click", false},
		{[]string{"retry"}, "reply/2/click", false},
	}
	for _, c := range cases {
		pattern, err := focusPattern(c.prefixes)
		NewWithT(t).Expect(err).NotTo(HaveOccurred())
		NewWithT(t).Expect(regexp.MustCompile(pattern).MatchString(full(c.id))).To(Equal(c.match), "%v on %s", c.prefixes, c.id)
	}
}

func TestFocusRejectsWhatIsNotAnIDPrefix(t *testing.T) {
	for _, p := range []string{"bogus", "reply/x", "reply/1/Text", "reply.*", ""} {
		_, err := focusPattern([]string{p})
		NewWithT(t).Expect(err).To(MatchError(ContainSubstring("not an ID prefix")), p)
	}
	pattern, err := focusPattern(nil)
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	NewWithT(t).Expect(pattern).To(BeEmpty())
}

func TestKindSentenceArticles(t *testing.T) {
	g := NewWithT(t)
	g.Expect(kindSentence("%s push is answered.", "image")).To(Equal("An image push is answered."))
	g.Expect(kindSentence("%s push is answered.", "text")).To(Equal("A text push is answered."))
	g.Expect(kindSentence("A reply to %s push.", "unsubscribe")).To(Equal("A reply to an unsubscribe push."))
}
