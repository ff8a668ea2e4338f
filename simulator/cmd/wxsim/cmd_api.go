package main

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wxsim/wxsim/simulator/api"
)

// apiFlags are the flags of `wxsim api`.
type apiFlags struct {
	listen, appid, secret, callbackURL string
	allowIPs, callbackIPs, apiIPs      []string
	dailyQuota                         int
	tokenTTL, overlap                  time.Duration

	fromVar map[string]string // flag name → the WXSIM_* variable its value came from
}

// apiCommand serves a mock of WeChat's server API, for developers to point
// their SDK at: tokens with WeChat's 5-minute overlap, quotas, the IP
// whitelist and the customer-service message API.
func (a *app) apiCommand() *cobra.Command {
	var f apiFlags
	c := &cobra.Command{
		Use:   "api",
		Short: "serve a mock of WeChat's server API (/cgi-bin/token, stable_token, custom/send…) for your SDK",
		Long: `Serves a mock of https://api.weixin.qq.com for one account, for developers
to point their SDK's API base at on loopback:

  GET  /cgi-bin/token                 a new token each call; the previous one works 5 more minutes
  POST /cgi-bin/stable_token          the same token until its last 5 minutes; force_refresh
  GET  /cgi-bin/getcallbackip         --callback-ips
  GET  /cgi-bin/get_api_domain_ip     --api-domain-ips
  POST /cgi-bin/callback/check        resolves and probes --callback-url
  POST /cgi-bin/message/custom/send   customer-service messages

Errors are WeChat's errcodes (40001 superseded token, 42001 expired, 40164
IP not in --allow-ip, 45009 past --daily-quota…). GET /wxsim/stats (not a
WeChat API) counts tokens issued, calls per path and errors per errcode.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return a.serveAPI(c, &f) },
	}
	f.register(c.Flags())
	return c
}

func (f *apiFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8081", "the address to listen on")
	fs.StringVar(&f.appid, "appid", defaultAppID, "the account's appid (env WXSIM_APPID)")
	fs.StringVar(&f.secret, "app-secret", "", "the account's AppSecret, required; never printed (env WXSIM_APP_SECRET)")
	fs.StringSliceVar(&f.allowIPs, "allow-ip", nil, "the IP whitelist for the token APIs: IPs and CIDR ranges, comma-separated or repeated (default: no whitelist)")
	fs.IntVar(&f.dailyQuota, "daily-quota", api.DefaultDailyQuota, "/cgi-bin/token calls a day (reset at midnight Beijing time) before 45009")
	fs.StringSliceVar(&f.callbackIPs, "callback-ips", []string{"127.0.0.1"}, "what getcallbackip answers: the IPs and CIDR ranges WeChat pushes from")
	fs.StringSliceVar(&f.apiIPs, "api-domain-ips", []string{"127.0.0.1"}, "what get_api_domain_ip answers")
	fs.StringVar(&f.callbackURL, "callback-url", "", "the account's callback URL, which callback/check probes (env WXSIM_URL; unset: 40201)")
	fs.DurationVar(&f.tokenTTL, "token-ttl", api.DefaultTokenTTL, "a token's lifetime (expires_in); shorten it to watch tokens expire")
	fs.DurationVar(&f.overlap, "overlap", api.DefaultOverlap, "how long the previous token keeps working after a refresh; less than --token-ttl")
}

// fromEnv fills the flags the command line left unset from WXSIM_*.
func (f *apiFlags) fromEnv(fs *pflag.FlagSet) {
	for name, v := range map[string]struct {
		env string
		dst *string
	}{
		"appid": {"WXSIM_APPID", &f.appid}, "app-secret": {"WXSIM_APP_SECRET", &f.secret},
		"callback-url": {"WXSIM_URL", &f.callbackURL},
	} {
		if fs.Changed(name) {
			continue
		}
		if s, ok := os.LookupEnv(v.env); ok {
			*v.dst = s
			if f.fromVar == nil {
				f.fromVar = map[string]string{}
			}
			f.fromVar[name] = v.env
		}
	}
}

// source names where the value of flag name came from: its WXSIM_*
// variable, or else the flag itself.
func (f *apiFlags) source(name string) string {
	if env, ok := f.fromVar[name]; ok {
		return env
	}
	return "--" + name
}

// checkIdentity checks the values that may come from WXSIM_* variables,
// so that their errors name the variable rather than api.New's field.
func (f *apiFlags) checkIdentity() error {
	if strings.TrimSpace(f.appid) == "" {
		return usageErr("%s is empty: want the account's appid (wx…)", f.source("appid"))
	}
	if f.callbackURL == "" {
		return nil
	}
	u, err := url.Parse(f.callbackURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return usageErr("%s %q: want an http:// or https:// URL with a host", f.source("callback-url"), f.callbackURL)
	}
	return nil
}

// config validates the flags into an api.Config; its errors name the
// flag and never quote the secret.
func (f *apiFlags) config(fs *pflag.FlagSet) (api.Config, error) {
	f.fromEnv(fs)
	if f.secret == "" {
		return api.Config{}, usageErr("--app-secret (or WXSIM_APP_SECRET) is required: the AppSecret your SDK sends to /cgi-bin/token")
	}
	if err := f.checkIdentity(); err != nil {
		return api.Config{}, err
	}
	if f.dailyQuota < 1 {
		return api.Config{}, usageErr("--daily-quota %d: want at least 1", f.dailyQuota)
	}
	if f.overlap >= f.tokenTTL {
		return api.Config{}, usageErr("--overlap %s: want less than --token-ttl %s", f.overlap, f.tokenTTL)
	}
	allow, err := api.ParseAllowList(f.allowIPs)
	if err != nil {
		return api.Config{}, usageErr("--allow-ip: %v", err)
	}
	for flag, list := range map[string][]string{"callback-ips": f.callbackIPs, "api-domain-ips": f.apiIPs} {
		if _, err := api.ParseAllowList(list); err != nil {
			return api.Config{}, usageErr("--%s: %v", flag, err)
		}
	}
	return api.Config{
		Accounts:     []api.Account{{AppID: f.appid, Secret: f.secret, AllowIPs: allow, DailyQuota: f.dailyQuota}},
		CallbackIPs:  f.callbackIPs,
		APIDomainIPs: f.apiIPs,
		CallbackURL:  f.callbackURL,
		TokenTTL:     f.tokenTTL,
		Overlap:      f.overlap,
	}, nil
}

func (a *app) serveAPI(c *cobra.Command, f *apiFlags) error {
	cfg, err := f.config(c.Flags())
	if err != nil {
		return err
	}
	s, err := api.New(cfg)
	if err != nil {
		return asUsage(err)
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return usageErr("--listen %s: %v", f.listen, err)
	}
	whitelist := "no IP whitelist"
	if len(f.allowIPs) > 0 {
		whitelist = fmt.Sprintf("IP whitelist of %d", len(f.allowIPs))
	}
	fmt.Fprintf(a.stdout, "wxsim api (appid %s, daily quota %d, %s) listening on http://%s/ (stats: http://%s%s)\n",
		f.appid, f.dailyQuota, whitelist, ln.Addr(), ln.Addr(), api.StatsPath)
	return a.serverEnd(c.Context(), api.Serve(c.Context(), ln, s))
}
