package wechat

import (
	"testing"

	"github.com/beevik/etree"

	"github.com/wxsim/wxsim/fixtures"
)

// The calibration benchmarks repeat the two etree figures design.md gives
// for the machine the per-push budgets were set on (a text push built as a
// fresh document: 2.5 µs, 37 allocations; a passive reply parsed: 8.6 µs),
// so `make bench` can say how fast this machine is against that one and
// judge the budgets at this machine's speed as well as as written.

// BenchmarkCalibrateEtreeBuild builds a text push as a fresh etree
// document, the way a naive builder would for every push.
func BenchmarkCalibrateEtreeBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		doc := etree.NewDocument()
		x := doc.CreateElement("xml")
		x.CreateElement("ToUserName").CreateCData("gh_7f083739789a")
		x.CreateElement("FromUserName").CreateCData("oia2TjuEGTNoeX76QEjQNrcURxG8")
		x.CreateElement("CreateTime").SetText("1714112446")
		x.CreateElement("MsgType").CreateCData("text")
		x.CreateElement("Content").CreateCData("hello, developer")
		x.CreateElement("MsgId").SetText("24557340963312345")
		if _, err := doc.WriteToBytes(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCalibrateEtreeParse parses the golden text passive reply (as
// WeChat's documentation lays it out, one element per line) with a bare
// etree read: no judging at all.
func BenchmarkCalibrateEtreeParse(b *testing.B) {
	reply, err := fixtures.FS.ReadFile("replies/text.xml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(reply); err != nil {
			b.Fatal(err)
		}
	}
}
