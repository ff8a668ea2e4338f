package api

import (
	"net/http"
	"time"
)

// stableRequest is the JSON body of POST /cgi-bin/stable_token.
type stableRequest struct {
	credentials
	ForceRefresh bool `json:"force_refresh"`
}

// stableToken serves POST /cgi-bin/stable_token, a lineage apart from
// /cgi-bin/token's. Normal mode returns the current token until its last
// Overlap and a new one from then on (the old one lives until it expires,
// so expires_in is always at least Overlap). force_refresh issues a new
// token and revokes the old at once.
func (s *Server) stableToken(r *http.Request, c *call) (any, *apiError) {
	var req stableRequest
	if e := decodeBody(r, &req); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, e := s.authenticate(req.credentials, r)
	if e != nil {
		return nil, e
	}
	if !a.stableMinute.take(c.now, StableMinuteQuota) {
		return nil, fail(CodeMinuteQuota)
	}
	if !a.stableDay.take(c.now, StableDailyQuota) {
		return nil, fail(CodeDailyQuota)
	}
	g, e := s.stableGrant(a, req.ForceRefresh, c.now)
	if e != nil {
		return nil, e
	}
	return tokenAnswer{AccessToken: g.token, ExpiresIn: int64(g.expires.Sub(c.now) / time.Second)}, nil
}

// stableGrant picks the stable token to answer, issuing one when due.
// Callers hold s.mu.
func (s *Server) stableGrant(a *account, force bool, now time.Time) (*grant, *apiError) {
	// The docs: "连续使用该模式时，请保证调用时间隔至少为 30s，否则不会刷新"
	// (force refreshes less than 30 s apart do not refresh): such a call is
	// answered as a normal one, not with an error.
	if force && !a.lastForce.IsZero() && now.Sub(a.lastForce) < ForceRefreshGap {
		force = false
	}
	if force {
		// The docs limit force_refresh to 20 a day without naming the
		// errcode past the limit; we answer 45009, the daily-quota code.
		if !a.forceDay.take(now, ForceRefreshPerDay) {
			return nil, fail(CodeDailyQuota)
		}
		a.lastForce = now
		s.stats.issuedStable(a.AppID)
		return s.store.replace(&a.stable, a.AppID, now), nil
	}
	if cur := a.stable.current; cur != nil && now.Before(cur.expires.Add(-s.cfg.Overlap)) {
		return cur, nil
	}
	s.stats.issuedStable(a.AppID)
	return s.store.rotate(&a.stable, a.AppID, now, time.Time{}), nil
}
