package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"golang.org/x/net/html"

	"github.com/wxsim/wxsim/simulator"
)

// htmlRun reads a run with outcomes of every sort, MarkFail blocks and
// alarms back from its result file.
func htmlRun(t *testing.T) *Merged {
	t.Helper()
	run := append(mixedRun(t0, 50, 1000), failingRun(t0.Add(30*time.Second), 10, 1500)...)
	p := writeResults(t, t.TempDir(), "run.bin", "gob", "wxsim", run)
	m, err := ReadFiles([]string{p}, simulator.AggregatorConfig{TargetRate: 50})
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	m.Summary.Thresholds = []simulator.ThresholdResult{{Expr: "p99 < 1s", OK: false, Value: "5s"}}
	return m
}

func renderHTML(t *testing.T, s *simulator.Summary, series []simulator.SecondBucket, title string, opts ...Option) (string, *html.Node) {
	t.Helper()
	g := NewWithT(t)
	var buf bytes.Buffer
	g.Expect(WriteHTML(&buf, s, series, title, opts...)).To(Succeed())
	expectBalanced(t, buf.String())
	doc, err := html.Parse(strings.NewReader(buf.String()))
	g.Expect(err).NotTo(HaveOccurred())
	return buf.String(), doc
}

func TestWriteHTMLIsOneSelfContainedPage(t *testing.T) {
	g := NewWithT(t)
	m := htmlRun(t)
	knee := Marker{Time: t0.Add(100 * time.Second), Label: "knee 480/s"}
	out, doc := renderHTML(t, m.Summary, m.Series, "run <b>1</b>", Markers(knee))

	for _, n := range all(doc, func(n *html.Node) bool { return n.Type == html.ElementNode }) {
		g.Expect(n.Data).NotTo(BeElementOf("link", "img", "iframe", "object", "embed"), "nothing to fetch")
		if n.Data == "script" {
			g.Expect(attr(n, "type")).To(Equal("application/json"), "data only, no code")
		}
		for _, a := range n.Attr {
			if a.Key == "src" || a.Key == "href" || strings.HasSuffix(a.Key, ":href") {
				t.Errorf("<%s %s=%q>: the page must fetch nothing", n.Data, a.Key, a.Val)
			}
		}
	}
	g.Expect(out).NotTo(ContainSubstring("http://"))
	g.Expect(out).NotTo(ContainSubstring("https://"))
	g.Expect(out).NotTo(ContainSubstring("<b>1</b>"), "the title is escaped")
	g.Expect(out).To(ContainSubstring("&lt;html&gt;oops&lt;/html&gt;"), "the endpoint's body is escaped")
	g.Expect(text(first(doc, byTag("h1")))).To(Equal("run <b>1</b>"))
	g.Expect(out).To(ContainSubstring("p99 &lt; 1s"))
	g.Expect(out).To(ContainSubstring("connect 3s, response 5s"))
}

func TestWriteHTMLDrawsTheSeries(t *testing.T) {
	g := NewWithT(t)
	m := htmlRun(t)
	knee := Marker{Time: t0.Add(100 * time.Second), Label: "knee 480/s"}
	later := Marker{Time: t0.Add(time.Hour), Label: "after the run"}
	out, doc := renderHTML(t, m.Summary, m.Series, "run", Markers(knee, later))
	g.Expect(all(doc, byClass("marker"))).To(HaveLen(2), "one knee per chart; the later marker is only listed")
	g.Expect(out).To(ContainSubstring("<th>after the run</th>"))

	// Both charts, each with the blocks shaded, the alarms and the knee.
	for _, id := range []string{"chart-latency", "chart-outcomes"} {
		svg := first(doc, byID(id))
		g.Expect(svg).NotTo(BeNil(), id)
		g.Expect(all(svg, byClass("band"))).To(HaveLen(len(m.Summary.MarkFail)), id)
		g.Expect(text(first(svg, byClass("marker")))).To(HavePrefix("knee 480/s"), id)
		var alarms []string
		for _, a := range all(svg, byClass("alarm")) {
			alarms = append(alarms, strings.Split(text(first(a, byTag("text"))), ",")...)
		}
		g.Expect(alarms).To(ConsistOf("A1", "A2", "A3", "A4", "A5", "A6", "A7"), id)
		g.Expect(texts(svg, "text")).To(ContainElement(ContainSubstring("time since")), "x axis labelled")
	}
	// The latency chart draws p50 and p99 through every second with
	// deliveries; the outcomes chart stacks the classes that occurred.
	lat := first(doc, byID("chart-latency"))
	withDeliveries := 0
	for _, b := range m.Series {
		if b.P99MS > 0 || b.Count(simulator.OK) > 0 {
			withDeliveries++
		}
	}
	paths := all(lat, byTag("path"))
	g.Expect(texts(lat, "path")).To(Equal([]string{"p50", "p99"}))
	g.Expect(strings.Count(attr(paths[1], "d"), "L") + strings.Count(attr(paths[1], "d"), "M")).
		To(Equal(withDeliveries))
	g.Expect(texts(first(doc, byID("chart-outcomes")), "path")).To(Equal([]string{
		"ok", "connect_failure", "request_timeout", "response_failure", "blocked", "target rate"}))

	// The full series and the summary ride along as JSON.
	var series []simulator.SecondBucket
	g.Expect(json.Unmarshal([]byte(text(first(doc, byID("wxsim-series")))), &series)).To(Succeed())
	g.Expect(marshal(series)).To(MatchJSON(marshal(m.Series)))
	var s simulator.Summary
	g.Expect(json.Unmarshal([]byte(text(first(doc, byID("wxsim-summary")))), &s)).To(Succeed())
	g.Expect(marshal(inUTC(&s))).To(MatchJSON(marshal(inUTC(m.Summary))))
}

func TestWriteHTMLDownsamplesLongRuns(t *testing.T) {
	g := NewWithT(t)
	series := make([]simulator.SecondBucket, 6*3600) // six hours
	for i := range series {
		series[i] = simulator.SecondBucket{Time: t0.Add(time.Duration(i) * time.Second), Pushes: 100,
			P50MS: 2, P99MS: float64(3 + i%50)}
		series[i].Outcomes[simulator.OK] = 100
	}
	s := &simulator.Summary{Start: t0, End: t0.Add(6 * time.Hour), Outcomes: map[string]uint64{"ok": 2160000}}
	out, doc := renderHTML(t, s, series, "long run")
	p99 := all(first(doc, byID("chart-latency")), byTag("path"))[1]
	g.Expect(strings.Count(attr(p99, "d"), "L")).To(BeNumerically("<", maxPoints))
	g.Expect(out).To(ContainSubstring("over 18s"))
	g.Expect(len(out)).To(BeNumerically("<", 3<<20), "a six-hour page stays a few MB")
}

func TestWriteHTMLWithoutResults(t *testing.T) {
	g := NewWithT(t)
	out, _ := renderHTML(t, &simulator.Summary{}, nil, "")
	g.Expect(out).To(ContainSubstring("No results to draw."))
	g.Expect(out).To(ContainSubstring("<title>wxsim report</title>"))
	g.Expect(out).To(ContainSubstring(`<script type="application/json" id="wxsim-series">[]</script>`))
}

// expectBalanced checks that every element the page opens it closes, in
// order (the HTML parser would forgive what a browser's might not).
func expectBalanced(t *testing.T, page string) {
	t.Helper()
	void := map[string]bool{"meta": true, "br": true, "hr": true, "img": true, "input": true, "link": true}
	z := html.NewTokenizer(strings.NewReader(page))
	var open []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			if len(open) > 0 {
				t.Fatalf("unclosed elements at the end: %v", open)
			}
			return
		case html.StartTagToken:
			name, _ := z.TagName()
			if !void[string(name)] {
				open = append(open, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(open) == 0 || open[len(open)-1] != string(name) {
				t.Fatalf("</%s> closes %v", name, open)
			}
			open = open[:len(open)-1]
		}
	}
}

func marshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// The helpers below walk a parsed page.

func all(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var found []*html.Node
	for d := range n.Descendants() {
		if match(d) {
			found = append(found, d)
		}
	}
	return found
}

func first(n *html.Node, match func(*html.Node) bool) *html.Node {
	if n == nil {
		return nil
	}
	if f := all(n, match); len(f) > 0 {
		return f[0]
	}
	return nil
}

func byTag(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == tag }
}

func byID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && attr(n, "id") == id }
}

func byClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && attr(n, "class") == class }
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// text is the text content of n.
func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// texts returns the text of each tag element under n.
func texts(n *html.Node, tag string) []string {
	var ts []string
	for _, e := range all(n, byTag(tag)) {
		ts = append(ts, text(e))
	}
	return ts
}
