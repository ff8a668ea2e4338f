package main

import (
	"net/url"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// checkWebhook validates --alarm-webhook before the run, so a typo fails at
// once rather than as a sink error after the whole attack. The WeCom robot
// URL carries its key in the query (?key=…), so a rejected value is shown
// without its query, user info or fragment, and not at all when it does
// not parse (url.Parse's errors quote the whole string).
func checkWebhook(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return usageErr("--alarm-webhook: not an http:// or https:// URL (the value is not shown: it may carry the robot's key)")
	}
	if u.IsAbs() && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return nil
	}
	return usageErr("--alarm-webhook %q: want an absolute http:// or https:// URL with a host", redactedURL(u))
}

// redactedURL renders u as scheme://host/path only; "?…" marks a query
// left out.
func redactedURL(u *url.URL) string {
	shown := &url.URL{Scheme: u.Scheme, Opaque: u.Opaque, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	s := shown.String()
	if u.RawQuery != "" || u.ForceQuery {
		s += "?…"
	}
	return s
}

// checkFollowers refuses --followers 0: the engine would quietly use one
// follower, and a run from one openid is not what the user asked for.
func checkFollowers(n uint64) error {
	if n < 1 {
		return usageErr("--followers %d: want at least 1", n)
	}
	return nil
}

// kindCarries tells whether pushes of kind k carry a Content and a settable
// EventKey. Canonical clears the values a kind does not carry and fills
// samples into those it does, so an empty push answers for the kind.
func kindCarries(k *wechat.Kind) (content, eventKey bool) {
	c := (&wechat.Push{Kind: k}).Canonical()
	return c.Content != "", c.EventKey != ""
}
