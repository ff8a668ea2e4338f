package api

import "fmt"

// InvalidateTokens revokes every access_token of appid, from both
// /cgi-bin/token and /cgi-bin/stable_token, at once: their next use is
// answered 40001, as WeChat answers a server whose token another server
// replaced (or that the account's admin reset with the AppSecret). The next
// token request issues a fresh one. It is how a drill checks that an
// endpoint recovers from 40001 by fetching a new token and calling again.
func (s *Server) InvalidateTokens(appid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[appid]
	if !ok {
		return fmt.Errorf("api: appid %s is not configured", appid)
	}
	now := s.cfg.Now()
	for _, l := range []*lineage{&a.token, &a.stable} {
		for _, g := range []*grant{l.previous, l.current} {
			if g != nil {
				s.store.retire(l, g, now)
			}
		}
		l.previous, l.current = nil, nil
	}
	return nil
}
