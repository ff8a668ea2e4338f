package main

import (
	"fmt"
	"net/url"
	"os"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wxsim/wxsim/simulator/endpoint"
)

// endpointCommand serves the reference developer endpoint: correct by
// default, or one of its fault behaviours for drills.
func (a *app) endpointCommand() *cobra.Command {
	var (
		acct      accountFlags
		apiOpts   endpointAPIFlags
		listen    string
		behaviour string
	)
	c := &cobra.Command{
		Use:   "endpoint",
		Short: "serve the reference developer endpoint (correct by default) or one of its fault behaviours",
		Long: `Serves a callback endpoint that answers every push as a correct developer
server does: signatures checked, pushes decrypted, a text answered with a
text, everything else with "success", replies encrypted in safe mode,
re-deliveries de-duplicated. --behaviour picks a fault for drills, or one
of the asynchronous endpoints:
` + behaviourList() + `
async, tokenperpush, norefresh and dropasync answer every push "success" at
once and answer text messages through WeChat's server API (custom/send), as
the alarm guide recommends against request timeouts; they need --api-base
(e.g. a 'wxsim api' on http://127.0.0.1:8081) and --app-secret. async does
it correctly (one cached token, refreshed on 40001); tokenperpush fetches a
token per message, norefresh never refetches it, dropasync sends nothing.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			account, err := acct.account(c.Flags())
			if err != nil {
				return err
			}
			b, err := endpoint.ParseBehaviour(behaviour)
			if err != nil {
				return usageErr("--behaviour: %v", err)
			}
			apiCfg := apiOpts.config(c.Flags())
			var errMu sync.Mutex // sends fail on their own goroutines
			apiCfg.OnError = func(err error) {
				errMu.Lock()
				defer errMu.Unlock()
				fmt.Fprintf(a.stderr, "wxsim endpoint: a reply through the API failed (each reason once): %v\n", err)
			}
			e, err := endpoint.New(endpoint.Config{Account: account, Behaviour: b, API: apiCfg})
			if err != nil {
				return asUsage(err)
			}
			defer e.Close()
			ln, err := endpoint.Listen(listen, b)
			if err != nil {
				return usageErr("--listen %s: %v", listen, err)
			}
			viaAPI := ""
			if b.UsesAPI() {
				u, _ := url.Parse(apiOpts.base)  // New checked it
				viaAPI = ", API " + u.Redacted() // never the secret
			}
			fmt.Fprintf(a.stdout, "wxsim endpoint (%s, behaviour %s%s) listening on http://%s/\n", describe(account), b, viaAPI, ln.Addr())
			return a.serverEnd(c.Context(), endpoint.Serve(c.Context(), ln, e))
		},
	}
	acct.register(c.Flags(), false)
	c.Flags().StringVar(&listen, "listen", "127.0.0.1:8080", "the address to listen on")
	c.Flags().StringVar(&behaviour, "behaviour", "correct", "how the endpoint answers, one of: "+joinBehaviours())
	apiOpts.register(c.Flags())
	return c
}

// endpointAPIFlags are how the asynchronous behaviours reach WeChat's
// server API; other behaviours ignore them.
type endpointAPIFlags struct {
	base, secret string
}

func (f *endpointAPIFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.base, "api-base", "", "the base URL of WeChat's server API for async, tokenperpush, norefresh and dropasync, e.g. http://127.0.0.1:8081 (a 'wxsim api')")
	fs.StringVar(&f.secret, "app-secret", "", "the account's AppSecret, for /cgi-bin/token; never printed (env WXSIM_APP_SECRET)")
}

// config reads the flags, the secret from WXSIM_APP_SECRET when the command
// line left it unset; endpoint.New checks them.
func (f *endpointAPIFlags) config(fs *pflag.FlagSet) endpoint.APIConfig {
	if !fs.Changed("app-secret") {
		if v, ok := os.LookupEnv("WXSIM_APP_SECRET"); ok {
			f.secret = v
		}
	}
	return endpoint.APIConfig{BaseURL: f.base, Secret: f.secret}
}

func joinBehaviours() string {
	s := ""
	for i, b := range endpoint.Behaviours() {
		if i > 0 {
			s += ", "
		}
		s += b
	}
	return s
}

func behaviourList() string {
	s := ""
	for _, b := range endpoint.Behaviours() {
		s += "  " + b + "\n"
	}
	return s
}
