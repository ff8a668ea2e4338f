package simulator

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// AlarmRule is when a window of failures raises an interface alarm: a window
// opens at a type's first failure and lasts Window; it raises one alarm when
// it holds at least Threshold failures.
type AlarmRule struct {
	Window    time.Duration
	Threshold int
}

// DefaultAlarmRule is 30 failures in 5 minutes, the documented default of
// the 2014 launch of interface alarms.
func DefaultAlarmRule() AlarmRule { return AlarmRule{Window: 5 * time.Minute, Threshold: 30} }

// withDefaults fills the zero fields from DefaultAlarmRule.
func (r AlarmRule) withDefaults() AlarmRule {
	d := DefaultAlarmRule()
	if r.Window <= 0 {
		r.Window = d.Window
	}
	if r.Threshold <= 0 {
		r.Threshold = d.Threshold
	}
	return r
}

// Limits are the timeouts in force, which alarm contents name.
type Limits struct {
	ConnectTimeout  time.Duration
	ResponseTimeout time.Duration
}

// DefaultLimits are WeChat's: 3 s to connect (the guide's troubleshooting
// text; its table says 5 s), 5 s to answer.
func DefaultLimits() Limits {
	return Limits{ConnectTimeout: 3 * time.Second, ResponseTimeout: 5 * time.Second}
}

// withDefaults fills the zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.ConnectTimeout <= 0 {
		l.ConnectTimeout = d.ConnectTimeout
	}
	if l.ResponseTimeout <= 0 {
		l.ResponseTimeout = d.ResponseTimeout
	}
	return l
}

// The alarm types that have windows, as indexes of Alarms.windows.
const (
	winDNSFailure = iota
	winConnectTimeout
	winRequestTimeout
	winResponseFailure
	winTicketTimeout
	winTicketFailure
	winComponentTimeout
	winComponentFailure
	numAlarmWindows
)

var alarmWindowTypes = [numAlarmWindows]AlarmType{AlarmDNSFailure, AlarmConnectTimeout,
	AlarmRequestTimeout, AlarmResponseFailure, AlarmTicketTimeout, AlarmTicketFailure,
	AlarmComponentTimeout, AlarmComponentFailure}

// Alarms runs the alarm windows of one account. It is used by one goroutine.
type Alarms struct {
	rule     AlarmRule
	limits   Limits
	appid    string
	nickname string
	windows  [numAlarmWindows]alarmWindow
	next     int64 // unix ns of the earliest open window's end; MaxInt64 when none
}

// alarmWindow is one type's window; only its first failure is kept.
type alarmWindow struct {
	open   bool
	first  time.Time // the first failure's Start
	end    int64     // unix ns when the window closes
	count  int
	sample string
}

// NewAlarms returns the alarm windows of the account appid; zero fields of
// rule and limits take their defaults.
func NewAlarms(rule AlarmRule, limits Limits, appid, nickname string) *Alarms {
	return &Alarms{rule: rule.withDefaults(), limits: limits.withDefaults(),
		appid: appid, nickname: nickname, next: math.MaxInt64}
}

// Record counts o, whose Start is the clock: windows that ended at or before
// o.Start close first (raising their alarms, returned), then a failure opens
// or joins its type's window. Outcomes arrive in the order their attempts
// end, so a failure reported after its window closed (a timeout due just
// before the end) counts in the next window. Most calls allocate nothing.
func (a *Alarms) Record(o *Outcome) []Alarm {
	now := o.Start.UnixNano()
	var raised []Alarm
	if now >= a.next {
		raised = a.expire(now)
	}
	if !o.Class.Failed() {
		return raised
	}
	i := alarmWindowFor(o)
	w := &a.windows[i]
	if !w.open {
		*w = alarmWindow{open: true, first: o.Start, end: o.Start.Add(a.rule.Window).UnixNano(),
			sample: alarmSample(o)}
		a.next = min(a.next, w.end)
	}
	w.count++
	return raised
}

// expire closes the windows that ended at or before now.
func (a *Alarms) expire(now int64) []Alarm {
	var raised []Alarm
	a.next = math.MaxInt64
	for i := range a.windows {
		w := &a.windows[i]
		if !w.open {
			continue
		}
		if w.end > now {
			a.next = min(a.next, w.end)
			continue
		}
		if w.count >= a.rule.Threshold {
			raised = append(raised, a.alarm(i, false))
		}
		w.open = false
	}
	return raised
}

// Close ends the run at end: every open window at or over the threshold
// raises its alarm, marked Partial when it had not run its full length.
func (a *Alarms) Close(end time.Time) []Alarm {
	var raised []Alarm
	for i := range a.windows {
		w := &a.windows[i]
		if w.open && w.count >= a.rule.Threshold {
			raised = append(raised, a.alarm(i, end.UnixNano() < w.end))
		}
		w.open = false
	}
	a.next = math.MaxInt64
	return raised
}

// Open returns how many windows are open at or over the threshold: alarms
// that will be raised when their windows close.
func (a *Alarms) Open() int {
	n := 0
	for i := range a.windows {
		if a.windows[i].open && a.windows[i].count >= a.rule.Threshold {
			n++
		}
	}
	return n
}

// MarkFail returns the alarm of a MarkFail block, raised the moment it
// blocks. Its sample is the first failure of the fullest open window (what
// the block is made of) followed by the block's counts.
func (a *Alarms) MarkFail(b Block) Alarm {
	sample, most := "", 0
	for i := range a.windows {
		if w := &a.windows[i]; w.open && w.count > most {
			sample, most = w.sample, w.count
		}
	}
	sample += "[failures=" + strconv.Itoa(b.Failures) + "][deliveries=" + strconv.Itoa(b.Deliveries) + "]"
	block := b.End.Sub(b.Start)
	return Alarm{Type: AlarmMarkFail, Account: a.appid, Nickname: a.nickname,
		Time: b.Start, Count: b.Failures, Window: b.Window, Sample: sample,
		Content: alarmContent(AlarmMarkFail, block, langEN), Advice: alarmAdvice(AlarmMarkFail, langEN),
		Limit: trimDuration(block)}
}

// alarm builds the alarm of window i.
func (a *Alarms) alarm(i int, partial bool) Alarm {
	w := &a.windows[i]
	typ := alarmWindowTypes[i]
	limit := a.limitFor(typ)
	al := Alarm{Type: typ, Account: a.appid, Nickname: a.nickname, Time: w.first,
		Count: w.count, Window: trimDuration(a.rule.Window), Partial: partial, Sample: w.sample,
		Content: alarmContent(typ, limit, langEN), Advice: alarmAdvice(typ, langEN)}
	if limit > 0 {
		al.Limit = trimDuration(limit)
	}
	return al
}

// limitFor returns the limit an alarm type's content names, 0 for none.
func (a *Alarms) limitFor(typ AlarmType) time.Duration {
	switch typ {
	case AlarmConnectTimeout:
		return a.limits.ConnectTimeout
	case AlarmRequestTimeout, AlarmTicketTimeout, AlarmComponentTimeout:
		return a.limits.ResponseTimeout
	}
	return 0
}

// alarmWindowFor maps a failed outcome to its alarm window. Third-party
// platform pushes have their own alarms (timeouts and connect failures are
// the *_timeout, rejected replies the *_failure); a DNS failure concerns the
// URL, not the push, so it is always dns_failure.
func alarmWindowFor(o *Outcome) int {
	if o.Class == DNSFailure {
		return winDNSFailure
	}
	switch o.Kind {
	case "component_verify_ticket":
		return timeoutOrFailure(o.Class, winTicketTimeout, winTicketFailure)
	case "authorized", "unauthorized", "updateauthorized":
		return timeoutOrFailure(o.Class, winComponentTimeout, winComponentFailure)
	}
	switch o.Class {
	case ConnectTimeout, ConnectFailure:
		return winConnectTimeout
	case RequestTimeout:
		return winRequestTimeout
	}
	return winResponseFailure
}

// timeoutOrFailure returns failure for a rejected reply, timeout otherwise.
func timeoutOrFailure(c Class, timeout, failure int) int {
	if c == ResponseFailure {
		return failure
	}
	return timeout
}

// alarmSampleMax bounds response_content in a sample, like WeChat's excerpt.
const alarmSampleMax = 64

// alarmSample renders the failure's "Error example": the developer's IP and
// the message type ([Msg=..]), event ([Event=..]) or component push
// ([InfoType=..]); rejected replies add their length and first bytes.
func alarmSample(o *Outcome) string {
	var b strings.Builder
	if o.RemoteIP != "" {
		b.WriteString("[IP=" + o.RemoteIP + "]")
	}
	b.WriteString("[" + sampleKindLabel(o.Kind) + "=" + o.Kind + "]")
	if o.Class == ResponseFailure {
		b.WriteString("[response_length=" + strconv.Itoa(max(o.BodyLen, len(o.Body))) + "]")
		b.WriteString("[response_content=" + sampleContent(o.Body) + "]")
	}
	return b.String()
}

// kindLabel names the sample field of a push kind.
func sampleKindLabel(kind string) string {
	switch kind {
	case "text", "image", "voice", "video", "shortvideo", "location", "link":
		return "Msg"
	case "component_verify_ticket", "authorized", "unauthorized", "updateauthorized":
		return "InfoType"
	}
	return "Event"
}

// lastRuneStart returns the index where the last (possibly partial) UTF-8
// sequence of b starts.
func lastRuneStart(b []byte) int {
	i := len(b) - 1
	for i > 0 && i > len(b)-utf8.UTFMax && !utf8.RuneStart(b[i]) {
		i--
	}
	return max(i, 0)
}

// sampleContent returns the first alarmSampleMax bytes of a reply as one
// line of valid UTF-8: control characters become spaces, so a sample never
// breaks the alarm's layout.
func sampleContent(body []byte) string {
	if len(body) > alarmSampleMax {
		body = body[:alarmSampleMax]
		for i := 0; i < utf8.UTFMax-1 && !utf8.FullRune(body[lastRuneStart(body):]); i++ {
			body = body[:len(body)-1] // do not split a character
		}
	}
	s := strings.ToValidUTF8(string(body), "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
