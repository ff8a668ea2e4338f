package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// app holds what every command shares: the output streams.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// run executes one command line and returns its exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	code := codeOf(err)
	if err != nil {
		if msg := err.Error(); code != exitOK && msg != "" && err != errVerdictFailed && err != errInterrupted {
			fmt.Fprintln(stderr, "wxsim:", msg)
		}
	}
	return code
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "wxsim",
		Short: "Play WeChat's servers against your Official Account callback endpoint",
		Long: `wxsim sends the pushes WeChat sends — signed, and encrypted in compat and safe
mode — at the rates you ask for, judges every delivery by WeChat's rules
(3 s to connect, 5 s to answer, a valid reply or "success"), retries and
blocks like WeChat, raises the alarms WeChat would raise, and tells you
what to fix.`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErr("%s: %v (see 'wxsim %s --help')", c.CommandPath(), err, c.Name())
	})
	root.AddCommand(a.commands()...)
	return root
}

// commands lists the subcommands; each lives in its own cmd_*.go file.
func (a *app) commands() []*cobra.Command {
	return []*cobra.Command{
		a.verifyCommand(),
		a.pushCommand(),
		a.decodeCommand(),
		a.endpointCommand(),
		a.apiCommand(),
		a.attackCommand(),
		a.demoCommand(),
		a.reportCommand(),
		a.capacityCommand(),
		a.conformCommand(),
	}
}

// noArgs rejects positional arguments with a usage error.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErr("%s takes no arguments, got %q", c.CommandPath(), args)
	}
	return nil
}
