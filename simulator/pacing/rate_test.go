package pacing

import (
	"testing"

	. "github.com/onsi/gomega"
)

func TestParseRate(t *testing.T) {
	valid := []struct {
		in   string
		rate float64
	}{
		{"200", 200}, {"200/s", 200}, {"200/1s", 200}, {"12000/m", 200}, {"0.5/s", 0.5},
		{"3/1s", 3}, {"3/10s", 0.3}, {"360/h", 0.1}, {"1/ms", 1000}, {"5/500ms", 10},
		{"1e3/s", 1000}, {" 50 / s ", 50}, {"0", 0}, {"0/s", 0}, {"60/1m", 1}, {"1/µs", 1e6},
	}
	for _, c := range valid {
		got, err := ParseRate(c.in)
		NewWithT(t).Expect(err).NotTo(HaveOccurred(), c.in)
		NewWithT(t).Expect(got).To(BeNumerically("~", c.rate, 1e-12), c.in)
	}
	invalid := []struct{ in, err string }{
		{"", `rate "": missing number (want e.g. 200/s)`},
		{"/s", `rate "/s": missing number (want e.g. 200/s)`},
		{"abc", `rate "abc": "abc" is not a finite number`},
		{"NaN/s", `rate "NaN/s": "NaN" is not a finite number`},
		{"inf", `rate "inf": "inf" is not a finite number`},
		{"1e999", `rate "1e999": "1e999" is not a finite number`},
		{"-5/s", `rate "-5/s": must be >= 0`},
		{"5/", `rate "5/": missing unit after "/" (want s, m, h or a duration such as 10s)`},
		{"5/x", `rate "5/x": bad period "x" (want s, m, h or a duration such as 10s)`},
		{"5/s/s", `rate "5/s/s": bad period "s/s" (want s, m, h or a duration such as 10s)`},
		{"5/10", `rate "5/10": bad period "10" (want s, m, h or a duration such as 10s)`},
		{"5/0s", `rate "5/0s": period "0s" must be > 0`},
		{"5/-1s", `rate "5/-1s": period "-1s" must be > 0`},
		{"200 per second", `rate "200 per second": "200 per second" is not a finite number`},
	}
	for _, c := range invalid {
		_, err := ParseRate(c.in)
		NewWithT(t).Expect(err).To(MatchError(c.err), c.in)
	}
}
