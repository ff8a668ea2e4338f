package report

import (
	"bytes"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator"
)

func TestParseBuckets(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		in      string
		want    vegeta.Buckets
		wantErr string
	}{
		{"[0,1ms,10ms]", vegeta.Buckets{0, ms, 10 * ms}, ""},
		{"hist[0,1ms,10ms,100ms,1s,5s]", vegeta.Buckets{0, ms, 10 * ms, 100 * ms, time.Second, 5 * time.Second}, ""},
		{"[1ms, 5s]", vegeta.Buckets{0, ms, 5 * time.Second}, ""}, // vegeta adds the [0, first) bucket
		{"0,1ms", nil, "bad buckets"},
		{"[0,soon]", nil, "soon"},
		{"[0,10ms,1ms]", nil, "does not exceed"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			g := NewWithT(t)
			bs, err := ParseBuckets(tc.in)
			if tc.wantErr != "" {
				g.Expect(err).To(MatchError(ContainSubstring(tc.wantErr)))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(bs).To(Equal(tc.want))
		})
	}
}

func TestWriteHistogramRows(t *testing.T) {
	g := NewWithT(t)
	run := mixedRun(t0, 50, 1000)
	p := writeResults(t, t.TempDir(), "run.bin", "gob", "wxsim", run)
	bs, err := ParseBuckets("[0,1ms,10ms,5s]")
	g.Expect(err).NotTo(HaveOccurred())
	m, err := ReadFiles([]string{p}, simulator.AggregatorConfig{}, Buckets(bs))
	g.Expect(err).NotTo(HaveOccurred())

	var buf bytes.Buffer
	g.Expect(WriteHistogram(&buf, m.Histogram)).To(Succeed())
	g.Expect(lines(buf.String())).To(Equal([]string{
		"Bucket         #     %       Histogram",
		"[0s,    1ms)   150   13.04%  ######",
		"[1ms,   10ms)  900   78.26%  #######################################",
		"[10ms,  5s)    0     0.00%",
		"[5s,    +Inf)  100   8.70%   ####",
		"Total          1150",
	}))
}

func TestWriteHistogramEmpty(t *testing.T) {
	g := NewWithT(t)
	var buf bytes.Buffer
	h := &vegeta.Histogram{Buckets: defaultBuckets()}
	g.Expect(WriteHistogram(&buf, h)).To(Succeed())
	g.Expect(lines(buf.String())).To(ContainElement("[5s,     +Inf)   0  0.00%"))
}
