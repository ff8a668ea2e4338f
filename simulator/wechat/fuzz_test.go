package wechat

import (
	"net/url"
	"reflect"
	"testing"
)

// Seeds for the fuzz targets: every fixture reply and corpus file, and the
// push of every kind in every mode.

func FuzzJudge(f *testing.F) {
	for _, dir := range []string{"replies", "invalid"} {
		for _, body := range fixtureFiles(f, dir) {
			f.Add(200, body)
		}
	}
	safe := mustCodec(f, Safe)
	f.Add(200, safe.SealReply([]byte("<xml><MsgType>text</MsgType></xml>"), "1", "2"))
	f.Add(500, []byte("Error 500:"))
	codecs := []*Codec{mustCodec(f, Plain), mustCodec(f, Compat), safe}
	pushes := []*Push{goldenTextPush(f), goldenPush(mustKind(f, "component_verify_ticket")), nil}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		for _, c := range codecs {
			for _, p := range pushes {
				v := c.Judge(status, body, p)
				if again := c.Judge(status, body, p); !reflect.DeepEqual(v, again) {
					t.Fatalf("%s mode: judge not deterministic: %+v then %+v", c.Mode(), v, again)
				}
				if v.OK() != (v.Reason == ReasonNone) || (v.OK() && v.ReplyType == "") || (!v.OK() && v.Detail == "") {
					t.Fatalf("%s mode: inconsistent verdict %+v", c.Mode(), v)
				}
				if status != 200 && v.Reason != ReasonHTTPStatus {
					t.Fatalf("status %d judged %q", status, v.Reason)
				}
			}
		}
	})
}

func FuzzOpen(f *testing.F) {
	codecs := []*Codec{mustCodec(f, Plain), mustCodec(f, Compat), mustCodec(f, Safe)}
	for _, c := range codecs {
		for _, k := range Kinds() {
			p := goldenPush(k)
			body, enc := c.Body(p, nil)
			f.Add(string(c.AppendQuery(nil, p.FromUserName, enc, "1714112446", "415670741")), body)
		}
	}
	f.Fuzz(func(t *testing.T, rawQuery string, body []byte) {
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			return
		}
		for _, c := range codecs {
			p, _, err := c.Open(q, body)
			if (p == nil) == (err == nil) {
				t.Fatalf("%s mode: Open returned push %v and error %v", c.Mode(), p, err)
			}
		}
	})
}

// FuzzDecrypt feeds arbitrary ciphertexts to the crypter, and arbitrary
// plaintexts through a correctly signed safe-mode body to Open and through
// a sealed reply to Judge, so the code behind the signature is fuzzed too.
func FuzzDecrypt(f *testing.F) {
	c := mustCodec(f, Safe)
	for _, k := range Kinds() {
		p := goldenPush(k)
		plain := p.AppendXML(nil)
		f.Add(c.Crypter().Encrypt(plain), plain)
	}
	for _, body := range fixtureFiles(f, "replies") {
		f.Add("", body)
	}
	f.Fuzz(func(t *testing.T, enc string, plain []byte) {
		if msg, _, err := c.Crypter().Decrypt(enc); err == nil && len(msg) > len(enc) {
			t.Fatalf("decrypted %d bytes from %d characters", len(msg), len(enc))
		}
		sealed := c.Crypter().Encrypt(plain)
		body := []byte("<xml><ToUserName><![CDATA[gh]]></ToUserName><Encrypt><![CDATA[" + sealed + "]]></Encrypt></xml>")
		q, _ := url.ParseQuery(string(c.AppendQuery(nil, "o", sealed, "1", "2")))
		if p, got, err := c.Open(q, body); err == nil && (p == nil || string(got) != string(plain)) {
			t.Fatalf("Open returned %q, sealed %q", got, plain)
		}
		v := c.Judge(200, c.SealReply(plain, "1", "2"), goldenTextPush(t))
		if v.Reason == ReasonBadMsgSignature || v.Reason == ReasonDecryptFailed || v.Reason == ReasonWrongAppID {
			t.Fatalf("a correctly sealed reply judged %s: %s", v.Reason, v.Detail)
		}
	})
}
