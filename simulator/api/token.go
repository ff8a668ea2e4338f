package api

import (
	"crypto/subtle"
	"net/http"
	"net/netip"
	"time"
)

// tokenAnswer is the success answer of both token APIs.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

// credentials are what both token APIs are called with.
type credentials struct {
	GrantType string `json:"grant_type"`
	AppID     string `json:"appid"`
	Secret    string `json:"secret"`
}

// getToken serves GET /cgi-bin/token: every successful call issues a new
// token; the previous one keeps working for Overlap, every older one stops
// at once. That is what makes N servers refreshing on their own invalidate
// one another.
func (s *Server) getToken(r *http.Request, c *call) (any, *apiError) {
	q := r.URL.Query()
	cred := credentials{GrantType: q.Get("grant_type"), AppID: q.Get("appid"), Secret: q.Get("secret")}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, e := s.authenticate(cred, r)
	if e != nil {
		return nil, e
	}
	if !a.tokenDay.take(c.now, a.DailyQuota) {
		return nil, fail(CodeDailyQuota)
	}
	g := s.store.rotate(&a.token, a.AppID, c.now, c.now.Add(s.cfg.Overlap))
	s.stats.issued(a.AppID)
	return tokenAnswer{AccessToken: g.token, ExpiresIn: int64(s.cfg.TokenTTL / time.Second)}, nil
}

// authenticate checks the grant type, the appid, the secret and the
// caller's IP, in that order, and returns the account. Callers hold s.mu.
func (s *Server) authenticate(cred credentials, r *http.Request) (*account, *apiError) {
	if cred.GrantType != "client_credential" {
		return nil, fail(CodeInvalidGrantType)
	}
	if cred.AppID == "" {
		return nil, fail(CodeMissingAppID)
	}
	a, ok := s.accounts[cred.AppID]
	switch {
	case !ok:
		return nil, fail(CodeInvalidAppID)
	case cred.Secret == "":
		return nil, fail(CodeMissingSecret)
	case subtle.ConstantTimeCompare([]byte(cred.Secret), []byte(a.Secret)) != 1:
		return nil, fail(CodeInvalidSecret)
	}
	if e := a.allows(r.RemoteAddr); e != nil {
		return nil, e
	}
	return a, nil
}

// allows checks the caller's address against the account's whitelist.
func (a *account) allows(remoteAddr string) *apiError {
	if len(a.AllowIPs) == 0 {
		return nil
	}
	ap, err := netip.ParseAddrPort(remoteAddr)
	if err != nil { // not a TCP peer (a test's recorder): nothing to match
		return ipNotAllowed(remoteAddr, remoteAddr)
	}
	ip := ap.Addr().Unmap()
	for _, p := range a.AllowIPs {
		if p.Contains(ip) {
			return nil
		}
	}
	if ip.Is4() {
		return ipNotAllowed(ip.String(), "::ffff:"+ip.String())
	}
	return ipNotAllowed(ip.String(), ip.String())
}
