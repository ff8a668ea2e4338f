package pacing

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseRate reads a rate in hits per second from the forms vegeta's -rate
// and k6 users write:
//
//	rate   = number [ "/" per ]
//	per    = unit | duration      ; "s", "m", "h", "ms", … or a Go duration such as "1s", "10m"
//	number = a decimal such as 200, 0.5 or 1e3, finite and >= 0
//
// "200", "200/s" and "200/1s" are 200/s; "12000/m" is 200/s; "0.5/s" is one
// hit every 2s; "3/10s" is 0.3/s. A bare number is per second, and 0 means a
// closed loop to the caller (see Closed). Errors quote the input.
func ParseRate(s string) (float64, error) {
	num, per, slash := strings.Cut(strings.TrimSpace(s), "/")
	num = strings.TrimSpace(num)
	if num == "" {
		return 0, fmt.Errorf("rate %q: missing number (want e.g. 200/s)", s)
	}
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, fmt.Errorf("rate %q: %q is not a finite number", s, num)
	}
	if n < 0 {
		return 0, fmt.Errorf("rate %q: must be >= 0", s)
	}
	if !slash {
		return n, nil
	}
	d, err := parsePer(strings.TrimSpace(per))
	if err != nil {
		return 0, fmt.Errorf("rate %q: %w", s, err)
	}
	return n / d.Seconds(), nil
}

// parsePer reads the part after the slash: a bare unit ("s", "m") or a
// positive Go duration ("1s", "10m").
func parsePer(per string) (time.Duration, error) {
	if per == "" {
		return 0, fmt.Errorf("missing unit after \"/\" (want s, m, h or a duration such as 10s)")
	}
	text := per
	if c := per[0] | 0x20; c >= 'a' && c <= 'z' || per[0] >= 0x80 {
		text = "1" + per // a bare unit ("s", "µs"): one of it
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		return 0, fmt.Errorf("bad period %q (want s, m, h or a duration such as 10s)", per)
	}
	if d <= 0 {
		return 0, fmt.Errorf("period %q must be > 0", per)
	}
	return d, nil
}
