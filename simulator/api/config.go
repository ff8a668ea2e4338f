package api

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Limits of wechat-protocol.md §8 and the getStableAccessToken page.
const (
	DefaultTokenTTL    = 2 * time.Hour   // expires_in 7200
	DefaultOverlap     = 5 * time.Minute // old and new token both work this long
	DefaultDailyQuota  = 2000            // /cgi-bin/token calls a day per appid
	StableDailyQuota   = 500000          // /cgi-bin/stable_token calls a day per appid
	StableMinuteQuota  = 10000           // /cgi-bin/stable_token calls a minute per appid
	ForceRefreshPerDay = 20              // stable_token force_refresh a day per appid
	ForceRefreshGap    = 30 * time.Second
)

// Account is one configured Official Account.
type Account struct {
	AppID  string
	Secret string // the AppSecret; never printed, see String

	// AllowIPs is the account's IP whitelist for the token APIs; empty
	// means no whitelist, every caller may get a token.
	AllowIPs []netip.Prefix

	// DailyQuota is how many /cgi-bin/token calls a day succeed before
	// 45009; 0 means DefaultDailyQuota.
	DailyQuota int
}

// String renders the account without its secret, so that printing a
// Config by accident cannot leak it.
func (a Account) String() string {
	return fmt.Sprintf("appid %s", a.AppID)
}

// GoString is String, for %#v.
func (a Account) GoString() string { return a.String() }

// Config configures a Server.
type Config struct {
	Accounts []Account

	// CallbackIPs answer getcallbackip: the IPs (or CIDR ranges) WeChat
	// pushes from. Default 127.0.0.1, where wxsim pushes from.
	CallbackIPs []string
	// APIDomainIPs answer get_api_domain_ip: the IPs of the API domain.
	// Default 127.0.0.1, where this mock listens.
	APIDomainIPs []string

	// CallbackURL is the account's configured callback URL, which
	// callback/check resolves and probes; empty answers 40201, as WeChat
	// does for an account without one.
	CallbackURL string

	TokenTTL time.Duration // 0 means DefaultTokenTTL
	Overlap  time.Duration // 0 means DefaultOverlap

	// Now is the clock; nil means time.Now. Tests inject a fake one.
	Now func() time.Time
}

// withDefaults fills the zero fields.
func (c Config) withDefaults() Config {
	if c.TokenTTL == 0 {
		c.TokenTTL = DefaultTokenTTL
	}
	if c.Overlap == 0 {
		c.Overlap = DefaultOverlap
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	// Copies, so that the caller changing its slices later cannot change
	// the answers of a running Server.
	c.CallbackIPs = slices.Clone(c.CallbackIPs)
	if len(c.CallbackIPs) == 0 {
		c.CallbackIPs = []string{"127.0.0.1"}
	}
	c.APIDomainIPs = slices.Clone(c.APIDomainIPs)
	if len(c.APIDomainIPs) == 0 {
		c.APIDomainIPs = []string{"127.0.0.1"}
	}
	accounts := make([]Account, len(c.Accounts))
	for i, a := range c.Accounts {
		a.AllowIPs = slices.Clone(a.AllowIPs)
		if a.DailyQuota == 0 {
			a.DailyQuota = DefaultDailyQuota
		}
		accounts[i] = a
	}
	c.Accounts = accounts
	return c
}

// validate checks a Config that has its defaults. Its errors name the
// account by appid and never quote a secret.
func (c Config) validate() error {
	if len(c.Accounts) == 0 {
		return errors.New("api: no account configured")
	}
	seen := make(map[string]bool, len(c.Accounts))
	for _, a := range c.Accounts {
		switch {
		case a.AppID == "":
			return errors.New("api: an account has no appid")
		case seen[a.AppID]:
			return fmt.Errorf("api: appid %s configured twice", a.AppID)
		case a.Secret == "":
			return fmt.Errorf("api: appid %s has no secret", a.AppID)
		case a.DailyQuota < 0:
			return fmt.Errorf("api: appid %s: daily quota %d is negative", a.AppID, a.DailyQuota)
		}
		seen[a.AppID] = true
	}
	if c.TokenTTL < time.Second || c.Overlap <= 0 || c.Overlap >= c.TokenTTL {
		return fmt.Errorf("api: want 0 < overlap (%s) < token TTL (%s), TTL at least 1s", c.Overlap, c.TokenTTL)
	}
	for _, list := range [][]string{c.CallbackIPs, c.APIDomainIPs} {
		if err := checkIPList(list); err != nil {
			return err
		}
	}
	return checkCallbackURL(c.CallbackURL)
}

// checkIPList accepts IPs and CIDR ranges, as getcallbackip lists both.
func checkIPList(list []string) error {
	for _, s := range list {
		if _, err := ParseIPOrPrefix(s); err != nil {
			return err
		}
	}
	return nil
}

func checkCallbackURL(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return fmt.Errorf("api: callback URL %q: want an http:// or https:// URL with a host", raw)
	}
	return nil
}

// ParseIPOrPrefix parses an IP ("1.2.3.4", "::1") as a one-address prefix,
// or a CIDR range ("101.226.103.0/25"). IPv4-mapped IPv6 addresses are
// unmapped, so a whitelist of 127.0.0.1 matches ::ffff:127.0.0.1.
func ParseIPOrPrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("api: %q is not an IP or CIDR range: %w", s, err)
		}
		return p.Masked(), nil
	}
	ip, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("api: %q is not an IP or CIDR range: %w", s, err)
	}
	ip = ip.Unmap()
	return netip.PrefixFrom(ip, ip.BitLen()), nil
}

// ParseAllowList parses a whitelist of IPs and CIDR ranges.
func ParseAllowList(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		p, err := ParseIPOrPrefix(s)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
