package wechat

import (
	"strconv"
	"testing"
)

// The hot-path budgets of design.md: at 10 000 pushes a second on two cores
// there are about 100 µs of CPU per push for everything.

func BenchmarkAppendXML(b *testing.B) {
	p := goldenTextPush(b)
	buf := make([]byte, 0, p.Size())
	b.ReportAllocs()
	for b.Loop() {
		buf = p.AppendXML(buf[:0])
	}
	b.SetBytes(int64(len(buf)))
}

// BenchmarkBuildAndSignPlainPush is what the targeter does per plain push:
// the body and the signed query.
func BenchmarkBuildAndSignPlainPush(b *testing.B) {
	c := mustCodec(b, Plain)
	p := goldenTextPush(b)
	body := make([]byte, 0, p.Size())
	query := make([]byte, 0, 256)
	b.ReportAllocs()
	var i uint64
	for b.Loop() {
		i++
		p.MsgID = i
		body, _ = c.Body(p, body[:0])
		query = c.AppendQuery(query[:0], p.FromUserName, "", "1714112446", "415670741")
	}
}

func BenchmarkJudgeSuccess(b *testing.B) {
	c := mustCodec(b, Safe)
	p := goldenTextPush(b)
	body := []byte("success")
	b.ReportAllocs()
	for b.Loop() {
		if !c.Judge(200, body, p).OK() {
			b.Fatal("success refused")
		}
	}
}

func BenchmarkJudgeTextReply(b *testing.B) {
	c := mustCodec(b, Plain)
	p := goldenTextPush(b)
	reply := AppendTextReply(nil, p.FromUserName, p.ToUserName, 1714112446, "hello, follower")
	b.ReportAllocs()
	for b.Loop() {
		if v := c.Judge(200, reply, p); !v.OK() {
			b.Fatal(v.Detail)
		}
	}
}

// BenchmarkSafePushRoundTrip is one safe-mode exchange end to end: build,
// sign and encrypt the push, then seal (as the endpoint would), decrypt and
// judge its text reply.
func BenchmarkSafePushRoundTrip(b *testing.B) {
	c := mustCodec(b, Safe)
	p := goldenTextPush(b)
	body := make([]byte, 0, 4*p.Size())
	query := make([]byte, 0, 256)
	replyBuf := make([]byte, 0, 512)
	b.ReportAllocs()
	var i uint64
	for b.Loop() {
		i++
		p.MsgID = i
		var enc string
		body, enc = c.Body(p, body[:0])
		query = c.AppendQuery(query[:0], p.FromUserName, enc, "1714112446", "415670741")
		replyBuf = AppendTextReply(replyBuf[:0], p.FromUserName, p.ToUserName, 1714112446, "msg "+strconv.Itoa(int(i&7)))
		sealed := c.SealReply(replyBuf, "1714112446", "415670741")
		if v := c.Judge(200, sealed, p); !v.OK() {
			b.Fatal(v.Detail)
		}
	}
}
