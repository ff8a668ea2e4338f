package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// The bench account: made up, like the CLI's defaults. Nothing secret.
const (
	benchToken  = "wxsimbench"
	benchAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	benchAppID  = "wx0123456789abcdef"
	benchOrigID = "gh_0123456789ab"
)

// tools are the two generators, built or installed into a scratch
// directory: wxsim from this tree, the vegeta CLI at the pinned version
// through the Go module proxy (never assumed present).
type tools struct {
	dir    string
	wxsim  string
	vegeta string
}

func prepareTools(ctx context.Context, dir, vegetaVersion string, log func(string, ...any)) (*tools, error) {
	t := &tools{dir: dir, wxsim: filepath.Join(dir, "wxsim"), vegeta: filepath.Join(dir, "vegeta")}
	log("building wxsim")
	if err := goCmd(ctx, nil, "build", "-o", t.wxsim, "./simulator/cmd/wxsim"); err != nil {
		return nil, fmt.Errorf("build wxsim: %w", err)
	}
	log("installing vegeta %s through the Go module proxy", vegetaVersion)
	env := []string{"GOBIN=" + dir}
	if err := goCmd(ctx, env, "install", "github.com/tsenart/vegeta/v12@"+vegetaVersion); err != nil {
		return nil, fmt.Errorf("install vegeta: %w", err)
	}
	return t, nil
}

// goCmd runs the go command with extra environment, its output on stderr.
func goCmd(ctx context.Context, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

// writeTargets writes vegeta's target file: one text push, signed and in
// plain mode, as a static body. vegeta sends it again and again; wxsim
// makes and signs a fresh push for every hit.
func writeTargets(dir, url string) (string, error) {
	codec, err := wechat.NewCodec(benchAccount(wechat.Plain))
	if err != nil {
		return "", err
	}
	kind, err := wechat.LookupKind("text")
	if err != nil {
		return "", err
	}
	now := time.Now().Unix()
	openid := "oBench0000000000000000000001"
	p := &wechat.Push{Kind: kind, ToUserName: benchOrigID, FromUserName: openid, CreateTime: now, MsgID: 1}
	body, _ := codec.Body(p, nil)
	bodyPath := filepath.Join(dir, "push.xml")
	if err := os.WriteFile(bodyPath, body, 0o600); err != nil {
		return "", err
	}
	q := codec.AppendQuery(nil, openid, "", strconv.FormatInt(now, 10), "1234567890")
	targets := "POST " + url + "?" + string(q) + "\nContent-Type: text/xml\n@" + bodyPath + "\n"
	path := filepath.Join(dir, "targets.txt")
	return path, os.WriteFile(path, []byte(targets), 0o600)
}

func benchAccount(m wechat.Mode) wechat.Account {
	a := wechat.Account{AppID: benchAppID, Nickname: "Bench", OriginalID: benchOrigID, Token: benchToken, Mode: m}
	if m.Encrypted() {
		a.EncodingAESKey = benchAESKey
	}
	return a
}
