package api

import (
	"net/http"
	"net/url"
	"testing"

	. "github.com/onsi/gomega"
)

// TestDrillServersRefreshingOnTheirOwn is the guide's access_token FAQ: N
// servers each fetching their own token invalidate one another; only the
// last two tokens work, and the stats show it.
func TestDrillServersRefreshingOnTheirOwn(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	const servers = 5
	tokens := make([]string, servers)
	for i := range tokens {
		tokens[i] = r.mustToken()
	}
	codes := make([]int, servers)
	for i, tok := range tokens {
		codes[i] = r.post(PathCustomSend, tok, `{"touser":"o-user","msgtype":"text","text":{"content":"hi"}}`).code()
	}
	g.Expect(codes).To(Equal([]int{40001, 40001, 40001, 0, 0}))

	st := r.do(http.MethodGet, StatsPath, nil, "")
	g.Expect(st["tokens_issued"]).To(Equal(map[string]any{testAppID: 5.0}))
	g.Expect(st["custom_messages_sent"]).To(Equal(map[string]any{testAppID: 2.0}))
	g.Expect(st["errcodes"]).To(Equal(map[string]any{"40001": 3.0}))
	g.Expect(st["stable_tokens_issued"]).To(BeEmpty())
	g.Expect(st["calls"]).To(Equal(map[string]any{
		PathToken: 5.0, PathCustomSend: 5.0, PathStableToken: 0.0, PathCallbackIP: 0.0,
		PathAPIDomainIP: 0.0, PathCallbackCheck: 0.0, PathOther: 0.0,
	}))
}

func TestStatsCountsOtherPaths(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	resp, err := r.http.Client().Get(r.http.URL + "/cgi-bin/menu/create?access_token=x")
	g.Expect(err).NotTo(HaveOccurred())
	resp.Body.Close()
	g.Expect(resp.StatusCode).To(Equal(http.StatusNotFound))
	r.use("x")
	r.do(http.MethodGet, StatsPath, nil, "")
	s := r.srv.Stats()
	g.Expect(s.Calls).To(HaveKeyWithValue(PathOther, int64(1)))
	g.Expect(s.Calls).To(HaveKeyWithValue(PathCallbackIP, int64(1)))
	g.Expect(s.Calls).NotTo(HaveKey(StatsPath), "the stats path is not counted")
	g.Expect(s.Errors).To(Equal(map[int]int64{40014: 1}))
}

// TestStatsSnapshotIsACopy: a caller changing its Stats changes nothing.
func TestStatsSnapshotIsACopy(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	r.mustToken()
	s := r.srv.Stats()
	s.TokensIssued[testAppID] = 99
	s.Calls[PathToken] = 99
	g.Expect(r.srv.Stats().TokensIssued).To(Equal(map[string]int64{testAppID: 1}))
	g.Expect(r.srv.Stats().Calls).To(HaveKeyWithValue(PathToken, int64(1)))
	g.Expect(r.do(http.MethodPost, StatsPath, url.Values{}, "").code()).To(Equal(43001))
}
