package wechat

import (
	"bytes"
	"flag"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
	. "github.com/onsi/gomega"
)

var update = flag.Bool("update", false, "rewrite the push goldens in fixtures/pushes")

// pushVariants are value sets that stress the templates: samples, CDATA
// terminators, characters XML escapes, the number extremes.
func pushVariants(k *Kind) []*Push {
	g := goldenPush(k)
	tricky := *g
	tricky.Content = "a]]>b]]]]>c <&> \"'\t\n 你好"
	tricky.EventKey = "key]]>&<x>"
	tricky.FromUserName = "o]]>open&id"
	tricky.CreateTime = math.MinInt64
	tricky.MsgID = math.MaxUint64
	empty := Push{Kind: k}
	qr := *g
	qr.EventKey = "qrscene_42"
	return []*Push{g, &tricky, &empty, &qr}
}

func TestTemplateMatchesFreshBuild(t *testing.T) {
	for _, k := range Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			g := NewWithT(t)
			for _, p := range pushVariants(k) {
				want, err := p.Document().WriteToBytes()
				g.Expect(err).NotTo(HaveOccurred())
				g.Expect(string(p.AppendXML(nil))).To(Equal(string(want)))
				g.Expect(p.Size()).To(BeNumerically(">=", len(want)-len(p.FromUserName)), "Size pre-sizes buffers")
			}
		})
	}
}

func TestEnvelopeTemplatesMatchFreshBuild(t *testing.T) {
	v := values{createTime: 1714112445, msgID: 42}
	for i := range v.str {
		v.str[i] = "v]]>" + string(rune('a'+i)) + "<&>"
	}
	for name, c := range map[string]struct {
		tmpl  *template
		build func(*texts) *etree.Document
	}{
		"text reply": {textReply, textReplyDoc},
	} {
		want, err := c.build(v.texts()).WriteToBytes()
		if err != nil {
			t.Fatal(err)
		}
		if got := c.tmpl.append(nil, &v); !bytes.Equal(got, want) {
			t.Errorf("%s: template wrote\n%s\nfresh build\n%s", name, got, want)
		}
	}
	// The envelope templates are checked through their output parsing back.
	for _, tm := range []*template{safeEnvelope, componentEnvelope, sealedReply} {
		if _, err := readXML(tm.append(nil, &v)); err != nil {
			t.Errorf("envelope template output does not parse: %v", err)
		}
	}
}

func TestAppendXMLWithoutAllocation(t *testing.T) {
	p := goldenTextPush(t)
	buf := make([]byte, 0, p.Size())
	if n := testing.AllocsPerRun(100, func() { buf = p.AppendXML(buf[:0]) }); n != 0 {
		t.Errorf("AppendXML allocates %v times into a pre-sized buffer, want 0", n)
	}
}

func TestPushRoundTrip(t *testing.T) {
	for _, m := range Modes() {
		c := mustCodec(t, m)
		for _, k := range Kinds() {
			t.Run(m.String()+"/"+k.Name, func(t *testing.T) {
				g := NewWithT(t)
				for _, p := range pushVariants(k) {
					if p.CreateTime < 0 {
						p.CreateTime = 1714112445
					}
					body, enc := c.Body(p, nil)
					g.Expect(enc == "").To(Equal(m == Plain), "ciphertext only when encrypted")
					q, err := url.ParseQuery(string(c.AppendQuery(nil, p.FromUserName, enc, "1714112446", "415670741")))
					g.Expect(err).NotTo(HaveOccurred())
					got, plain, err := c.Open(q, body)
					g.Expect(err).NotTo(HaveOccurred(), "body %s", body)
					g.Expect(*got).To(Equal(p.Canonical()))
					g.Expect(string(plain)).To(Equal(string(pushPlain(m, p, body))))
				}
			})
		}
	}
}

// pushPlain is what Open returns as the plaintext: the XML itself, or in a
// plain-mode account the whole body.
func pushPlain(m Mode, p *Push, body []byte) []byte {
	if m == Plain {
		return body
	}
	return p.AppendXML(nil)
}

func TestBodyShapes(t *testing.T) {
	text := goldenTextPush(t)
	ticket := goldenPush(mustKind(t, "component_verify_ticket"))
	for _, c := range []struct {
		mode  Mode
		push  *Push
		elems []string
	}{
		{Plain, text, []string{"ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId"}},
		{Compat, text, []string{"ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "Encrypt"}},
		{Safe, text, []string{"ToUserName", "Encrypt"}},
		{Compat, ticket, []string{"AppId", "Encrypt"}},
		{Safe, ticket, []string{"AppId", "Encrypt"}},
		{Plain, ticket, []string{"AppId", "CreateTime", "InfoType", "ComponentVerifyTicket"}},
	} {
		t.Run(c.mode.String()+"/"+c.push.Kind.Name, func(t *testing.T) {
			g := NewWithT(t)
			body, enc := mustCodec(t, c.mode).Body(c.push, nil)
			root, err := readXML(body)
			g.Expect(err).NotTo(HaveOccurred())
			var tags []string
			for _, e := range root.ChildElements() {
				tags = append(tags, e.Tag)
			}
			g.Expect(tags).To(Equal(c.elems))
			if enc != "" {
				g.Expect(elemText(root.SelectElement("Encrypt"))).To(Equal(enc))
			}
		})
	}
}

func TestAppendQuery(t *testing.T) {
	g := NewWithT(t)
	c, err := NewCodec(Account{AppID: "wxba5fad812f8e6fb9", Token: "AAAAA", EncodingAESKey: keyAllA, Mode: Safe})
	g.Expect(err).NotTo(HaveOccurred())
	// KAT-3's query, parameter for parameter.
	q := string(c.AppendQuery(nil, "o9AgO5Kd5ggOC-bXrbNODIiE3bGY", enc3, "1714112445", "415670741"))
	g.Expect(q).To(Equal("signature=6c5c811b55cc85e0e1b54100749188c20beb3f5d&timestamp=1714112445&nonce=415670741" +
		"&openid=o9AgO5Kd5ggOC-bXrbNODIiE3bGY&encrypt_type=aes&msg_signature=046e02f8204d34f8ba5fa3b1db94908f3df2e9b3"))
	// KAT-1: plaintext mode, no openid.
	c, err = NewCodec(Account{AppID: "wx1", Token: "AAAAA"})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(c.AppendQuery(nil, "", "", "1714037059", "486452656"))).
		To(Equal("signature=899cf89e464efb63f54ddac96b0a0a235f53aa78&timestamp=1714037059&nonce=486452656"))
	g.Expect(string(appendQueryEscape(nil, "a b+c/d=é"))).To(Equal(url.QueryEscape("a b+c/d=é")))
}

func TestPushGoldens(t *testing.T) {
	dir := filepath.Join("..", "..", "fixtures", "pushes")
	for _, k := range Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			g := NewWithT(t)
			p := goldenPush(k)
			got := indentXML(t, p.AppendXML(nil))
			path := filepath.Join(dir, k.Name+".xml")
			if *update {
				g.Expect(os.WriteFile(path, []byte(got), 0o644)).To(Succeed())
			}
			want, err := os.ReadFile(path)
			g.Expect(err).NotTo(HaveOccurred(), "run go test ./simulator/wechat -update")
			g.Expect(got).To(Equal(indentXML(t, want)), "push golden %s; run with -update if the change is intended", path)
			parsed, err := ParsePush(want)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(*parsed).To(Equal(p.Canonical()))
		})
	}
}

func TestParsePushTolerance(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       Push
	}{
		{"bare text and reordered", `<?xml version="1.0"?><xml><MsgId>7</MsgId><Content>hi &amp; bye</Content><MsgType>text</MsgType><CreateTime>12</CreateTime><FromUserName>o1</FromUserName><ToUserName>gh_1</ToUserName></xml>`,
			Push{Kind: mustKind(t, "text"), ToUserName: "gh_1", FromUserName: "o1", CreateTime: 12, MsgID: 7, Content: "hi & bye"}},
		{"whitespace around CDATA", "<xml>\n <ToUserName>\n  <![CDATA[gh_1]]>\n </ToUserName>\n <FromUserName><![CDATA[o1]]></FromUserName>\n <CreateTime> 12 </CreateTime>\n <MsgType><![CDATA[event]]></MsgType>\n <Event><![CDATA[CLICK]]></Event>\n <EventKey><![CDATA[K]]></EventKey>\n</xml>\n",
			Push{Kind: mustKind(t, "click"), ToUserName: "gh_1", FromUserName: "o1", CreateTime: 12, EventKey: "K"}},
		{"event case ignored", `<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>scan</Event><EventKey>9</EventKey></xml>`,
			Push{Kind: mustKind(t, "scan"), ToUserName: "gh_1", FromUserName: "o1", CreateTime: 1, EventKey: "9"}},
		{"subscribe with a scene", `<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>subscribe</Event><EventKey>qrscene_5</EventKey><Ticket>t</Ticket></xml>`,
			Push{Kind: mustKind(t, "subscribe_qr"), ToUserName: "gh_1", FromUserName: "o1", CreateTime: 1, EventKey: "qrscene_5"}},
		{"job finish MsgID", `<xml><ToUserName>gh_7f083739789a</ToUserName><FromUserName>oia2TjuEGTNoeX76QEjQNrcURxG8</FromUserName><CreateTime>1395658920</CreateTime><MsgType>event</MsgType><Event>TEMPLATESENDJOBFINISH</Event><MsgID>200163836</MsgID><Status><![CDATA[success]]></Status></xml>`,
			Push{Kind: mustKind(t, "templatesendjobfinish"), ToUserName: "gh_7f083739789a", FromUserName: "oia2TjuEGTNoeX76QEjQNrcURxG8", CreateTime: 1395658920, MsgID: 200163836}},
		{"component", `<xml><AppId>wx1</AppId><CreateTime>1413192605</CreateTime><InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>ticket@@@x</ComponentVerifyTicket></xml>`,
			Push{Kind: mustKind(t, "component_verify_ticket"), ToUserName: "wx1", CreateTime: 1413192605}},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			p, err := ParsePush([]byte(c.body))
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(*p).To(Equal(c.want))
		})
	}
}

func TestParsePushUnknownKind(t *testing.T) {
	g := NewWithT(t)
	p, err := ParsePush([]byte(`<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>debug_demo</Event></xml>`))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(p.Kind.Known()).To(BeFalse())
	g.Expect(p.Kind.Name).To(Equal("debug_demo"))
	g.Expect(p.Kind.Event).To(Equal("debug_demo"))
	// An unknown kind still serialises, through a fresh build.
	g.Expect(string(p.AppendXML(nil))).To(ContainSubstring("<Event><![CDATA[debug_demo]]></Event>"))
}

func TestParsePushErrors(t *testing.T) {
	for name, body := range map[string]string{
		"not XML":            `{"MsgType":"text"}`,
		"no type":            `<xml><ToUserName>gh</ToUserName><CreateTime>1</CreateTime></xml>`,
		"no CreateTime":      `<xml><MsgType>text</MsgType></xml>`,
		"CreateTime not int": `<xml><MsgType>text</MsgType><CreateTime>soon</CreateTime></xml>`,
		"MsgId not int":      `<xml><MsgType>text</MsgType><CreateTime>1</CreateTime><MsgId>-1</MsgId></xml>`,
		"unclosed":           `<xml><MsgType>text</MsgType>`,
	} {
		if _, err := ParsePush([]byte(body)); err == nil || !strings.HasPrefix(err.Error(), "push: ") {
			t.Errorf("%s: ParsePush error %v, want a push: error", name, err)
		}
	}
}

func TestCanonicalAndDedupKey(t *testing.T) {
	g := NewWithT(t)
	p := Push{Kind: mustKind(t, "click"), FromUserName: "o1", CreateTime: 5, MsgID: 9, Content: "x"}
	c := p.Canonical()
	g.Expect(c.EventKey).To(Equal(SampleMenuKey))
	g.Expect(c.Content).To(BeEmpty())
	g.Expect(c.MsgID).To(BeZero())
	g.Expect(p.DedupKey()).To(Equal("event:o1:5"))
	qr := Push{Kind: mustKind(t, "subscribe_qr")}
	g.Expect(qr.Canonical().EventKey).To(Equal("qrscene_" + SampleScene))
	text := Push{Kind: mustKind(t, "text"), MsgID: 77}
	g.Expect(text.Canonical().Content).To(Equal(SampleContent))
	g.Expect(text.DedupKey()).To(Equal("msg:77"))
}

func mustKind(tb testing.TB, name string) *Kind {
	tb.Helper()
	k, err := LookupKind(name)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}
