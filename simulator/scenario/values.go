package scenario

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/wxsim/wxsim/simulator/pacing"
)

// builder turns the raw file into a Scenario, keeping the first problem it
// meets (in the order of scenarios/README.md); once it has one, the rest of
// the build is skipped, so no problem is reported out of a earlier one's
// consequences.
type builder struct {
	file string
	ix   *index
	env  func(string) (string, bool)
	err  *Error
}

// fail records a problem with the field at path, unless one is already
// recorded.
func (b *builder) fail(path, format string, args ...any) {
	if b.err == nil {
		b.err = &Error{File: b.file, Line: b.ix.lineOf(path), Field: path, Problem: problemf(format, args...)}
	}
}

// failed reports whether a problem was recorded.
func (b *builder) failed() bool { return b.err != nil }

// str returns the text's value with ${VAR} expanded; "" when it is left out
// or invalid (after recording why). secret keeps the value out of messages.
func (b *builder) str(path string, t text, secret bool) string {
	if !t.set || b.failed() {
		return ""
	}
	if !t.scalar() {
		shape := t.shape
		if shape == ast.MappingValueType {
			shape = ast.MappingType
		}
		b.fail(path, "want a single value, got %s", shapeName(shape))
		return ""
	}
	s, err := expand(t.s, b.env, secret)
	if err != nil {
		b.fail(path, "%v", err)
		return ""
	}
	return strings.TrimSpace(s)
}

// duration reads a Go duration above 0; ok is false when the field is left
// out (or empty) or invalid.
func (b *builder) duration(path string, t text) (d time.Duration, ok bool) {
	s := b.str(path, t, false)
	if s == "" {
		return 0, false
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		b.fail(path, "%q is not a duration (want e.g. 30s, 5m or 1h30m)", s)
		return 0, false
	case d <= 0:
		b.fail(path, "must be above 0, got %s", s)
		return 0, false
	}
	return d, true
}

// rate reads a rate in pushes/s (pacing.ParseRate: 200/s, 12000/m, 0.5/s).
func (b *builder) rate(path string, t text) (r float64, ok bool) {
	s := b.str(path, t, false)
	if s == "" {
		return 0, false
	}
	r, err := pacing.ParseRate(s)
	if err != nil {
		if strings.HasPrefix(s, "-") {
			b.fail(path, "must be 0 or more, got %s", s)
		} else {
			b.fail(path, "%q is not a rate (want e.g. 200/s, 12000/m or 0.5/s)", s)
		}
		return 0, false
	}
	return r, true
}

// count reads a whole number of at least min.
func (b *builder) count(path string, t text, min uint64) (n uint64, ok bool) {
	s := b.str(path, t, false)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseUint(strings.ReplaceAll(s, "_", ""), 10, 63)
	switch {
	case err != nil:
		b.fail(path, "%q is not a whole number", s)
		return 0, false
	case n < min:
		b.fail(path, "must be at least %d, got %d", min, n)
		return 0, false
	}
	return n, true
}

// ratio reads a number between 0 and 1.
func (b *builder) ratio(path string, t text) (v float64, ok bool) {
	s := b.str(path, t, false)
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < 0 || v > 1 {
		b.fail(path, "want a ratio between 0 and 1 such as 0.5, got %q", s)
		return 0, false
	}
	return v, true
}

// boolean reads true or false.
func (b *builder) boolean(path string, t text) bool {
	s := b.str(path, t, false)
	switch strings.ToLower(s) {
	case "", "false":
		return false
	case "true":
		return true
	}
	b.fail(path, "want true or false, got %q", s)
	return false
}
