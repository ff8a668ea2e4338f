package conformance

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/api"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// apiCases: an endpoint that acknowledges pushes with "success" and answers
// followers later through the customer-service message API — the alarm
// guide's structural fix for request timeouts — only works if it uses
// WeChat's server API well. Opt-in with --api: the suite plays the API and
// the endpoint's SDK must be pointed at it. An endpoint that answers text
// passively does not take this path; the cases then have nothing to judge.
func apiCases() {
	Describe("api", func() {
		Case("api/1", Must, "A text push acknowledged with success or an empty reply is answered through the customer-service API: an accepted custom/send to its sender within the API window.",
			apiAnswered)
		Case("api/2", Should, "The access_token is cached: ten text pushes in a row cost at most one new token.",
			apiTokenCached)
		Case("api/3", Should, "After WeChat invalidates the access_token (40001), the endpoint fetches a new one and the answer still arrives within the API window.",
			apiRecovers)
	})
}

const (
	fixAPIAnswer = "After answering success, send the follower's answer with POST /cgi-bin/message/custom/send " +
		"(touser = the push's FromUserName) from a queue that does not lose work; check the errcode of every call."
	fixAPIToken = "Fetch the access_token once and share it between every request and every server (a central token service, " +
		"or /cgi-bin/stable_token); refresh it shortly before expires_in, never per message: each /cgi-bin/token call " +
		"invalidates the previous token after 5 minutes and counts against the 2000-a-day quota."
	fixAPIRefresh = "On errcode 40001, 40014 or 42001, fetch a new access_token (once, shared by every request) and repeat the call; " +
		"another server refreshing the token, or an AppSecret reset, invalidates the cached one."
)

// apiTextPushes is how many pushes api/2 sends in a row.
const apiTextPushes = 10

func apiAnswered(sc SpecContext) {
	s, ctx, done := beginAPI(sc)
	defer done()
	p := s.apiPush(ctx)
	if !s.awaitAnswers(ctx, []*wechat.Push{p}) {
		failCase(finding{
			expected: fmt.Sprintf("an accepted custom/send to %s within %s of the acknowledgement", p.FromUserName, s.cfg.APIWindow),
			seen:     s.apiSeen(p.FromUserName),
			fix:      fixAPIAnswer,
		})
	}
}

func apiTokenCached(sc SpecContext) {
	s, ctx, done := beginAPI(sc)
	defer done()
	before := s.newTokens()
	pushes := []*wechat.Push{s.apiPush(ctx)}
	for len(pushes) < apiTextPushes {
		pushes = append(pushes, s.apiPush(ctx))
	}
	arrived := s.awaitAnswers(ctx, pushes)
	tokens := s.newTokens() - before
	AddReportEntry(entryNote, fmt.Sprintf("%d new access_tokens for %d pushes", tokens, len(pushes)), evidenceVisibility)
	if !arrived || tokens > 1 {
		failCase(finding{
			expected: fmt.Sprintf("%d answers through custom/send, at most one new access_token", len(pushes)),
			seen:     fmt.Sprintf("%d of %d answered within %s; %d new access_tokens", s.answered(pushes), len(pushes), s.cfg.APIWindow, tokens),
			fix:      fixAPIToken,
		})
	}
}

func apiRecovers(sc SpecContext) {
	s, ctx, done := beginAPI(sc)
	defer done()
	// A first push makes sure the endpoint holds a token to lose.
	s.awaitAnswers(ctx, []*wechat.Push{s.apiPush(ctx)})
	if err := s.api.srv.InvalidateTokens(s.cfg.Account.AppID); err != nil {
		Fail("conformance: " + err.Error())
	}
	refused := s.api.srv.Stats().Errors[api.CodeInvalidCredential]
	p := s.apiPush(ctx)
	if !s.awaitAnswers(ctx, []*wechat.Push{p}) {
		failCase(finding{
			expected: fmt.Sprintf("after the token was invalidated, a new access_token and an accepted custom/send to %s within %s", p.FromUserName, s.cfg.APIWindow),
			seen: fmt.Sprintf("%s; calls refused with 40001 since the invalidation: %d", s.apiSeen(p.FromUserName),
				s.api.srv.Stats().Errors[api.CodeInvalidCredential]-refused),
			fix: fixAPIRefresh,
		})
	}
}

// beginAPI is begin for the api cases: they run only with --api.
func beginAPI(sc SpecContext) (*session, context.Context, context.CancelFunc) {
	s, ctx, done := begin(sc)
	if !s.cfg.API || s.api == nil {
		done()
		Skip("opt-in: run with --api (and point the endpoint's SDK at --api-listen) to check its use of WeChat's server API")
	}
	return s, ctx, done
}

// apiPush delivers a fresh text push and returns it once acknowledged. An
// endpoint that answered it passively does not use the API for text, so
// the case is skipped; one that did not answer validly fails it (the
// reply and timing cases say more).
func (s *session) apiPush(ctx context.Context) *wechat.Push {
	p := s.push(textKind())
	x := s.strict.Push(ctx, s.cfg.URL, s.codec, p)
	if !hasEntry(entryReply) { // the first push of the case is its evidence
		attachExchange(x, p, s.codec)
	}
	if x.Outcome.Class != simulator.OK {
		failCase(finding{
			expected: fmt.Sprintf("the text push acknowledged with success or an empty reply within %s", s.cfg.Transport.ResponseTimeout),
			seen:     seenExchange(x),
			fix:      fixAPIAnswer,
		})
	}
	if t := s.reader.Judge(x.Status, x.Reply, p).ReplyType; t != wechat.ReplySuccess && t != wechat.ReplyEmpty {
		Skip(fmt.Sprintf("the endpoint answered the text push passively (a %s reply), not through the customer-service API", t))
	}
	return p
}

// awaitAnswers waits up to the API window for an accepted custom/send to
// the sender of every push, and reports whether they all came.
func (s *session) awaitAnswers(ctx context.Context, pushes []*wechat.Push) bool {
	deadline := time.NewTimer(s.cfg.APIWindow)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if s.answered(pushes) == len(pushes) {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-deadline.C:
			return s.answered(pushes) == len(pushes)
		case <-tick.C:
		}
	}
}

// answered counts the pushes whose sender got a customer-service message.
// Every push comes from a follower never used before, so a message to
// that follower answers that push.
func (s *session) answered(pushes []*wechat.Push) int {
	got := map[string]bool{}
	for _, m := range s.api.srv.CustomMessages() {
		if m.AppID == s.cfg.Account.AppID {
			got[m.ToUser] = true
		}
	}
	n := 0
	for _, p := range pushes {
		if got[p.FromUserName] {
			n++
		}
	}
	return n
}

// newTokens counts the access_tokens the mock issued to the account, from
// both token APIs.
func (s *session) newTokens() int64 {
	st := s.api.srv.Stats()
	return st.TokensIssued[s.cfg.Account.AppID] + st.StableTokensIssued[s.cfg.Account.AppID]
}

// apiSeen says what the mock saw: the calls by path and the error codes,
// for a failed case's evidence.
func (s *session) apiSeen(openID string) string {
	st := s.api.srv.Stats()
	var calls []string
	for _, path := range []string{api.PathToken, api.PathStableToken, api.PathCustomSend, api.PathOther} {
		if n := st.Calls[path]; n > 0 {
			calls = append(calls, fmt.Sprintf("%s ×%d", path, n))
		}
	}
	var codes []string
	for _, code := range slices.Sorted(maps.Keys(st.Errors)) {
		codes = append(codes, fmt.Sprintf("%d ×%d", code, st.Errors[code]))
	}
	if len(calls) == 0 {
		calls = []string{"none"}
	}
	if len(codes) == 0 {
		codes = []string{"none"}
	}
	return fmt.Sprintf("no accepted custom/send to %s; API calls so far: %s; errcodes: %s",
		openID, strings.Join(calls, ", "), strings.Join(codes, ", "))
}

// hasEntry reports whether the running case already has a report entry
// called name.
func hasEntry(name string) bool {
	for _, e := range CurrentSpecReport().ReportEntries {
		if e.Name == name {
			return true
		}
	}
	return false
}
