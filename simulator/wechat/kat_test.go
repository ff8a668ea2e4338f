package wechat

import (
	"errors"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
)

// The known-answer vectors of wechat-protocol.md §6.3, from WeChat's own
// documents and official samples.

const keyAllA = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

func TestKATSignatures(t *testing.T) {
	g := NewWithT(t)
	// KAT-1: plaintext-mode POST.
	g.Expect(Signature("AAAAA", "1714037059", "486452656")).To(Equal("899cf89e464efb63f54ddac96b0a0a235f53aa78"))
	// KAT-2: GET verification.
	g.Expect(Signature("AAAAA", "1714036504", "1514711492")).To(Equal("f464b24fc39322e44b38aa78f5edd27bd1441696"))
	// KAT-3: safe mode, both signatures over the same request.
	g.Expect(Signature("AAAAA", "1714112445", "415670741")).To(Equal("6c5c811b55cc85e0e1b54100749188c20beb3f5d"))
	g.Expect(MsgSignature("AAAAA", "1714112445", "415670741", enc3)).To(Equal("046e02f8204d34f8ba5fa3b1db94908f3df2e9b3"))
	g.Expect(MsgSignature("AAAAA", "1713424427", "415670741", enc3Reply)).To(Equal("1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1"))
	// KAT-4: open platform.
	g.Expect(Signature("AAAAA", "1715943329", "1590219412")).To(Equal("cc0c594499c1634947d5b502f158ee518947db27"))
	g.Expect(MsgSignature("AAAAA", "1715943329", "1590219412", enc4)).To(Equal("6c12a4205838198b8fa631b3220723bb07f1015c"))
	g.Expect(MsgSignature("AAAAA", "1713424427", "415670741", enc4Reply)).To(Equal("03e0812039325c2712ef5f0f980fd14c70d6e307"))
	// KAT-5: the Python sample's compatible-mode body.
	g.Expect(MsgSignature("spamtest", "1409735669", "1320562132", enc5)).To(Equal("5d197aaffba7e9b25a30732f161a50dee96bd5fa"))
	// KAT-8: wechatpy (WeCom-style, same algorithm).
	g.Expect(MsgSignature("123456", "1411525903", "461056294", enc8)).To(Equal("407518b7649e86ef23978113f92d27afa9296533"))
	g.Expect(MsgSignature("123456", "1411525903", "461056294", enc8Decrypt)).To(Equal("74d92dfeb87ba7c714f89d98870ae5eb62dff26d"))
	g.Expect(MsgSignature("123456", "1411443780", "437374425", echo8)).To(Equal("dd6b9c95b495b3f7e2901bfbc76c664930ffdb96"))
}

func TestKATDecryptEncrypt(t *testing.T) {
	for _, v := range []struct {
		name, key, appid, enc, random, msg string
	}{
		{"KAT-3 push", keyAllA, "wxba5fad812f8e6fb9", enc3, "a8eedb185eb2fecf",
			`{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714112445,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}`},
		{"KAT-3 reply", keyAllA, "wxba5fad812f8e6fb9", enc3Reply, "707722b803182950", `{"demo_resp":"good luck"}`},
		{"KAT-4 push", keyAllA, "wx134c8103faa5a59e", enc4, "1205899eaf019bbd",
			"<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n<FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>\n<CreateTime>1715943329</CreateTime>\n<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[debug_demo]]></Event>\n<debug_str><![CDATA[hello world]]></debug_str>\n</xml>"},
		{"KAT-4 reply", keyAllA, "wx134c8103faa5a59e", enc4Reply, "999951349e8ee746", `<xml><demo_resp>[CDATA[good luck]]</demo_resp></xml>`},
		{"KAT-5", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx2c2769f8efd9abc2", enc5, "89465c840c5f116f",
			"<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[abcdteT]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>"},
		{"KAT-8 encrypt", "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", "wx49f0ab532d5d035a", enc8, "1234567890123456",
			"<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>"},
	} {
		t.Run(v.name, func(t *testing.T) {
			g := NewWithT(t)
			c, err := NewCrypter(v.key, v.appid)
			g.Expect(err).NotTo(HaveOccurred())
			msg, err := c.Open(v.enc)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(string(msg)).To(Equal(v.msg))
			g.Expect(c.EncryptWithRandom([]byte(v.msg), []byte(v.random))).To(Equal(v.enc))
		})
	}
}

func TestKAT8DecryptAndEcho(t *testing.T) {
	g := NewWithT(t)
	c, err := NewCrypter("kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", "wx49f0ab532d5d035a")
	g.Expect(err).NotTo(HaveOccurred())
	msg, err := c.Open(enc8Decrypt)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(msg)).To(ContainSubstring("<Content><![CDATA[test]]></Content>"))
	g.Expect(string(msg)).To(ContainSubstring("messense"))
	echo, err := c.Open(echo8)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(echo)).To(Equal("5927782489442352469"))
}

func TestCryptNegative(t *testing.T) {
	good, err := NewCrypter(keyAllA, "wxba5fad812f8e6fb9")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewCrypter(keyAllA, "wx0000000000000000")
	sealed := good.Encrypt([]byte("<xml/>"))
	for _, c := range []struct {
		name string
		run  func() error
		want *CryptError
	}{
		{"wrong appid", func() error { _, err := other.Open(sealed); return err }, ErrValidateAppid},
		{"key too short", func() error { _, err := NewCrypter(keyAllA[:42], "x"); return err }, ErrIllegalAesKey},
		{"key not alphanumeric", func() error { _, err := NewCrypter(keyAllA[:42]+"+", "x"); return err }, ErrIllegalAesKey},
		{"not base64", func() error { _, err := good.Open("@@@not base64@@@"); return err }, ErrDecodeBase64},
		{"not whole blocks", func() error { _, err := good.Open("AAAAAAAAAAAAAAAAAAAAAAAA"); return err }, ErrDecryptAES},
		{"pad byte zero", func() error { _, err := good.Open(sealWith(good, 0)); return err }, ErrIllegalBuffer},
		{"pad byte over 32", func() error { _, err := good.Open(sealWith(good, 33)); return err }, ErrIllegalBuffer},
		{"length beyond buffer", func() error { _, err := good.Open(sealLying(good)); return err }, ErrIllegalBuffer},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			err := c.run()
			g.Expect(errors.Is(err, c.want)).To(BeTrue(), "got %v, want code %d", err, c.want.Code)
			var ce *CryptError
			g.Expect(errors.As(err, &ce)).To(BeTrue())
			g.Expect(ce.Code).To(Equal(c.want.Code))
		})
	}
	// A wrong msg_signature is caught by comparing signatures.
	if SignatureEqual(MsgSignature("AAAAA", "1", "2", sealed), MsgSignature("AAAAB", "1", "2", sealed)) {
		t.Fatal("signatures of different tokens compare equal")
	}
}

// sealWith encrypts one 32-byte block whose last byte is pad.
func sealWith(c *Crypter, pad byte) string {
	plain := []byte(strings.Repeat("x", 31) + string([]byte{pad}))
	return rawSeal(c, plain)
}

// sealLying encrypts a buffer whose length field claims more than it holds.
func sealLying(c *Crypter) string {
	plain := make([]byte, 32)
	copy(plain, "0123456789abcdef")
	plain[16], plain[17], plain[18], plain[19] = 0, 0, 1, 0 // 256 bytes claimed
	for i := 20; i < 32; i++ {
		plain[i] = 12
	}
	return rawSeal(c, plain)
}
