package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// verifyCommand is the GET echostr handshake WeChat makes when the server
// configuration is saved.
func (a *app) verifyCommand() *cobra.Command {
	var (
		acct    accountFlags
		timeout time.Duration
	)
	c := &cobra.Command{
		Use:   "verify",
		Short: "the GET echostr handshake; prints the verdict and the time taken",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			account, u, err := acct.target(c.Flags())
			if err != nil {
				return err
			}
			return a.verify(c.Context(), u, account, timeout)
		},
	}
	acct.register(c.Flags(), true)
	c.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "how long to wait for the answer")
	return c
}

func (a *app) verify(ctx context.Context, endpoint string, account wechat.Account, timeout time.Duration) error {
	now := time.Now()
	ts := strconv.FormatInt(now.Unix(), 10)
	nonce := strconv.FormatInt(100000000+now.UnixNano()%900000000, 10)
	echostr := strconv.FormatInt(1e18+now.UnixNano()%8e18, 10)
	q := url.Values{"signature": {wechat.Signature(account.Token, ts, nonce)}, "timestamp": {ts}, "nonce": {nonce}, "echostr": {echostr}}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"?"+q.Encode(), nil)
	if err != nil {
		return usageErr("--url: %v", err)
	}
	req.Header.Set("User-Agent", "Mozilla/4.0")
	client := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{Timeout: timeout}).DialContext, DisableKeepAlives: true}}
	start := time.Now()
	resp, err := client.Do(req)
	took := time.Since(start)
	fmt.Fprintf(a.stdout, "GET %s?signature=…&timestamp=%s&nonce=%s&echostr=%s\n", endpoint, ts, nonce, echostr)
	if err != nil {
		fmt.Fprintf(a.stdout, "verdict: FAIL — no answer: %v (%s)\n", unwrapURLError(err), took.Round(time.Microsecond))
		return errVerdictFailed
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	switch {
	case resp.StatusCode != http.StatusOK:
		fmt.Fprintf(a.stdout, "verdict: FAIL — HTTP %d, want 200 with the echostr as the whole body (%s)\n", resp.StatusCode, took.Round(time.Microsecond))
	case string(body) != echostr:
		fmt.Fprintf(a.stdout, "verdict: FAIL — body %q, want the echostr %q exactly (WeChat reports token验证失败) (%s)\n", truncate(body, 80), echostr, took.Round(time.Microsecond))
	default:
		fmt.Fprintf(a.stdout, "verdict: OK — echostr returned (%s)\n", took.Round(time.Microsecond))
		return nil
	}
	return errVerdictFailed
}

// unwrapURLError drops the *url.Error wrapper, whose text repeats the URL.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// truncate shortens a body for display.
func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
