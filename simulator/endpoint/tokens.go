package endpoint

import (
	"context"
	"sync"
	"time"
)

// RefreshMargin is how long before its expires_in the async behaviour
// refreshes the cached access_token, so that no call races its expiry.
const RefreshMargin = 5 * time.Minute

// tokenSource is how an asynchronous behaviour gets its access_token:
// the behaviours differ in nothing else.
type tokenSource interface {
	// get returns the token to call the API with.
	get(ctx context.Context) (string, error)
	// rejected is told that the API refused token (40001, 40014, 42001)
	// and reports whether to fetch a new one and call once more.
	rejected(token string) bool
}

// isTokenError reports whether errcode says the access_token is no good:
// superseded (40001), unknown (40014) or expired (42001).
func isTokenError(errcode int) bool {
	return errcode == 40001 || errcode == 40014 || errcode == 42001
}

// fetchFunc fetches a new token and its lifetime: apiClient.fetchToken,
// counted.
type fetchFunc func(ctx context.Context) (string, time.Duration, error)

// flight is one token fetch; the sends that wait for it share its result.
type flight struct {
	done  chan struct{}
	token string
	err   error
}

// sharedToken is the correct token cache: one token for every send,
// fetched by one caller at a time (the others wait for that fetch), and
// refreshed RefreshMargin before it expires or when the API rejects it.
// With forever set it is norefresh's cache: fetched once, never refreshed.
type sharedToken struct {
	fetch   fetchFunc
	now     func() time.Time
	forever bool

	mu        sync.Mutex
	token     string
	refreshAt time.Time
	inFlight  *flight
}

func (s *sharedToken) get(ctx context.Context) (string, error) {
	s.mu.Lock()
	if s.token != "" && (s.forever || s.now().Before(s.refreshAt)) {
		defer s.mu.Unlock()
		return s.token, nil
	}
	f := s.inFlight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		s.inFlight = f
		s.mu.Unlock()
		s.run(ctx, f)
	} else {
		s.mu.Unlock()
	}
	select {
	case <-f.done:
		return f.token, f.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// run makes the fetch of f and publishes its result.
func (s *sharedToken) run(ctx context.Context, f *flight) {
	token, ttl, err := s.fetch(ctx)
	s.mu.Lock()
	if err == nil {
		s.token = token
		s.refreshAt = s.now().Add(ttl - min(RefreshMargin, ttl/2))
	}
	s.inFlight = nil
	s.mu.Unlock()
	f.token, f.err = token, err
	close(f.done)
}

// rejected forgets token unless a newer one replaced it already, so that
// the next get fetches a new one; norefresh keeps it and gives up.
func (s *sharedToken) rejected(token string) bool {
	if s.forever {
		return false
	}
	s.mu.Lock()
	if s.token == token {
		s.token = ""
	}
	s.mu.Unlock()
	return true
}

// tokenPerPush is tokenperpush's bug: a new token for every call, which
// burns the daily quota and revokes the tokens of concurrent sends.
type tokenPerPush struct{ fetch fetchFunc }

func (t tokenPerPush) get(ctx context.Context) (string, error) {
	token, _, err := t.fetch(ctx)
	return token, err
}

func (tokenPerPush) rejected(string) bool { return true }
