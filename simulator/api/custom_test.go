package api

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"
)

func TestCustomSend(t *testing.T) {
	cases := []struct {
		name, body string
		code       int
	}{
		{"text", `{"touser":"o-user","msgtype":"text","text":{"content":"Hello World"}}`, 0},
		{"kf account", `{"touser":"o-user","msgtype":"text","text":{"content":"hi"},"customservice":{"kf_account":"kf@x"}}`, 0},
		{"image", `{"touser":"o-user","msgtype":"image","image":{"media_id":"M"}}`, 0},
		{"no touser", `{"msgtype":"text","text":{"content":"hi"}}`, 40003},
		{"bad msgtype", `{"touser":"o-user","msgtype":"fax"}`, 40008},
		{"no text", `{"touser":"o-user","msgtype":"text"}`, 44004},
		{"empty text", `{"touser":"o-user","msgtype":"text","text":{"content":""}}`, 44004},
		{"empty body", ``, 44002},
		{"not JSON", `<xml/>`, 47001},
		{"too large", `{"touser":"` + strings.Repeat("o", maxBody) + `"}`, 47001},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			r := newRig(t, Config{})
			a := r.post(PathCustomSend, r.mustToken(), c.body)
			g.Expect(a.code()).To(Equal(c.code), "%v", a)
			sent := r.srv.Stats().CustomMessagesSent
			if c.code == 0 {
				g.Expect(a).To(Equal(answer{"errcode": 0.0, "errmsg": "ok"}))
				g.Expect(sent).To(Equal(map[string]int64{testAppID: 1}))
			} else {
				g.Expect(a["errmsg"]).To(MatchRegexp(ridPattern.String()))
				g.Expect(sent).To(BeEmpty())
			}
		})
	}
}
