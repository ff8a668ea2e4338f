package main

import (
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/fixtures"
	"github.com/wxsim/wxsim/simulator/wechat"
)

func TestVerify(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url := serveEndpoint(t, wechat.Plain, "correct")
	r := wxsim(t, "", "verify", "--url", url, "--token", testToken)
	g.Expect(r.code).To(Equal(0), r.stdout+r.stderr)
	g.Expect(r.stdout).To(ContainSubstring("verdict: OK"))
	r = wxsim(t, "", "verify", "--url", url, "--token", "another-token")
	g.Expect(r.code).To(Equal(1), r.stdout+r.stderr)
	g.Expect(r.stdout).To(ContainSubstring("verdict: FAIL"))
	g.Expect(r.stdout).NotTo(ContainSubstring("another-token"))
}

// capture pushes once through `wxsim push` and returns the request URL and body it printed.
func capturePush(t *testing.T, m wechat.Mode) (string, string) {
	t.Helper()
	url := serveEndpoint(t, m, "correct")
	r := wxsim(t, "", append(accountArgs(url, m), "push", "--kind", "click")...)
	if r.code != 0 {
		t.Fatalf("push: %s%s", r.stdout, r.stderr)
	}
	var reqURL string
	var body []string
	for _, line := range strings.Split(r.stdout, "\n") {
		switch {
		case strings.HasPrefix(line, "> POST "):
			reqURL = strings.TrimPrefix(line, "> POST ")
		case strings.HasPrefix(line, "> <") || strings.HasPrefix(line, "> ]]"):
			body = append(body, strings.TrimPrefix(line, "> "))
		}
	}
	return reqURL, strings.Join(body, "\n")
}

func TestDecodeCapturedPushes(t *testing.T) {
	t.Parallel()
	for _, m := range wechat.Modes() {
		t.Run(m.String(), func(t *testing.T) {
			t.Parallel()
			g := NewWithT(t)
			reqURL, body := capturePush(t, m)
			args := []string{"decode", "--url", reqURL, "--token", testToken, "--mode", m.String()}
			if m.Encrypted() {
				args = append(args, "--aes-key", testKey)
			}
			r := wxsim(t, body, args...)
			g.Expect(r.code).To(Equal(0), r.stdout+r.stderr)
			g.Expect(r.stdout).To(ContainSubstring("push click: signatures valid"))
			g.Expect(r.stdout).To(ContainSubstring("<Event><![CDATA[CLICK]]></Event>"))

			bad := append([]string{}, args...)
			bad[4] = "wrong-token"
			r = wxsim(t, body, bad...)
			g.Expect(r.code).To(Equal(1), r.stdout+r.stderr)
			g.Expect(r.stdout).To(ContainSubstring("ValidateSignature_Error (-40001)"))
		})
	}
}

func TestDecodeEncryptedReply(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	codec, err := wechat.NewCodec(wechat.Account{AppID: testAppID, OriginalID: defaultOriginalID, Token: testToken, EncodingAESKey: testKey, Mode: wechat.Safe})
	g.Expect(err).NotTo(HaveOccurred())
	plain, err := fixtures.FS.ReadFile("replies/text.xml")
	g.Expect(err).NotTo(HaveOccurred())
	sealed := codec.SealReply(plain, "1714112445", "415670741")
	r := wxsim(t, string(sealed), "decode", "--token", testToken, "--aes-key", testKey, "--appid", testAppID)
	g.Expect(r.code).To(Equal(0), r.stdout+r.stderr)
	g.Expect(r.stdout).To(ContainSubstring("MsgSignature valid"))
	g.Expect(r.stdout).To(ContainSubstring(strings.TrimSpace(string(plain))))

	r = wxsim(t, string(sealed), "decode", "--token", testToken, "--aes-key", testKey, "--appid", "wx0000000000000000")
	g.Expect(r.code).To(Equal(1))
	g.Expect(r.stdout).To(ContainSubstring("ValidateAppid_Error (-40005)"))
}
