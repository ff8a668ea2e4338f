package api

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"
)

// Probe limits: WeChat runs `ping ip -c 1 -w 1 -q`, one try within 1 s.
const (
	pingTimeout = time.Second
	dnsTimeout  = 2 * time.Second
	maxProbed   = 4 // IPs probed per check, so a check stays short
)

// checkRequest is the JSON body of POST /cgi-bin/callback/check.
type checkRequest struct {
	Action   string `json:"action"`
	Operator string `json:"check_operator"`
}

// checkAnswer is callback/check's answer. The pointers keep a list that
// was asked for in the answer even when it is empty, and leave out a list
// that was not.
type checkAnswer struct {
	DNS  *[]dnsResult  `json:"dns,omitempty"`
	Ping *[]pingResult `json:"ping,omitempty"`
}

type dnsResult struct {
	IP           string `json:"ip"`
	RealOperator string `json:"real_operator"`
}

type pingResult struct {
	IP           string `json:"ip"`
	FromOperator string `json:"from_operator"`
	PackageLoss  string `json:"package_loss"`
	Time         string `json:"time"`
}

var checkActions = map[string]bool{"all": true, "dns": true, "ping": true}

var checkOperators = map[string]bool{"DEFAULT": true, "CHINANET": true, "UNICOM": true, "CAP": true}

// callbackCheck serves POST /cgi-bin/callback/check: it resolves the
// configured callback URL's host and, as "ping", connects over TCP to each
// address's port (a mock cannot send ICMP without privileges), so the loss
// is 0% or 100% as with WeChat's single ping.
func (s *Server) callbackCheck(r *http.Request, _ *call) (any, *apiError) {
	var req checkRequest
	if e := decodeBody(r, &req); e != nil {
		return nil, e
	}
	switch {
	case !checkActions[req.Action]:
		return nil, fail(CodeInvalidAction)
	case !checkOperators[req.Operator]:
		return nil, fail(CodeInvalidOperator)
	case s.cfg.CallbackURL == "":
		return nil, fail(CodeInvalidURL)
	}
	host, port := hostPort(s.cfg.CallbackURL)
	ips := resolve(r.Context(), host)
	// The mock cannot tell an IP's operator: it reports the one asked
	// for, and for DEFAULT ("chosen by IP") CHINANET.
	operator := req.Operator
	if operator == "DEFAULT" {
		operator = "CHINANET"
	}
	var answer checkAnswer
	if req.Action != "ping" {
		dns := make([]dnsResult, 0, len(ips))
		for _, ip := range ips {
			dns = append(dns, dnsResult{IP: ip.String(), RealOperator: operator})
		}
		answer.DNS = &dns
	}
	if req.Action != "dns" {
		pings := make([]pingResult, 0, len(ips))
		for _, ip := range ips {
			pings = append(pings, ping(r.Context(), ip, port, operator))
		}
		answer.Ping = &pings
	}
	return answer, nil
}

// hostPort returns the callback URL's host and port (80 or 443 by default);
// the URL was validated by New.
func hostPort(raw string) (host, port string) {
	u, _ := url.Parse(raw)
	port = u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return u.Hostname(), port
}

// resolve returns up to maxProbed addresses of host; none when it does not
// resolve, which WeChat reports as an empty list.
func resolve(ctx context.Context, host string) []netip.Addr {
	ctx, cancel := context.WithTimeout(ctx, dnsTimeout)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil
	}
	for i := range ips {
		ips[i] = ips[i].Unmap()
	}
	if len(ips) > maxProbed {
		ips = ips[:maxProbed]
	}
	return ips
}

// ping connects once to ip:port within pingTimeout.
func ping(ctx context.Context, ip netip.Addr, port, operator string) pingResult {
	res := pingResult{IP: ip.String(), FromOperator: operator, PackageLoss: "100%", Time: "0ms"}
	d := net.Dialer{Timeout: pingTimeout}
	start := time.Now() // the wall clock on purpose: Config.Now may be a fake
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(ip.String(), port))
	if err != nil {
		return res
	}
	elapsed := time.Since(start)
	conn.Close()
	res.PackageLoss = "0%"
	res.Time = fmt.Sprintf("%.3fms", float64(elapsed)/float64(time.Millisecond))
	return res
}
