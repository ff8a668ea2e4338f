package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no account", Config{}, "no account"},
		{"no appid", Config{Accounts: []Account{{Secret: testSecret}}}, "no appid"},
		{"no secret", Config{Accounts: []Account{{AppID: testAppID}}}, "has no secret"},
		{"twice", Config{Accounts: []Account{testAccount(nil), testAccount(nil)}}, "configured twice"},
		{"negative quota", Config{Accounts: []Account{testAccount(func(a *Account) { a.DailyQuota = -1 })}}, "negative"},
		{"overlap too long", Config{Accounts: []Account{testAccount(nil)}, TokenTTL: time.Minute}, "overlap"},
		{"TTL too short", Config{Accounts: []Account{testAccount(nil)}, TokenTTL: time.Millisecond, Overlap: time.Microsecond}, "TTL"},
		{"bad callback IP", Config{Accounts: []Account{testAccount(nil)}, CallbackIPs: []string{"1.2.3"}}, "not an IP"},
		{"bad API IP", Config{Accounts: []Account{testAccount(nil)}, APIDomainIPs: []string{"x"}}, "not an IP"},
		{"bad callback URL", Config{Accounts: []Account{testAccount(nil)}, CallbackURL: "ftp://x/"}, "callback URL"},
		{"URL without host", Config{Accounts: []Account{testAccount(nil)}, CallbackURL: "http:///x"}, "callback URL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			_, err := New(c.cfg)
			g.Expect(err).To(MatchError(ContainSubstring(c.want)))
			g.Expect(err.Error()).To(HavePrefix("api: "))
			g.Expect(err.Error()).NotTo(ContainSubstring(testSecret))
		})
	}
}

// TestAccountNeverPrintsItsSecret: printing a Config by mistake (%v, %+v,
// %#v) shows the appid, never the secret.
func TestAccountNeverPrintsItsSecret(t *testing.T) {
	g := NewWithT(t)
	cfg := Config{Accounts: []Account{testAccount(nil)}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, cfg)
		g.Expect(out).To(ContainSubstring(testAppID), verb)
		g.Expect(out).NotTo(ContainSubstring(testSecret), verb)
	}
	g.Expect(strings.Contains(fmt.Sprint(cfg.Accounts[0]), testSecret)).To(BeFalse())
}

// TestConfigIsCopied: changing the caller's slices after New changes
// nothing the Server answers.
func TestConfigIsCopied(t *testing.T) {
	g := NewWithT(t)
	ips := []string{"192.0.2.1"}
	s, err := New(Config{Accounts: []Account{testAccount(nil)}, CallbackIPs: ips})
	g.Expect(err).NotTo(HaveOccurred())
	ips[0] = "192.0.2.99"
	g.Expect(s.cfg.CallbackIPs).To(Equal([]string{"192.0.2.1"}))
}
