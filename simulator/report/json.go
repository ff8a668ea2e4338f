package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/wxsim/wxsim/simulator"
)

// WriteJSON writes s as the indented JSON summary of product.md §4. Empty
// collections are written as {} and [] rather than null, so consumers can
// index them without a nil check.
func WriteJSON(w io.Writer, s *simulator.Summary) error {
	c := *s
	c.Outcomes = orEmpty(c.Outcomes)
	c.Reasons = orEmpty(c.Reasons)
	c.Kinds = orEmpty(c.Kinds)
	if c.MarkFail == nil {
		c.MarkFail = []simulator.Block{}
	}
	if c.Alarms == nil {
		c.Alarms = []simulator.Alarm{}
	}
	if c.Thresholds == nil {
		c.Thresholds = []simulator.ThresholdResult{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&c); err != nil {
		return fmt.Errorf("write json summary: %w", err)
	}
	return nil
}

func orEmpty(m map[string]uint64) map[string]uint64 {
	if m == nil {
		return map[string]uint64{}
	}
	return m
}
