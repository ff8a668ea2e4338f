package scenario

import (
	"cmp"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// accounts builds `account:` with the top level's traffic, or each entry
// of `accounts:` with the top level's traffic as its defaults.
func (b *builder) accounts(r *rawScenario) []Account {
	top := r.traffic()
	switch {
	case r.Account != nil && r.Accounts != nil:
		b.fail("accounts", "give either account (one account) or accounts (several), not both")
		return nil
	case r.Accounts != nil:
		return b.entries(r.Accounts, top)
	case r.Account == nil:
		b.fail("account", "required: the account that pushes (appid and token at least), or accounts for several")
		return nil
	}
	id := b.identity("account", r.Account, "")
	a := b.traffic("", top, rawTraffic{})
	a.Name, a.Account = "main", id
	return []Account{a}
}

// entries builds the `accounts:` list.
func (b *builder) entries(raws []rawAccount, top rawTraffic) []Account {
	if len(raws) == 0 {
		b.fail("accounts", "empty: give at least one account")
		return nil
	}
	seen, appids := map[string]int{}, map[string]int{}
	out := make([]Account, 0, len(raws))
	ids := make([]wechat.Account, 0, len(raws))
	for i := range raws {
		prefix := "accounts[" + itoa(i) + "]"
		name := b.str(prefix+".name", raws[i].Name, false)
		if first, dup := seen[name]; dup && name != "" {
			b.fail(prefix+".name", "%q is already the name of accounts[%d]", name, first)
		} else if name == "" {
			b.fail(prefix+".name", "required: a name for the account, unique in the scenario")
		}
		seen[name] = i
		id := b.identity(prefix, raws[i].identity(), name)
		// One appid may be pushed on two schedules (a platform's tickets and
		// its authorization events), but then it is one account: the same
		// token, key, mode and ids, sharing its breaker and alarms.
		if first, dup := appids[id.AppID]; dup && !b.failed() && ids[first] != id {
			b.fail(prefix+".appid", "%s is already the appid of accounts[%d], with other settings: one appid is one account (same token, key, mode and ids)", id.AppID, first)
		}
		if _, dup := appids[id.AppID]; !dup {
			appids[id.AppID] = i
		}
		ids = append(ids, id)
		a := b.traffic(prefix+".", raws[i].traffic(), top)
		a.Name, a.Account = name, id
		out = append(out, a)
		if b.failed() {
			return nil
		}
	}
	return out
}

// identity builds an account; path is where its fields are written, and
// name (when not "") its default nickname.
func (b *builder) identity(path string, r *rawIdentity, name string) wechat.Account {
	a := wechat.Account{
		AppID:          b.str(path+".appid", r.AppID, false),
		Nickname:       b.str(path+".nickname", r.Nickname, false),
		OriginalID:     b.str(path+".original_id", r.OriginalID, false),
		Token:          b.str(path+".token", r.Token, true),
		EncodingAESKey: b.str(path+".aes_key", r.AESKey, true),
	}
	mode := b.str(path+".mode", r.Mode, false)
	switch {
	case b.failed():
		return a
	case a.AppID == "":
		b.fail(path+".appid", "required: the account's appid (wx…), or the component appid of a third-party platform")
	case a.Token == "":
		b.fail(path+".token", "required: the Token of the server configuration (write ${WXSIM_TOKEN} to keep it out of the file)")
	}
	b.mode(path+".mode", mode, &a)
	if a.Nickname == "" {
		a.Nickname = cmp.Or(name, a.AppID)
	}
	if a.OriginalID == "" {
		a.OriginalID = "gh_" + a.AppID[max(len(a.AppID)-12, 0):]
	}
	if err := a.Validate(); err != nil && !b.failed() {
		field, problem := accountProblem(err)
		b.fail(path+"."+field, "%s", problem)
	}
	return a
}

// mode sets the account's mode: as written, or safe when an AES key is
// given and plain otherwise, as the command line's --mode does.
func (b *builder) mode(path, mode string, a *wechat.Account) {
	if b.failed() {
		return
	}
	switch {
	case mode != "":
		m, err := wechat.ParseMode(mode)
		if err != nil {
			b.fail(path, "%q: want plain, compat or safe", mode)
			return
		}
		a.Mode = m
	case a.EncodingAESKey != "":
		a.Mode = wechat.Safe
	}
	if a.Mode.Encrypted() && a.EncodingAESKey == "" {
		b.fail(path, "%s mode needs aes_key (the EncodingAESKey, 43 characters)", a.Mode)
	}
}

// accountProblem maps an error of wechat.Account.Validate, which names Go
// fields, to the file's field names. Validate never quotes a secret.
func accountProblem(err error) (field, problem string) {
	names := map[string]string{"AppID": "appid", "Token": "token", "EncodingAESKey": "aes_key",
		"OriginalID": "original_id", "Mode": "mode", "Nickname": "nickname"}
	var ae *wechat.AccountError
	if errors.As(err, &ae) {
		if f, ok := names[ae.Field]; ok {
			return f, ae.Problem
		}
	}
	return "appid", strings.TrimPrefix(err.Error(), wechat.ErrInvalidAccount.Error()+": ")
}

// traffic builds where and what an account pushes. prefix is the entry's
// path ("accounts[1]." or ""); fields it leaves out come from def, the top
// level, with errors reported where def's fields are written.
func (b *builder) traffic(prefix string, own, def rawTraffic) Account {
	var a Account
	urlPath, u := prefix+"url", own.URL
	if !u.set && prefix != "" {
		urlPath, u = "url", def.URL
	}
	a.URL = b.endpointURL(urlPath, u, prefix)
	mixPath, mix := prefix+"mix", own.Mix
	if !mix.set && prefix != "" {
		mixPath, mix = "mix", def.Mix
	}
	a.Mix = b.mix(mixPath, mix)
	fPath, f := prefix+"followers", own.Followers
	if !f.set && prefix != "" {
		fPath, f = "followers", def.Followers
	}
	a.Followers = DefaultFollowers
	if n, ok := b.count(fPath, f, 1); ok {
		a.Followers = n
	}
	loadPrefix, load := prefix, own
	if !own.hasLoad() && prefix != "" {
		loadPrefix, load = "", def
	}
	a.Pace = b.load(loadPrefix, load, prefix)
	return a
}

// endpointURL checks a callback URL: http or https, a host, no query.
// entry is the account's path prefix, where a missing URL is reported.
func (b *builder) endpointURL(path string, t text, entry string) string {
	s := b.str(path, t, false)
	if b.failed() {
		return ""
	}
	if s == "" {
		b.fail(entry+"url", "required: the endpoint's callback URL, such as http://127.0.0.1:8080/wechat")
		return ""
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		b.fail(path, "%q: want an http:// or https:// URL with a host", s)
	case u.RawQuery != "":
		b.fail(path, "%q: give the callback URL without a query; wxsim adds WeChat's parameters", s)
	}
	return s
}

// itoa is strconv.Itoa, short for paths.
func itoa(i int) string { return strconv.Itoa(i) }
