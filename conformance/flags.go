package conformance

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/pacing"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// Defaults of the account flags: the made-up account `wxsim endpoint`
// serves by default, so the suite and the reference endpoint agree on
// loopback out of the box.
const (
	DefaultAppID      = "wx0123456789abcdef"
	DefaultNickname   = "Demo Account"
	DefaultOriginalID = "gh_0123456789ab"
)

// Flags are the suite's configuration flags, defined once for both ways of
// running it: `wxsim conform` (cobra adds them with AddGoFlagSet) and
// `ginkgo ./conformance -- …` (the test binary's flag.CommandLine). Every
// flag can also come from a WXSIM_* variable (WXSIM_URL, WXSIM_LOAD_RATE,
// …); the command line wins.
type Flags struct {
	params []*param
	byName map[string]*param
}

// param is one flag: its raw text, whether the command line set it, and
// how it prints in help. Values are parsed in Config, so that an error can
// name where the bad value came from (the flag or the variable).
type param struct {
	name, def, kind, usage string
	list                   bool // repeatable: each use adds a value
	raw                    []string
	set                    bool
}

func (p *param) String() string {
	switch {
	case p == nil:
		return ""
	case !p.set:
		return p.def
	}
	return strings.Join(p.raw, ",")
}

func (p *param) Set(s string) error {
	if !p.set || !p.list {
		p.raw = nil
	}
	p.set = true
	p.raw = append(p.raw, s)
	return nil
}

// Type is the placeholder pflag prints in help ("bool" prints none).
func (p *param) Type() string { return p.kind }

// IsBoolFlag lets --strict and --component stand alone.
func (p *param) IsBoolFlag() bool { return p.kind == "bool" }

// envName is the variable a flag falls back to, e.g. WXSIM_LOAD_RATE.
func (p *param) envName() string {
	return "WXSIM_" + strings.ToUpper(strings.ReplaceAll(p.name, "-", "_"))
}

// value returns the flag's text and where it came from: the command line,
// the environment, or the default.
func (p *param) value() (vals []string, source string) {
	if p.set {
		return p.raw, "--" + p.name
	}
	if v := strings.TrimSpace(os.Getenv(p.envName())); v != "" {
		if p.list {
			return splitList(v), p.envName()
		}
		return []string{v}, p.envName()
	}
	if p.def == "" {
		return nil, "--" + p.name
	}
	return []string{p.def}, "--" + p.name
}

// BindFlags defines the suite's flags on fs.
func BindFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{byName: map[string]*param{}}
	for _, p := range flagTable() {
		f.params = append(f.params, p)
		f.byName[p.name] = p
		fs.Var(p, p.name, p.usage)
	}
	return f
}

// flagTable lists the flags with their defaults and help.
func flagTable() []*param {
	d := func(t time.Duration) string { return t.String() }
	return []*param{
		{name: "url", kind: "URL", usage: "the endpoint's callback URL (env WXSIM_URL)"},
		{name: "token", kind: "string", usage: "the account's Token (env WXSIM_TOKEN)"},
		{name: "aes-key", kind: "string", usage: "the account's EncodingAESKey, 43 characters (env WXSIM_AES_KEY)"},
		{name: "appid", kind: "string", def: DefaultAppID, usage: "the account's appid (env WXSIM_APPID)"},
		{name: "mode", kind: "string", usage: "encryption mode: plain, compat or safe (env WXSIM_MODE; default plain, safe when an AES key is given)"},
		{name: "nickname", kind: "string", def: DefaultNickname, usage: "the account's nickname"},
		{name: "original-id", kind: "string", def: DefaultOriginalID, usage: "the account's original id (gh_…), the pushes' ToUserName"},
		{name: "connect-timeout", kind: "duration", def: d(3 * time.Second), usage: "DNS + TCP + TLS must finish within this (WeChat's guide: 3 s in one place, 5 s in another)"},
		{name: "response-timeout", kind: "duration", def: d(5 * time.Second), usage: "the whole reply must arrive within this after the request is written (WeChat: 5 s)"},
		{name: "patience", kind: "duration", def: "0s", usage: "how long the handshake, signature, reply and crypto cases wait for an answer (0: twice --response-timeout); timing is judged by the timing cases"},
		{name: "keepalive", kind: "bool", def: "false", usage: "reuse connections (WeChat opens a new one per push)"},
		{name: "insecure", kind: "bool", def: "false", usage: "accept self-signed TLS certificates"},
		{name: "source-ip", kind: "IPs", usage: "comma-separated local addresses to send from, in turn"},
		{name: "max-reply-bytes", kind: "int", def: strconv.Itoa(simulator.DefaultMaxReplyBytes), usage: "replies longer than this are response failures (too_large)"},
		{name: "retries", kind: "int", def: "2", usage: "WeChat's re-deliveries after a timeout in the load run"},
		{name: "light-rate", kind: "rate", def: "10/s", usage: "pushes per second of timing/2's light run"},
		{name: "light-duration", kind: "duration", def: d(3 * time.Second), usage: "length of timing/2's light run"},
		{name: "load-rate", kind: "rate", def: "50/s", usage: "pushes per second of load/1's run"},
		{name: "load-duration", kind: "duration", def: d(10 * time.Second), usage: "length of load/1's run"},
		{name: "threshold", kind: "expr", list: true, usage: "a threshold load/1 must meet, e.g. 'p99 < 500ms' (repeatable; replaces the defaults: " + strings.Join(DefaultThresholds(), ", ") + ")"},
		{name: "component", kind: "bool", def: "false", usage: "also run the third-party platform cases (component_verify_ticket, authorization pushes)"},
		{name: "api", kind: "bool", def: "false", usage: "also run the server-API cases: the suite plays WeChat's server API on --api-listen; point the endpoint's SDK there"},
		{name: "api-listen", kind: "HOST:PORT", def: DefaultAPIListen, usage: "where the API mock of --api listens"},
		{name: "app-secret", kind: "string", usage: "the account's AppSecret, which the endpoint's token requests must carry (env WXSIM_APP_SECRET; --api only)"},
		{name: "api-window", kind: "duration", def: d(5 * time.Second), usage: "how long an answer through the customer-service API may take to arrive (--api only)"},
		{name: "strict", kind: "bool", def: "false", usage: "should cases must pass too"},
	}
}

// Given reports whether someone asked for a conformance run: a flag on
// the command line, or WXSIM_URL (other WXSIM_* variables may be set for
// other wxsim commands). An empty variable counts as unset.
func (f *Flags) Given() bool {
	for _, p := range f.params {
		if p.set {
			return true
		}
	}
	return strings.TrimSpace(os.Getenv(f.byName["url"].envName())) != ""
}

// Config reads the flags (and WXSIM_* variables for those not given) into
// a validated Config. Errors name the flag or variable and what is wrong.
func (f *Flags) Config() (Config, error) {
	r := &reader{f: f}
	c := Config{
		URL:     r.str("url"),
		Account: r.account(),
		Transport: simulator.TransportConfig{
			ConnectTimeout: r.duration("connect-timeout"), ResponseTimeout: r.duration("response-timeout"),
			KeepAlive: r.boolean("keepalive"), Insecure: r.boolean("insecure"), SourceIPs: r.ips("source-ip"),
		},
		MaxReplyBytes: int64(r.integer("max-reply-bytes")),
		Patience:      r.duration("patience"),
		Retries:       r.integer("retries"),
		LightRate:     r.rate("light-rate"), LightDuration: r.duration("light-duration"),
		LoadRate: r.rate("load-rate"), LoadDuration: r.duration("load-duration"),
		Thresholds: r.thresholds("threshold"),
		Component:  r.boolean("component"),
		API:        r.boolean("api"),
		APIListen:  r.str("api-listen"),
		AppSecret:  r.str("app-secret"),
		APIWindow:  r.duration("api-window"),
		Strict:     r.boolean("strict"),
	}
	if r.err != nil {
		return c, fmt.Errorf("%w: %w", ErrInvalidConfig, r.err)
	}
	return c, c.Validate()
}

// reader parses flag values, keeping the first error.
type reader struct {
	f   *Flags
	err error
}

func (r *reader) one(name string) (string, string) {
	vals, src := r.f.byName[name].value()
	if len(vals) == 0 {
		return "", src
	}
	return strings.TrimSpace(vals[len(vals)-1]), src
}

func (r *reader) fail(src, val string, err error) {
	switch {
	case r.err != nil:
	case val == "":
		r.err = fmt.Errorf("%s: %w", src, err)
	default:
		r.err = fmt.Errorf("%s %q: %w", src, val, err)
	}
}

func (r *reader) str(name string) string { v, _ := r.one(name); return v }

func (r *reader) duration(name string) time.Duration {
	v, src := r.one(name)
	d, err := time.ParseDuration(v)
	if err != nil {
		r.fail(src, v, errors.New("want a duration such as 500ms or 5s"))
	}
	return d
}

func (r *reader) integer(name string) int {
	v, src := r.one(name)
	n, err := strconv.Atoi(v)
	if err != nil {
		r.fail(src, v, errors.New("want a whole number"))
	}
	return n
}

func (r *reader) boolean(name string) bool {
	v, src := r.one(name)
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(src, v, errors.New("want true or false"))
	}
	return b
}

func (r *reader) rate(name string) float64 {
	v, src := r.one(name)
	x, err := pacing.ParseRate(v)
	if err != nil {
		r.fail(src, v, err)
	}
	return x
}

func (r *reader) ips(name string) []net.IP {
	v, src := r.one(name)
	var ips []net.IP
	for _, s := range splitList(v) {
		ip := net.ParseIP(s)
		if ip == nil {
			r.fail(src, v, fmt.Errorf("%q is not an IP address", s))
			return nil
		}
		ips = append(ips, ip)
	}
	return ips
}

func (r *reader) thresholds(name string) []simulator.Threshold {
	vals, src := r.f.byName[name].value()
	var ts []simulator.Threshold
	for _, v := range vals {
		t, err := simulator.ParseThreshold(v)
		if err != nil {
			r.fail(src, v, err)
			return nil
		}
		ts = append(ts, t)
	}
	return ts
}

// account reads the account flags as `wxsim push` and `wxsim attack` do:
// the mode defaults to safe when an AES key is given, else plain.
func (r *reader) account() wechat.Account {
	a := wechat.Account{AppID: r.str("appid"), Nickname: r.str("nickname"), OriginalID: r.str("original-id"),
		Token: r.str("token"), EncodingAESKey: r.str("aes-key")}
	mode, src := r.one("mode")
	switch {
	case mode != "":
		m, err := wechat.ParseMode(mode)
		if err != nil {
			r.fail(src, mode, errors.New("want plain, compat or safe"))
		}
		a.Mode = m
	case a.EncodingAESKey != "":
		a.Mode = wechat.Safe
	}
	switch {
	case a.Token == "":
		r.fail("--token", "", errors.New("required (or WXSIM_TOKEN): the Token set on the WeChat platform's server configuration page"))
	case a.Mode.Encrypted() && a.EncodingAESKey == "":
		r.fail("--mode", a.Mode.String(), errors.New("needs --aes-key (or WXSIM_AES_KEY)"))
	}
	return a
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
