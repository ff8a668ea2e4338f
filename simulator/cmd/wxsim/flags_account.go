package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// Defaults for the account flags: a made-up account, so the reference
// endpoint and the simulator agree out of the box on loopback.
const (
	defaultAppID      = "wx0123456789abcdef"
	defaultNickname   = "Demo Account"
	defaultOriginalID = "gh_0123456789ab"
)

// accountFlags are the flags every command that speaks to an endpoint
// shares; each can also come from a WXSIM_* environment variable.
type accountFlags struct {
	url, token, aesKey, appid, mode, nickname, originalID string

	fromVar map[string]string // flag name → the WXSIM_* variable its value came from
}

func (f *accountFlags) register(fs *pflag.FlagSet, withURL bool) {
	if withURL {
		fs.StringVar(&f.url, "url", "", "the endpoint's callback URL (env WXSIM_URL)")
	}
	fs.StringVar(&f.token, "token", "", "the account's Token (env WXSIM_TOKEN)")
	fs.StringVar(&f.aesKey, "aes-key", "", "the account's EncodingAESKey, 43 characters (env WXSIM_AES_KEY)")
	fs.StringVar(&f.appid, "appid", defaultAppID, "the account's appid (env WXSIM_APPID)")
	fs.StringVar(&f.mode, "mode", "", "encryption mode: plain, compat or safe (env WXSIM_MODE; default plain, safe when an AES key is given)")
	fs.StringVar(&f.nickname, "nickname", defaultNickname, "the account's nickname, for alarms")
	fs.StringVar(&f.originalID, "original-id", defaultOriginalID, "the account's original id (gh_…), the pushes' ToUserName")
}

// fromEnv fills what the command line left unset from WXSIM_* variables,
// and remembers which, so that errors name where a bad value was written.
func (f *accountFlags) fromEnv(fs *pflag.FlagSet) {
	for name, dst := range map[string]*string{
		"url": &f.url, "token": &f.token, "aes-key": &f.aesKey, "appid": &f.appid, "mode": &f.mode,
	} {
		fl := fs.Lookup(name)
		if fl == nil || fl.Changed {
			continue
		}
		env := "WXSIM_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			*dst = v
			if f.fromVar == nil {
				f.fromVar = map[string]string{}
			}
			f.fromVar[name] = env
		}
	}
}

// source names where the value of flag name came from: its WXSIM_*
// variable, or else the flag itself.
func (f *accountFlags) source(name string) string {
	if env, ok := f.fromVar[name]; ok {
		return env
	}
	return "--" + name
}

// accountFieldFlags maps the fields wechat.Account.Validate names to the
// flags that set them.
var accountFieldFlags = map[string]string{
	"AppID": "appid", "OriginalID": "original-id", "Token": "token", "EncodingAESKey": "aes-key",
}

// validateAccount runs Validate and prefixes its error with where the
// field it names was set (e.g. "WXSIM_AES_KEY: invalid account:
// EncodingAESKey: …"). Validate's messages never quote the Token or the
// key.
func (f *accountFlags) validateAccount(a wechat.Account) error {
	err := a.Validate()
	var ae *wechat.AccountError
	if errors.As(err, &ae) {
		if flag, ok := accountFieldFlags[ae.Field]; ok {
			return usageErr("%s: %w", f.source(flag), err)
		}
	}
	if err != nil {
		return asUsage(err)
	}
	return nil
}

// account validates the flags into an Account.
func (f *accountFlags) account(fs *pflag.FlagSet) (wechat.Account, error) {
	f.fromEnv(fs)
	a := wechat.Account{AppID: f.appid, Nickname: f.nickname, OriginalID: f.originalID,
		Token: f.token, EncodingAESKey: f.aesKey}
	switch {
	case f.mode != "":
		m, err := wechat.ParseMode(f.mode)
		if err != nil {
			return a, usageErr("%s %q: want plain, compat or safe", f.source("mode"), f.mode)
		}
		a.Mode = m
	case f.aesKey != "":
		a.Mode = wechat.Safe
	}
	if f.token == "" {
		return a, usageErr("--token (or WXSIM_TOKEN) is required: the Token set on the WeChat platform's server configuration page")
	}
	if a.Mode.Encrypted() && f.aesKey == "" {
		return a, usageErr("%s %s needs --aes-key (or WXSIM_AES_KEY)", f.source("mode"), a.Mode)
	}
	if err := f.validateAccount(a); err != nil {
		return a, err
	}
	return a, nil
}

// target validates the account and the endpoint's URL together: what every
// command that pushes to an endpoint needs first.
func (f *accountFlags) target(fs *pflag.FlagSet) (wechat.Account, string, error) {
	a, err := f.account(fs)
	if err != nil {
		return a, "", err
	}
	u, err := f.endpointURL()
	return a, u, err
}

// endpointURL validates --url: http or https, with a host.
func (f *accountFlags) endpointURL() (string, error) {
	if f.url == "" {
		return "", usageErr("--url (or WXSIM_URL) is required: the endpoint's callback URL")
	}
	u, err := url.Parse(f.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", usageErr("%s %q: want an http:// or https:// URL with a host", f.source("url"), f.url)
	}
	if u.RawQuery != "" {
		return "", usageErr("%s %q: give the callback URL without a query; wxsim adds WeChat's parameters", f.source("url"), f.url)
	}
	return f.url, nil
}

// describe renders the account for output, never its secrets.
func describe(a wechat.Account) string {
	return fmt.Sprintf("appid %s, %s mode", a.AppID, a.Mode)
}
