package conformance

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// Config is everything the suite needs to judge one endpoint. Build it
// with Flags.Config (flags and WXSIM_* variables) or by hand, and check it
// with Validate: Run refuses an invalid one before any case runs.
type Config struct {
	URL     string // the callback URL, without query
	Account wechat.Account

	// Transport holds WeChat's limits: connect (3 s) and response (5 s)
	// timeouts, and how connections are made. Timing, retry, component
	// and load cases enforce them.
	Transport     simulator.TransportConfig
	MaxReplyBytes int64

	// Patience is how long the cases that judge what is answered (handshake,
	// signature, reply, crypto) wait for it; 0 means twice the response
	// timeout. It keeps "slow but right" apart from "wrong": a slow
	// endpoint fails the timing cases, not every reply case.
	Patience time.Duration

	Retries int // WeChat's re-deliveries in the load run (default 2)

	LightRate     float64       // pushes/s of timing/2's light run
	LightDuration time.Duration // its length
	LoadRate      float64       // pushes/s of load/1
	LoadDuration  time.Duration // its length

	// Thresholds judge load/1; DefaultThresholds when none are given.
	Thresholds []simulator.Threshold

	Component bool // run the third-party platform cases (opt-in)

	// API runs the server-API cases (opt-in): the suite plays WeChat's
	// server API on APIListen, the endpoint's SDK must be pointed there,
	// and AppSecret is what its token requests must carry. APIWindow is
	// how long an answer through the customer-service API may take to
	// arrive after the push was acknowledged.
	API       bool
	APIListen string
	AppSecret string // never printed
	APIWindow time.Duration

	Strict bool // should cases count towards passing too
}

// DefaultAPIListen is where the API mock listens unless told otherwise.
const DefaultAPIListen = "127.0.0.1:9081"

// DefaultThresholds are load/1's thresholds when none are configured:
// WeChat never blocks or alarms, almost every push is answered validly,
// and answers come well inside WeChat's 5 s.
func DefaultThresholds() []string {
	return []string{"markfail == 0", "alarms == 0", "ok_ratio >= 0.999", "p99 < 1s"}
}

// LightP99 is the latency timing/2 expects 99 % of a light run's pushes to
// be answered within.
const LightP99 = time.Second

// ErrInvalidConfig is wrapped by every error of Config.Validate.
var ErrInvalidConfig = errors.New("invalid conformance configuration")

// Validate reports the first thing wrong with the configuration, naming the
// flag that sets it. Secrets never appear in its errors.
func (c *Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidConfig, fmt.Sprintf(format, args...))
	}
	if err := validURL(c.URL); err != nil {
		return bad("--url: %v", err)
	}
	if err := c.Account.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	t := c.Transport
	switch {
	case t.ConnectTimeout <= 0 || t.ResponseTimeout <= 0:
		return bad("--connect-timeout and --response-timeout must be above 0")
	case c.MaxReplyBytes <= 0:
		return bad("--max-reply-bytes %d: must be above 0", c.MaxReplyBytes)
	case c.Patience < 0:
		return bad("--patience %s: must be 0 (twice the response timeout) or above", c.Patience)
	case c.Patience > 0 && c.Patience < t.ResponseTimeout:
		return bad("--patience %s: must be at least --response-timeout %s", c.Patience, t.ResponseTimeout)
	case c.Retries < 0:
		return bad("--retries %d: must be 0 or more", c.Retries)
	case !(c.LightRate > 0) || c.LightDuration <= 0:
		return bad("--light-rate and --light-duration must be above 0")
	case !(c.LoadRate > 0) || c.LoadDuration <= 0:
		return bad("--load-rate and --load-duration must be above 0")
	case c.Component && !c.Account.Mode.Encrypted():
		return bad("--component needs --mode compat or safe with --aes-key: third-party platform pushes are always encrypted")
	}
	if c.API {
		return c.validateAPI()
	}
	return nil
}

// validateAPI checks what the api cases need. The secret is only ever
// said to be missing, never quoted.
func (c *Config) validateAPI() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidConfig, fmt.Sprintf(format, args...))
	}
	if c.AppSecret == "" {
		return bad("--api needs --app-secret (or WXSIM_APP_SECRET): the AppSecret the endpoint sends to /cgi-bin/token")
	}
	if _, _, err := net.SplitHostPort(c.APIListen); err != nil {
		return bad("--api-listen %q: want HOST:PORT, e.g. %s", c.APIListen, DefaultAPIListen)
	}
	if c.APIWindow <= 0 {
		return bad("--api-window %s: must be above 0", c.APIWindow)
	}
	return nil
}

// validURL accepts an http or https URL with a host and no query: the
// suite adds WeChat's own query parameters.
func validURL(s string) error {
	if s == "" {
		return errors.New("required (or WXSIM_URL): the endpoint's callback URL")
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("%q: want an http:// or https:// URL with a host", s)
	case u.RawQuery != "":
		return fmt.Errorf("%q: give the callback URL without a query; WeChat's parameters are added to it", s)
	}
	return nil
}

// patience is how long content cases wait for a reply.
func (c *Config) patience() time.Duration {
	if c.Patience > 0 {
		return c.Patience
	}
	return 2 * c.Transport.ResponseTimeout
}

// thresholds returns the configured thresholds or the defaults.
func (c *Config) thresholds() []simulator.Threshold {
	if len(c.Thresholds) > 0 {
		return c.Thresholds
	}
	ts := make([]simulator.Threshold, 0, len(DefaultThresholds()))
	for _, expr := range DefaultThresholds() {
		t, err := simulator.ParseThreshold(expr)
		if err != nil {
			panic(fmt.Sprintf("conformance: default threshold %q: %v", expr, err))
		}
		ts = append(ts, t)
	}
	return ts
}
