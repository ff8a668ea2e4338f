package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// DefaultBuckets are the latency histogram's buckets when none are asked
// for: WeChat's 5 s response limit is the last bound, so the open bucket
// holds exactly the replies too late to count.
const DefaultBuckets = "[0,1ms,10ms,100ms,1s,5s]"

// defaultBuckets returns DefaultBuckets parsed.
func defaultBuckets() vegeta.Buckets {
	bs, err := ParseBuckets(DefaultBuckets)
	if err != nil {
		panic(err) // a constant that does not parse is a programming error
	}
	return bs
}

// histBarWidth is the width of a bar holding every result.
const histBarWidth = 50

// ParseBuckets reads histogram buckets as vegeta's report does: either
// "[0,1ms,10ms]" or the whole report type "hist[0,1ms,10ms]". Bounds must
// increase.
func ParseBuckets(s string) (vegeta.Buckets, error) {
	spec := strings.TrimPrefix(strings.TrimSpace(s), "hist")
	var bs vegeta.Buckets
	if err := bs.UnmarshalText([]byte(spec)); err != nil {
		return nil, fmt.Errorf("histogram buckets %q: %w", s, err)
	}
	for i := 1; i < len(bs); i++ {
		if bs[i] <= bs[i-1] {
			return nil, fmt.Errorf("histogram buckets %q: %s does not exceed %s", s, bs[i], bs[i-1])
		}
	}
	return bs, nil
}

// WriteHistogram writes h as one row per bucket: its bounds (lower bound
// inclusive, the last bucket open), the count, its share and a bar.
func WriteHistogram(w io.Writer, h *vegeta.Histogram) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "Bucket\t\t#\t%%\tHistogram\n")
	for i := range h.Buckets {
		var n uint64
		if i < len(h.Counts) {
			n = h.Counts[i]
		}
		ratio := 0.0
		if h.Total > 0 {
			ratio = float64(n) / float64(h.Total)
		}
		lo, hi := h.Buckets.Nth(i)
		fmt.Fprintf(tw, "[%s,\t%s)\t%d\t%.2f%%\t%s\n", lo, hi, n, ratio*100, bar(ratio))
	}
	fmt.Fprintf(tw, "Total\t\t%d\t\t\n", h.Total)
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write histogram: %w", err)
	}
	return nil
}

// bar draws ratio as a row of #, at least one for a non-empty bucket so a
// rare tail stays visible.
func bar(ratio float64) string {
	n := int(ratio * histBarWidth)
	if n == 0 && ratio > 0 {
		n = 1
	}
	return strings.Repeat("#", n)
}
