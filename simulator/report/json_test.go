package report

import (
	"bytes"
	"encoding/json"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator"
)

// summaryKeys are the stable keys of product.md §4.
var summaryKeys = []string{"pushes", "deliveries", "lost", "late", "outcomes", "reasons", "retries",
	"rate", "latency_ms", "kinds", "markfail", "alarms", "thresholds", "assumptions"}

func TestWriteJSONRoundTrips(t *testing.T) {
	g := NewWithT(t)
	s := richSummary()
	var buf bytes.Buffer
	g.Expect(WriteJSON(&buf, s)).To(Succeed())
	g.Expect(buf.String()).To(HavePrefix("{\n  \"pushes\": 2500,\n"), "indented")

	var back simulator.Summary
	g.Expect(json.Unmarshal(buf.Bytes(), &back)).To(Succeed())
	g.Expect(inUTC(&back)).To(Equal(inUTC(s)))

	var raw map[string]json.RawMessage
	g.Expect(json.Unmarshal(buf.Bytes(), &raw)).To(Succeed())
	for _, k := range summaryKeys {
		g.Expect(raw).To(HaveKey(k))
	}
	var nested struct {
		Rate        map[string]any `json:"rate"`
		LatencyMS   map[string]any `json:"latency_ms"`
		Assumptions map[string]any `json:"assumptions"`
	}
	g.Expect(json.Unmarshal(buf.Bytes(), &nested)).To(Succeed())
	g.Expect(nested.Rate).To(HaveKey("target"))
	g.Expect(nested.Rate).To(HaveKey("achieved"))
	for _, k := range []string{"p50", "p90", "p95", "p99", "max"} {
		g.Expect(nested.LatencyMS).To(HaveKey(k))
	}
	for _, k := range []string{"connect_timeout", "response_timeout", "retries", "markfail", "alarm_threshold"} {
		g.Expect(nested.Assumptions).To(HaveKey(k))
	}
}

func TestWriteJSONEmptySummaryHasNoNulls(t *testing.T) {
	g := NewWithT(t)
	var buf bytes.Buffer
	g.Expect(WriteJSON(&buf, &simulator.Summary{})).To(Succeed())
	var raw map[string]json.RawMessage
	g.Expect(json.Unmarshal(buf.Bytes(), &raw)).To(Succeed())
	for _, k := range summaryKeys {
		g.Expect(raw).To(HaveKey(k))
		g.Expect(string(raw[k])).NotTo(Equal("null"), k)
	}
}
