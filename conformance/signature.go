package conformance

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// signatureCases: an endpoint acts only on pushes that really come from
// WeChat. Each case sends a text push — the kind most endpoints answer
// with a passive reply — that WeChat would never send, and expects no
// passive reply. Some libraries answer such pushes with 200 and an empty
// body or "success"; that passes (nothing was produced), and all four
// cases are should: WeChat itself never sends these pushes.
func signatureCases() {
	Describe("signature", func() {
		// "signature = sha1(sort(token, timestamp, nonce))" — and msg_signature over the Encrypt element too.
		Case("signature/1", Should, "A push whose signatures do not verify (signature, and msg_signature in compat and safe mode) gets no passive reply.",
			func(sc SpecContext) {
				s, ctx, done := begin(sc)
				defer done()
				sp := sign(s.codec, s.push(textKind()), time.Now())
				forger := s.twin(s.cfg.Account.AppID, forgedToken)
				s.expectRefused(ctx, sp.query(forger), sp, "signature and msg_signature computed with another token", fixForged)
			})

		// "the official doc warns to validate the encrypted body with msg_signature, not signature"
		Case("signature/2", Should, "In compat and safe mode, a push whose msg_signature does not match its Encrypt element gets no passive reply, even though its signature verifies.",
			func(sc SpecContext) {
				s, ctx, done := begin(sc)
				defer done()
				skipUnlessEncrypted(s, "a plain-mode push has no msg_signature")
				sp := sign(s.codec, s.push(textKind()), time.Now())
				good := wechat.MsgSignature(s.cfg.Account.Token, sp.timestamp, sp.nonce, sp.encrypt)
				bad := wechat.MsgSignature(forgedToken, sp.timestamp, sp.nonce, sp.encrypt)
				q := strings.Replace(sp.query(s.codec), "msg_signature="+good, "msg_signature="+bad, 1)
				s.expectRefused(ctx, q, sp, "a msg_signature that does not cover the Encrypt element", fixMsgSignature)
			})

		Case("signature/3", Should, "A replayed push, correctly signed but with a timestamp and CreateTime an hour old, gets no passive reply.",
			func(sc SpecContext) {
				s, ctx, done := begin(sc)
				defer done()
				then := time.Now().Add(-time.Hour)
				p := s.push(textKind())
				p.CreateTime = then.Unix()
				sp := sign(s.codec, p, then)
				s.expectRefused(ctx, sp.query(s.codec), sp, "a correctly signed push whose timestamp is an hour old", fixReplay)
			})

		// "The reply ciphertext's trailing appid is the account appid" — and so is the push's (WXBizMsgCrypt -40005).
		Case("signature/4", Should, "In compat and safe mode, a push whose ciphertext was made for another appid gets no passive reply.",
			func(sc SpecContext) {
				s, ctx, done := begin(sc)
				defer done()
				skipUnlessEncrypted(s, "a plain-mode push has no ciphertext")
				other := s.twin(otherAppID(s.cfg.Account.AppID), s.cfg.Account.Token)
				sp := sign(other, s.push(textKind()), time.Now())
				s.expectRefused(ctx, sp.query(other), sp, "a correctly signed push whose ciphertext ends with the appid "+otherAppID(s.cfg.Account.AppID), fixAppID)
			})
	})
}

const (
	fixForged = "Verify every push before acting on it: signature = sha1(sort(token, timestamp, nonce)), and in compat and safe mode " +
		"msg_signature = sha1(sort(token, timestamp, nonce, Encrypt)); answer a mismatch with an error status (e.g. 401) and no passive reply."
	fixMsgSignature = "Validate the encrypted body with msg_signature = sha1(sort(token, timestamp, nonce, Encrypt)) before decrypting: " +
		"WeChat's guide warns that signature alone does not cover the body (WXBizMsgCrypt error -40001)."
	fixReplay = "Refuse pushes whose timestamp is far from the current time (say more than 5 minutes), so that a captured push cannot be replayed; " +
		"WeChat's own pushes and re-deliveries carry a current timestamp."
	fixAppID = "After decrypting, compare the appid at the end of the plaintext with your own and refuse the push when they differ " +
		"(WXBizMsgCrypt error -40005, ValidateAppid_Error)."
)

// expectRefused sends a push WeChat would never send and fails the case
// when the endpoint produced a passive reply for it.
func (s *session) expectRefused(ctx context.Context, query string, sp signed, what string, fix string) {
	x := s.send(ctx, s.patient, query, sp)
	attachExchange(x, sp.push, s.codec)
	if producedReply(x) {
		failCase(finding{
			expected: "no passive reply to " + what + ": an error status (e.g. 401), or at most an empty body or success",
			seen:     fmt.Sprintf("HTTP %d with a passive reply: %s", x.Status, quote(x.Reply)),
			fix:      fix,
		})
	}
	if x.Status == 0 {
		note("no answer (%s): nothing was produced", x.Outcome.Class)
	}
}

// producedReply reports whether the endpoint answered with a passive reply
// (an XML message, or an encrypted envelope) rather than refusing.
func producedReply(x simulator.Exchange) bool {
	if x.Status != http.StatusOK {
		return false
	}
	body := bytes.TrimSpace(x.Reply)
	if len(body) == 0 || string(body) == wechat.ReplySuccess {
		return false
	}
	r, err := wechat.ParseReply(body)
	return err == nil && (r.MsgType != "" || bytes.Contains(body, []byte("<Encrypt")))
}

// twin is a codec for the same endpoint with another appid or token: what a
// push made for another account, or by a forger, looks like on the wire.
func (s *session) twin(appid, token string) *wechat.Codec {
	a := s.cfg.Account
	a.AppID, a.Token = appid, token
	c, err := wechat.NewCodec(a)
	if err != nil {
		Fail(fmt.Sprintf("conformance: building a forged codec: %v", err))
	}
	return c
}

// otherAppID is an appid that is not the account's.
func otherAppID(appid string) string {
	if appid == "wx00000000000000ff" {
		return "wx00000000000000fe"
	}
	return "wx00000000000000ff"
}

func skipUnlessEncrypted(s *session, why string) {
	if !s.cfg.Account.Mode.Encrypted() {
		Skip("not applicable in plain mode: " + why)
	}
}

func textKind() *wechat.Kind {
	k, err := wechat.LookupKind("text")
	if err != nil {
		panic(err)
	}
	return k
}
