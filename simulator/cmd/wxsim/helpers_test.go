package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/wxsim/wxsim/simulator/endpoint"
	"github.com/wxsim/wxsim/simulator/wechat"
)

const (
	testToken = "cmdtesttoken"
	testKey   = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	testAppID = defaultAppID
)

// result is what one command line produced.
type result struct {
	code           int
	stdout, stderr string
}

// wxsim runs one command line in-process.
func wxsim(t testing.TB, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	var in io.Reader = strings.NewReader(stdin)
	code := run(context.Background(), args, in, &out, &errb)
	return result{code, out.String(), errb.String()}
}

// serveEndpoint starts the reference endpoint on loopback for the test.
func serveEndpoint(t testing.TB, mode wechat.Mode, behaviour string) string {
	t.Helper()
	acct := wechat.Account{AppID: testAppID, Nickname: defaultNickname, OriginalID: defaultOriginalID, Token: testToken, Mode: mode}
	if mode.Encrypted() {
		acct.EncodingAESKey = testKey
	}
	b, err := endpoint.ParseBehaviour(behaviour)
	if err != nil {
		t.Fatal(err)
	}
	r, err := endpoint.Start("127.0.0.1:0", endpoint.Config{Account: acct, Behaviour: b, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Stop() })
	return r.URL
}

// accountArgs are the flags of the test account in mode m.
func accountArgs(url string, m wechat.Mode) []string {
	args := []string{"--url", url, "--token", testToken, "--mode", m.String()}
	if m.Encrypted() {
		args = append(args, "--aes-key", testKey)
	}
	return args
}
