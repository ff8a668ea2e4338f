package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wxsim/wxsim/simulator/endpoint"
)

// endpointCommand serves the reference developer endpoint: correct by
// default, or one of its fault behaviours for drills.
func (a *app) endpointCommand() *cobra.Command {
	var (
		acct      accountFlags
		listen    string
		behaviour string
	)
	c := &cobra.Command{
		Use:   "endpoint",
		Short: "serve the reference developer endpoint (correct by default) or one of its fault behaviours",
		Long: `Serves a callback endpoint that answers every push as a correct developer
server does: signatures checked, pushes decrypted, a text answered with a
text, everything else with "success", replies encrypted in safe mode,
re-deliveries de-duplicated. --behaviour turns on a fault for drills:
` + behaviourList(),
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
			e, err := endpoint.New(endpoint.Config{Account: account, Behaviour: b})
			if err != nil {
				return asUsage(err)
			}
			defer e.Close()
			ln, err := endpoint.Listen(listen, b)
			if err != nil {
				return usageErr("--listen %s: %v", listen, err)
			}
			fmt.Fprintf(a.stdout, "wxsim endpoint (%s, behaviour %s) listening on http://%s/\n", describe(account), b, ln.Addr())
			err = endpoint.Serve(c.Context(), ln, e)
			if c.Context().Err() != nil {
				return nil // stopped by Ctrl-C or SIGTERM: a normal end for a server
			}
			if err != nil && !errors.Is(err, context.Canceled) {
				return err
			}
			return nil
		},
	}
	acct.register(c.Flags(), false)
	c.Flags().StringVar(&listen, "listen", "127.0.0.1:8080", "the address to listen on")
	c.Flags().StringVar(&behaviour, "behaviour", "correct", "correct, or a fault: "+joinBehaviours())
	return c
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
