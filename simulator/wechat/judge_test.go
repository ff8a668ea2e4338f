package wechat

import (
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/beevik/etree"
	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/fixtures"
)

// fixtureFiles returns the embedded files of a fixtures folder by name.
func fixtureFiles(tb testing.TB, dir string) map[string][]byte {
	tb.Helper()
	entries, err := fs.ReadDir(fixtures.FS, dir)
	if err != nil {
		tb.Fatal(err)
	}
	files := make(map[string][]byte, len(entries))
	for _, e := range entries {
		b, err := fs.ReadFile(fixtures.FS, path.Join(dir, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}

// fixtureLabel is the part of a fixture's name before "--" and the extension:
// the reply type of a valid reply, the reason of an invalid one.
func fixtureLabel(name string) string {
	name = strings.TrimSuffix(name, path.Ext(name))
	label, _, _ := strings.Cut(name, "--")
	return label
}

func TestGoldenRepliesAccepted(t *testing.T) {
	p := goldenTextPush(t)
	replies := fixtureFiles(t, "replies")
	seen := map[string]bool{}
	for name, body := range replies {
		seen[fixtureLabel(name)] = true
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			want := fixtureLabel(name)
			for _, m := range []Mode{Plain, Compat} {
				v := mustCodec(t, m).Judge(200, body, p)
				g.Expect(v.Reason).To(Equal(ReasonNone), "%s mode: %s", m, v.Detail)
				g.Expect(v.OK()).To(BeTrue())
				g.Expect(v.ReplyType).To(Equal(want))
				g.Expect(v.Encrypted).To(BeFalse())
				g.Expect(v.Reply).To(Equal(body))
			}
			// Sealed, the same reply is valid in safe and compat mode.
			for _, m := range []Mode{Safe, Compat} {
				c := mustCodec(t, m)
				sealed := c.SealReply(body, "1714112446", "415670741")
				v := c.Judge(200, sealed, p)
				g.Expect(v.Reason).To(Equal(ReasonNone), "%s mode sealed: %s", m, v.Detail)
				g.Expect(v.ReplyType).To(Equal(want))
				g.Expect(v.Encrypted).To(BeTrue())
				g.Expect(v.Reply).To(Equal(body))
			}
			// success and empty need no encryption, even in safe mode.
			if want == ReplySuccess || want == ReplyEmpty {
				g.Expect(mustCodec(t, Safe).Judge(200, body, p).OK()).To(BeTrue())
			}
			r, err := ParseReply(body)
			if strings.HasSuffix(name, ".xml") {
				g.Expect(err).NotTo(HaveOccurred())
				g.Expect(r.MsgType).To(Equal(want))
			}
		})
	}
	for _, typ := range ReplyTypes() {
		if !seen[typ] {
			t.Errorf("fixtures/replies has no %s reply", typ)
		}
	}
}

func TestInvalidCorpusRejected(t *testing.T) {
	p := goldenTextPush(t)
	corpus := fixtureFiles(t, "invalid")
	seen := map[Reason]bool{}
	for name, body := range corpus {
		want := Reason(fixtureLabel(name))
		seen[want] = true
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(Reasons()).To(ContainElement(want), "file named for an unknown reason")
			mode, status := Plain, 200
			switch want {
			case ReasonHTTPStatus:
				status = 500
			case ReasonUnencrypted:
				mode = Safe
			}
			c := mustCodec(t, mode)
			v := c.Judge(status, body, p)
			g.Expect(v.Reason).To(Equal(want), "detail: %s", v.Detail)
			g.Expect(v.OK()).To(BeFalse())
			g.Expect(v.Detail).NotTo(BeEmpty())
			g.Expect(v.Detail).NotTo(ContainSubstring(testToken))
			g.Expect(c.Judge(status, body, p)).To(Equal(v), "deterministic")
		})
	}
	for _, r := range []Reason{ReasonHTTPStatus, ReasonNotXML, ReasonBadReply, ReasonWrongSwap, ReasonUnencrypted} {
		if !seen[r] {
			t.Errorf("fixtures/invalid has no %s file", r)
		}
	}
}

func TestJudgeSafeNegatives(t *testing.T) {
	p := goldenTextPush(t)
	reply := AppendTextReply(nil, p.FromUserName, p.ToUserName, 1714112446, "hi")
	safe := mustCodec(t, Safe)
	foreign, err := NewCodec(Account{AppID: "wx9999999999999999", Token: testToken, EncodingAESKey: testKey, Mode: Safe})
	if err != nil {
		t.Fatal(err)
	}
	otherKey, err := NewCodec(Account{AppID: testAppID, Token: testToken, EncodingAESKey: keyAllA, Mode: Safe})
	if err != nil {
		t.Fatal(err)
	}
	sealed := string(safe.SealReply(reply, "1714112446", "415670741"))
	enc, sig, _, _ := envelopeFields(mustRoot(t, []byte(sealed)))
	envelope := func(enc, sig string) []byte {
		return []byte("<xml><Encrypt><![CDATA[" + enc + "]]></Encrypt><MsgSignature><![CDATA[" + sig +
			"]]></MsgSignature><TimeStamp>1714112446</TimeStamp><Nonce><![CDATA[415670741]]></Nonce></xml>")
	}
	signed := func(enc string) []byte { return envelope(enc, MsgSignature(testToken, "1714112446", "415670741", enc)) }
	for _, c := range []struct {
		name string
		body []byte
		want Reason
	}{
		{"valid", []byte(sealed), ReasonNone},
		{"bad MsgSignature", envelope(enc, strings.Repeat("0", 40)), ReasonBadMsgSignature},
		{"signature over another nonce", []byte(strings.Replace(sealed, "415670741", "415670742", 1)), ReasonBadMsgSignature},
		{"no MsgSignature", []byte("<xml><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>"), ReasonBadMsgSignature},
		{"signed with another token", envelope(enc, MsgSignature("otherToken", "1714112446", "415670741", enc)), ReasonBadMsgSignature},
		{"wrong appid", foreign.SealReply(reply, "1714112446", "415670741"), ReasonWrongAppID},
		{"not base64", signed("@@@"), ReasonDecryptFailed},
		{"not whole blocks", signed("AAAAAAAAAAAAAAAAAAAAAAAA"), ReasonDecryptFailed},
		{"bad padding", signed(sealWith(safe.Crypter(), 0)), ReasonDecryptFailed},
		{"lying length", signed(sealLying(safe.Crypter())), ReasonDecryptFailed},
		{"another key", otherKey.SealReply(reply, "1714112446", "415670741"), ReasonDecryptFailed},
		{"unencrypted", reply, ReasonUnencrypted},
		{"encrypted empty plaintext", safe.SealReply(nil, "1", "2"), ReasonNone},
		{"encrypted success", safe.SealReply([]byte("success"), "1", "2"), ReasonNone},
		{"encrypted JSON", safe.SealReply([]byte(`{"a":1}`), "1", "2"), ReasonNotXML},
		{"encrypted unswapped", safe.SealReply(AppendTextReply(nil, p.ToUserName, p.FromUserName, 1, "x"), "1", "2"), ReasonWrongSwap},
		{"JSON", []byte(`{"Encrypt":"x"}`), ReasonNotXML},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			v := safe.Judge(200, c.body, p)
			if c.name == "another key" && v.Reason == ReasonWrongAppID {
				// A foreign key's garbage can, rarely, pass the padding and
				// length checks; then the appid check catches it.
				return
			}
			g.Expect(v.Reason).To(Equal(c.want), "detail: %s", v.Detail)
			g.Expect(v.Detail).NotTo(ContainSubstring(testToken))
			g.Expect(v.Detail).NotTo(ContainSubstring(testKey))
		})
	}
	g := NewWithT(t)
	g.Expect(sig).To(HaveLen(40))
	// compat accepts both forms; plain refuses the envelope.
	g.Expect(mustCodec(t, Compat).Judge(200, reply, p).OK()).To(BeTrue())
	compatSealed := mustCodec(t, Compat).SealReply(reply, "1", "2")
	g.Expect(mustCodec(t, Compat).Judge(200, compatSealed, p).OK()).To(BeTrue())
	g.Expect(mustCodec(t, Plain).Judge(200, compatSealed, p).Reason).To(Equal(ReasonBadReply))
}

func TestJudgeComponentPushes(t *testing.T) {
	for _, name := range []string{"component_verify_ticket", "authorized", "unauthorized", "updateauthorized"} {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			p := goldenPush(mustKind(t, name))
			for _, m := range Modes() {
				c := mustCodec(t, m)
				g.Expect(c.Judge(200, []byte("success"), p).OK()).To(BeTrue())
				g.Expect(c.Judge(200, []byte(" success\n"), p).OK()).To(BeTrue())
				g.Expect(c.Judge(200, nil, p).Reason).To(Equal(ReasonBadReply))
				g.Expect(c.Judge(200, []byte("<xml/>"), p).Reason).To(Equal(ReasonBadReply))
				g.Expect(c.Judge(200, []byte("ok"), p).Reason).To(Equal(ReasonBadReply))
				g.Expect(c.Judge(502, []byte("success"), p).Reason).To(Equal(ReasonHTTPStatus))
			}
		})
	}
}

func TestJudgeNeverFailsWhatWeChatAccepts(t *testing.T) {
	p := goldenTextPush(t)
	c := mustCodec(t, Plain)
	for name, body := range map[string]string{
		"success with spaces":    "  success \n",
		"empty":                  "",
		"compact text template":  string(AppendTextReply(nil, p.FromUserName, p.ToUserName, 1714112446123, "ms")),
		"BOM and declaration":    "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + string(AppendTextReply(nil, p.FromUserName, p.ToUserName, 1, "x")),
		"comment inside":         "<xml><!-- hi --><ToUserName>" + p.FromUserName + "</ToUserName><FromUserName>" + p.ToUserName + "</FromUserName><CreateTime>1</CreateTime><MsgType>transfer_customer_service</MsgType></xml>",
		"non-numeric CreateTime": "<xml><ToUserName>" + p.FromUserName + "</ToUserName><FromUserName>" + p.ToUserName + "</FromUserName><CreateTime>now</CreateTime><MsgType>text</MsgType><Content>x</Content></xml>",
	} {
		if v := c.Judge(200, []byte(body), p); !v.OK() {
			t.Errorf("%s: judged %s (%s), want accepted", name, v.Reason, v.Detail)
		}
	}
}

func TestJudgeFastPathAllocatesNothing(t *testing.T) {
	p := goldenTextPush(t)
	for _, m := range Modes() {
		c := mustCodec(t, m)
		for _, body := range [][]byte{[]byte("success"), nil, []byte("success\r\n")} {
			if n := testing.AllocsPerRun(100, func() { _ = c.Judge(200, body, p) }); n != 0 {
				t.Errorf("%s mode: judging %q allocates %v times, want 0", m, body, n)
			}
		}
	}
}

func TestParseReply(t *testing.T) {
	g := NewWithT(t)
	r, err := ParseReply(AppendTextReply(nil, "o1", "gh_1", 1714112446123, "a]]>b"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(*r).To(Equal(Reply{ToUserName: "o1", FromUserName: "gh_1", CreateTime: "1714112446123", MsgType: "text", Content: "a]]>b"}))
	_, err = ParseReply([]byte(`{"a":1}`))
	g.Expect(err).To(MatchError(ErrNotXML))
}

func mustRoot(tb testing.TB, b []byte) *etree.Element {
	tb.Helper()
	root, err := readXML(b)
	if err != nil {
		tb.Fatal(err)
	}
	return root
}
