package wechat

import (
	"testing"

	"github.com/beevik/etree"

	"github.com/wxsim/wxsim/fixtures"
)

// The test account: made-up values, the same in every mode.
const (
	testToken = "wxsimTestToken2024"
	testKey   = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	testAppID = "wx0123456789abcdef"
)

func testAccount(m Mode) Account {
	a := Account{AppID: testAppID, Nickname: "Test Account", OriginalID: fixtures.OriginalID,
		Token: testToken, EncodingAESKey: testKey, Mode: m}
	if m == Plain {
		a.EncodingAESKey = ""
	}
	return a
}

// mustCodec returns the test account's codec in mode m.
func mustCodec(tb testing.TB, m Mode) *Codec {
	tb.Helper()
	c, err := NewCodec(testAccount(m))
	if err != nil {
		tb.Fatalf("NewCodec(%s): %v", m, err)
	}
	return c
}

// goldenPush is the push of kind k with the fixtures' golden values, as the
// files in fixtures/pushes hold it.
func goldenPush(k *Kind) *Push {
	p := &Push{Kind: k, ToUserName: fixtures.OriginalID, FromUserName: fixtures.OpenID, CreateTime: fixtures.CreateTime}
	switch {
	case k.Component:
		p.ToUserName, p.FromUserName = fixtures.ComponentAppID, ""
	case k.Message:
		p.MsgID = fixtures.MsgID
	case k.HasMsgID:
		p.MsgID = fixtures.JobMsgID
	}
	return p
}

// goldenTextPush is the push every fixture reply answers.
func goldenTextPush(tb testing.TB) *Push {
	tb.Helper()
	k, err := LookupKind("text")
	if err != nil {
		tb.Fatal(err)
	}
	return goldenPush(k)
}

// indentXML re-indents a document, CDATA kept, so goldens compare by meaning
// and read well; it fails the test on a document that does not parse.
func indentXML(tb testing.TB, b []byte) string {
	tb.Helper()
	doc := etree.NewDocument()
	doc.ReadSettings.PreserveCData = true
	if err := doc.ReadFromBytes(b); err != nil {
		tb.Fatalf("parse %q: %v", b, err)
	}
	doc.Indent(2)
	s, err := doc.WriteToString()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
