package api

import "time"

// beijing is the zone of WeChat's daily quotas, which reset at midnight
// China time; a fixed zone needs no tzdata.
var beijing = time.FixedZone("CST", 8*60*60)

// dayStart is the start of now's quota day.
func dayStart(now time.Time) time.Time {
	y, m, d := now.In(beijing).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, beijing)
}

// minuteStart is the start of now's quota minute.
func minuteStart(now time.Time) time.Time { return now.Truncate(time.Minute) }

// counter counts calls in one fixed window (a day, a minute) and starts
// again from zero when a new window begins.
type counter struct {
	window func(time.Time) time.Time
	start  time.Time
	n      int
}

// take counts one call at now if fewer than limit were counted in now's
// window, and reports whether it did.
func (c *counter) take(now time.Time, limit int) bool {
	if start := c.window(now); !start.Equal(c.start) {
		c.start, c.n = start, 0
	}
	if c.n >= limit {
		return false
	}
	c.n++
	return true
}
