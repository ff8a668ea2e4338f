package main

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/wxsim/wxsim/simulator"
)

// transportFlags are WeChat's delivery limits and how connections are made.
type transportFlags struct {
	connectTimeout, responseTimeout time.Duration
	keepalive, insecure             bool
	sourceIPs                       string
	maxReply                        int64
}

func (f *transportFlags) register(fs *pflag.FlagSet) {
	fs.DurationVar(&f.connectTimeout, "connect-timeout", 3*time.Second,
		"DNS + TCP + TLS must finish within this (WeChat's guide says 3 s in one place, 5 s in another)")
	fs.DurationVar(&f.responseTimeout, "response-timeout", 5*time.Second,
		"the whole reply must arrive within this after the request is written (WeChat: 5 s)")
	fs.BoolVar(&f.keepalive, "keepalive", false, "reuse connections (WeChat opens a new one per push)")
	fs.BoolVar(&f.insecure, "insecure", false, "accept self-signed TLS certificates")
	fs.StringVar(&f.sourceIPs, "source-ip", "", "comma-separated local addresses to send from, in turn (e.g. 127.0.0.2,127.0.0.3)")
	fs.Int64Var(&f.maxReply, "max-reply-bytes", simulator.DefaultMaxReplyBytes, "replies longer than this are response failures (too_large)")
}

func (f *transportFlags) config() (simulator.TransportConfig, error) {
	cfg := simulator.TransportConfig{ConnectTimeout: f.connectTimeout, ResponseTimeout: f.responseTimeout,
		KeepAlive: f.keepalive, Insecure: f.insecure}
	if f.connectTimeout <= 0 {
		return cfg, usageErr("--connect-timeout %s: must be above 0", f.connectTimeout)
	}
	if f.responseTimeout <= 0 {
		return cfg, usageErr("--response-timeout %s: must be above 0", f.responseTimeout)
	}
	if f.maxReply <= 0 {
		return cfg, usageErr("--max-reply-bytes %d: must be above 0", f.maxReply)
	}
	for _, s := range strings.Split(f.sourceIPs, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		ip := net.ParseIP(s)
		if ip == nil {
			return cfg, usageErr("--source-ip %q: %q is not an IP address", f.sourceIPs, s)
		}
		cfg.SourceIPs = append(cfg.SourceIPs, ip)
	}
	return cfg, nil
}

// limitsLine prints which limits are in force, since WeChat's own documents
// disagree on the connect timeout.
func (f *transportFlags) limitsLine() string {
	return fmt.Sprintf("limits: connect %s, response %s", f.connectTimeout, f.responseTimeout)
}
