package wechat

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
)

// signedPush builds a push's body and query with the codec, as the engine does.
func signedPush(tb testing.TB, c *Codec, p *Push) (url.Values, []byte) {
	tb.Helper()
	body, enc := c.Body(p, nil)
	q, err := url.ParseQuery(string(c.AppendQuery(nil, p.FromUserName, enc, "1714112446", "415670741")))
	if err != nil {
		tb.Fatal(err)
	}
	return q, body
}

func TestOpenRejects(t *testing.T) {
	p := goldenTextPush(t)
	foreign, err := NewCodec(Account{AppID: "wx9999999999999999", Token: testToken, EncodingAESKey: testKey, Mode: Safe})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		mode  Mode
		alter func(q url.Values, body []byte) (url.Values, []byte)
		want  *CryptError
	}{
		{"bad signature", Plain, func(q url.Values, b []byte) (url.Values, []byte) {
			q.Set("signature", strings.Repeat("0", 40))
			return q, b
		}, ErrValidateSignature},
		{"no signature", Plain, func(q url.Values, b []byte) (url.Values, []byte) { q.Del("signature"); return q, b }, ErrValidateSignature},
		{"timestamp changed", Safe, func(q url.Values, b []byte) (url.Values, []byte) { q.Set("timestamp", "1"); return q, b }, ErrValidateSignature},
		{"bad msg_signature", Safe, func(q url.Values, b []byte) (url.Values, []byte) {
			q.Set("msg_signature", strings.Repeat("f", 40))
			return q, b
		}, ErrValidateSignature},
		{"bad msg_signature compat", Compat, func(q url.Values, b []byte) (url.Values, []byte) {
			q.Set("msg_signature", strings.Repeat("f", 40))
			return q, b
		}, ErrValidateSignature},
		{"foreign appid", Safe, func(q url.Values, _ []byte) (url.Values, []byte) {
			q2, b2 := signedPush(t, foreign, p)
			return q2, b2
		}, ErrValidateAppid},
		{"not XML", Plain, func(q url.Values, _ []byte) (url.Values, []byte) { return q, []byte(`{"MsgType":"text"}`) }, ErrParseXML},
		{"no Encrypt in safe mode", Safe, func(q url.Values, _ []byte) (url.Values, []byte) {
			q.Del("msg_signature")
			q.Del("encrypt_type")
			return q, p.AppendXML(nil)
		}, ErrParseXML},
		{"encrypt_type without Encrypt", Compat, func(q url.Values, _ []byte) (url.Values, []byte) { return q, p.AppendXML(nil) }, ErrParseXML},
		{"not a push", Plain, func(q url.Values, _ []byte) (url.Values, []byte) { return q, []byte(`<xml><a>1</a></xml>`) }, ErrParseXML},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			codec := mustCodec(t, c.mode)
			q, body := c.alter(signedPush(t, codec, p))
			got, _, err := codec.Open(q, body)
			g.Expect(got).To(BeNil())
			g.Expect(errors.Is(err, c.want)).To(BeTrue(), "got %v, want code %d", err, c.want.Code)
			var ce *CryptError
			g.Expect(errors.As(err, &ce)).To(BeTrue())
			g.Expect(err.Error()).NotTo(ContainSubstring(testToken))
		})
	}
}

func TestOpenUndecryptable(t *testing.T) {
	g := NewWithT(t)
	c := mustCodec(t, Safe)
	for _, enc := range []string{"@@not base64@@", "AAAAAAAAAAAAAAAAAAAAAAAA", sealWith(c.Crypter(), 0)} {
		body := []byte("<xml><ToUserName>gh</ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>")
		q, err := url.ParseQuery(string(c.AppendQuery(nil, "o1", enc, "1", "2")))
		g.Expect(err).NotTo(HaveOccurred())
		_, _, err = c.Open(q, body)
		var ce *CryptError
		g.Expect(errors.As(err, &ce)).To(BeTrue(), "error %v", err)
		g.Expect(ce.Code).To(BeElementOf(ErrDecodeBase64.Code, ErrDecryptAES.Code, ErrIllegalBuffer.Code))
	}
}

func TestOpenKAT4(t *testing.T) {
	g := NewWithT(t)
	c, err := NewCodec(Account{AppID: "wx134c8103faa5a59e", Token: "AAAAA", EncodingAESKey: keyAllA, Mode: Safe})
	g.Expect(err).NotTo(HaveOccurred())
	q := url.Values{
		"signature": {"cc0c594499c1634947d5b502f158ee518947db27"}, "timestamp": {"1715943329"}, "nonce": {"1590219412"},
		"openid": {"o9AgO5Kd5ggOC-bXrbNODIiE3bGY"}, "encrypt_type": {"aes"}, "msg_signature": {"6c12a4205838198b8fa631b3220723bb07f1015c"},
	}
	body := []byte("<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[" + enc4 + "]]></Encrypt></xml>")
	p, plain, err := c.Open(q, body)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(plain)).To(HavePrefix("<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n"))
	g.Expect(p.ToUserName).To(Equal("gh_97417a04a28d"))
	g.Expect(p.FromUserName).To(Equal("o9AgO5Kd5ggOC-bXrbNODIiE3bGY"))
	g.Expect(p.CreateTime).To(Equal(int64(1715943329)))
	g.Expect(p.Kind.Event).To(Equal("debug_demo"))
	g.Expect(p.Kind.Known()).To(BeFalse())

	// KAT-4's reply verifies as a sealed reply of this account.
	reply := "<xml><Encrypt><![CDATA[" + enc4Reply + "]]></Encrypt><MsgSignature><![CDATA[03e0812039325c2712ef5f0f980fd14c70d6e307]]></MsgSignature><TimeStamp>1713424427</TimeStamp><Nonce><![CDATA[415670741]]></Nonce></xml>"
	v := c.Judge(200, []byte(reply), nil)
	// The doc's plaintext reply "<xml><demo_resp>..." is no passive reply.
	g.Expect(v.Reason).To(Equal(ReasonBadReply))
	g.Expect(v.Encrypted).To(BeTrue())
	g.Expect(string(v.Reply)).To(Equal(`<xml><demo_resp>[CDATA[good luck]]</demo_resp></xml>`))
}

func TestOpenKAT5CompatBody(t *testing.T) {
	g := NewWithT(t)
	body := []byte(`<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName><CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]></Content><MsgId>6054768590064713728</MsgId><Encrypt><![CDATA[` + enc5 + `]]></Encrypt></xml>`)
	q := url.Values{"signature": {Signature("spamtest", "1409735669", "1320562132")}, "timestamp": {"1409735669"},
		"nonce": {"1320562132"}, "encrypt_type": {"aes"}, "msg_signature": {"5d197aaffba7e9b25a30732f161a50dee96bd5fa"}}
	want := Push{Kind: mustKind(t, "text"), ToUserName: "gh_10f6c3c3ac5a", FromUserName: "oyORnuP8q7ou2gfYjqLzSIWZf0rs",
		CreateTime: 1409735668, MsgID: 6054768590064713728, Content: "abcdteT"}
	for _, m := range Modes() {
		a := Account{AppID: "wx2c2769f8efd9abc2", Token: "spamtest", EncodingAESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", Mode: m}
		c, err := NewCodec(a)
		g.Expect(err).NotTo(HaveOccurred())
		p, _, err := c.Open(q, body)
		g.Expect(err).NotTo(HaveOccurred(), "mode %s", m)
		g.Expect(*p).To(Equal(want), "mode %s", m)
	}
}

func TestAccountValidate(t *testing.T) {
	good := testAccount(Safe)
	for _, c := range []struct {
		name  string
		edit  func(a *Account)
		field string
	}{
		{"no appid", func(a *Account) { a.AppID = "" }, "AppID"},
		{"appid with space", func(a *Account) { a.AppID = "wx1 " }, "AppID"},
		{"no token", func(a *Account) { a.Token = "" }, "Token"},
		{"token with newline", func(a *Account) { a.Token += "\n" }, "Token"},
		{"safe without key", func(a *Account) { a.EncodingAESKey = "" }, "EncodingAESKey"},
		{"short key", func(a *Account) { a.EncodingAESKey = a.EncodingAESKey[:42] }, "EncodingAESKey"},
		{"bad key character", func(a *Account) { a.EncodingAESKey = a.EncodingAESKey[:42] + "+" }, "EncodingAESKey"},
		{"bad mode", func(a *Account) { a.Mode = 7 }, "Mode"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			a := good
			c.edit(&a)
			err := a.Validate()
			g.Expect(errors.Is(err, ErrInvalidAccount)).To(BeTrue(), "error %v", err)
			g.Expect(err.Error()).To(ContainSubstring(c.field))
			var ae *AccountError
			g.Expect(errors.As(err, &ae)).To(BeTrue(), "the field is told, not just written")
			g.Expect(ae.Field).To(Equal(c.field))
			g.Expect(err.Error()).NotTo(ContainSubstring(testToken))
			g.Expect(err.Error()).NotTo(ContainSubstring(testKey[:20]))
			_, err = NewCodec(a)
			g.Expect(err).To(HaveOccurred())
		})
	}
	g := NewWithT(t)
	g.Expect(good.Validate()).To(Succeed())
	g.Expect(testAccount(Plain).Validate()).To(Succeed())
	for _, s := range []string{good.String(), fmt.Sprint(good), fmt.Sprintf("%+v", good), fmt.Sprintf("%#v", good)} {
		g.Expect(s).To(ContainSubstring(testAppID))
		g.Expect(s).To(ContainSubstring("safe"))
		g.Expect(s).To(ContainSubstring(good.OriginalID))
		g.Expect(s).NotTo(ContainSubstring(testToken))
		g.Expect(s).NotTo(ContainSubstring(testKey))
	}
}

func TestLookupKind(t *testing.T) {
	g := NewWithT(t)
	g.Expect(KindNames()).To(Equal([]string{"text", "image", "voice", "video", "shortvideo", "location", "link",
		"subscribe", "subscribe_qr", "unsubscribe", "scan", "location_event", "click", "view",
		"templatesendjobfinish", "masssendjobfinish", "component_verify_ticket", "authorized", "unauthorized", "updateauthorized"}))
	for _, k := range Kinds() {
		got, err := LookupKind(k.Name)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(got).To(BeIdenticalTo(k))
		g.Expect(k.Known()).To(BeTrue())
		g.Expect(k.Component).To(Equal(k.InfoType != ""))
		g.Expect(k.Message).To(Equal(k.MsgType != "event" && !k.Component))
	}
	k, err := LookupKind("CLICK")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(k.Event).To(Equal("CLICK"))
	_, err = LookupKind("clik")
	g.Expect(errors.Is(err, ErrUnknownKind)).To(BeTrue())
	g.Expect(err.Error()).To(ContainSubstring(`"clik"`))
	g.Expect(err.Error()).To(ContainSubstring("click, view"))
}

func TestCodecConcurrentUse(t *testing.T) {
	c := mustCodec(t, Safe)
	p0 := goldenTextPush(t)
	errs := make(chan error, 8)
	for w := range 8 {
		go func() {
			for i := range 50 {
				p := *p0
				p.MsgID = uint64(w*1000 + i)
				body, enc := c.Body(&p, nil)
				q, err := url.ParseQuery(string(c.AppendQuery(nil, p.FromUserName, enc, "1", "2")))
				var got *Push
				if err == nil {
					got, _, err = c.Open(q, body)
				}
				if err == nil && got.MsgID != p.MsgID {
					err = fmt.Errorf("opened MsgID %d, sent %d", got.MsgID, p.MsgID)
				}
				if err == nil {
					reply := c.SealReply(AppendTextReply(nil, p.FromUserName, p.ToUserName, 1, "x"), "1", "2")
					if v := c.Judge(200, reply, &p); !v.OK() {
						err = fmt.Errorf("judged %s: %s", v.Reason, v.Detail)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// In safe mode a push whose query lacks msg_signature is refused, even
// though its plain signature is right: nothing vouches for the ciphertext.
func TestOpenSafeModeNeedsMsgSignature(t *testing.T) {
	g := NewWithT(t)
	acct := Account{AppID: "wxba5fad812f8e6fb9", OriginalID: "gh_97417a04a28d", Token: "AAAAA", EncodingAESKey: keyAllA, Mode: Safe}
	c, err := NewCodec(acct)
	g.Expect(err).NotTo(HaveOccurred())
	k, _ := LookupKind("text")
	p := &Push{Kind: k, ToUserName: acct.OriginalID, FromUserName: "oUser", CreateTime: 1714112445, MsgID: 1}
	body, _ := c.Body(p, nil)
	q := url.Values{"signature": {Signature("AAAAA", "1714112445", "415670741")}, "timestamp": {"1714112445"}, "nonce": {"415670741"}, "openid": {"oUser"}}
	_, _, err = c.Open(q, body)
	g.Expect(errors.Is(err, ErrValidateSignature)).To(BeTrue(), "%v", err)
}
