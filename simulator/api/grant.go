package api

import (
	"crypto/rand"
	"encoding/base64"
	"time"
)

// retiredCap bounds how many revoked tokens a lineage remembers, so that a
// drill refreshing in a loop cannot grow the mock's memory without bound.
// A forgotten token answers 40014 (unknown) instead of 40001 (superseded).
const retiredCap = 4096

// grant is one issued access_token.
type grant struct {
	token   string
	appid   string
	expires time.Time
	revoked time.Time // zero: never; otherwise 40001 from then on
}

// revokeAt makes g invalid from t on, unless it already is sooner.
func (g *grant) revokeAt(t time.Time) {
	if g.revoked.IsZero() || t.Before(g.revoked) {
		g.revoked = t
	}
}

// lineage is one chain of tokens: an account's /cgi-bin/token tokens, or
// its stable_token ones, which WeChat keeps apart. Only the current and
// the previous token can still be valid.
type lineage struct {
	current, previous *grant
	retired           []*grant // ring of revoked tokens, remembered for 40001
	next              int      // the ring's oldest slot once it is full
}

// store holds every remembered token of every lineage, by token string.
type store struct {
	ttl     time.Duration
	byToken map[string]*grant
}

func newStore(ttl time.Duration) *store {
	return &store{ttl: ttl, byToken: make(map[string]*grant)}
}

// rotate issues a new current token in l. The old current becomes the
// previous, revoked at prevUntil (zero: it lives until it expires); the
// old previous is revoked at once: only two tokens of a lineage ever work.
func (s *store) rotate(l *lineage, appid string, now, prevUntil time.Time) *grant {
	if l.previous != nil {
		s.retire(l, l.previous, now)
	}
	if l.current != nil && !prevUntil.IsZero() {
		l.current.revokeAt(prevUntil)
	}
	l.previous = l.current
	l.current = s.issue(appid, now)
	return l.current
}

// replace issues a new current token in l and revokes every older one at
// once: stable_token's force_refresh.
func (s *store) replace(l *lineage, appid string, now time.Time) *grant {
	for _, g := range []*grant{l.previous, l.current} {
		if g != nil {
			s.retire(l, g, now)
		}
	}
	l.previous = nil
	l.current = s.issue(appid, now)
	return l.current
}

func (s *store) issue(appid string, now time.Time) *grant {
	g := &grant{token: newToken(), appid: appid, expires: now.Add(s.ttl)}
	s.byToken[g.token] = g
	return g
}

// retire revokes g at t and remembers it in l's ring, forgetting the
// oldest retired token once the ring is full.
func (s *store) retire(l *lineage, g *grant, t time.Time) {
	g.revokeAt(t)
	if len(l.retired) < retiredCap {
		l.retired = append(l.retired, g)
		return
	}
	delete(s.byToken, l.retired[l.next].token)
	l.retired[l.next] = g
	l.next = (l.next + 1) % retiredCap
}

// check validates an access_token at now: 40014 unknown, 42001 past its
// expires_in, 40001 superseded before that.
func (s *store) check(token string, now time.Time) (*grant, *apiError) {
	g, ok := s.byToken[token]
	switch {
	case !ok:
		return nil, fail(CodeInvalidToken)
	case !now.Before(g.expires): // expiry first: the more telling of the two
		return nil, fail(CodeTokenExpired)
	case !g.revoked.IsZero() && !now.Before(g.revoked):
		return nil, fail(CodeInvalidCredential)
	}
	return g, nil
}

// newToken returns a random access_token shaped like WeChat's: a short
// numeric prefix, an underscore and about 130 URL-safe characters, well
// within the 512 characters the docs tell developers to reserve.
func newToken() string {
	b := make([]byte, 96)
	rand.Read(b) // never fails since Go 1.24
	return "90_" + base64.RawURLEncoding.EncodeToString(b)
}
