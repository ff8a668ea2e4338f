package simulator

import (
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// failedOutcome returns a failed outcome of class c for kind, due at.
func failedOutcome(c Class, kind string, at time.Time) *Outcome {
	o := &Outcome{Class: c, Kind: kind, Attempt: 1, Start: at, RemoteIP: "127.0.0.1", Final: true}
	if c == ResponseFailure {
		o.Body = []byte("Error 500:")
	}
	return o
}

func newTestAlarms() *Alarms {
	return NewAlarms(AlarmRule{}, Limits{}, "wx0123456789abcdef", "Demo Account")
}

// recordFailures records n failures of class c, one per second from at, and
// returns the alarms they raised.
func recordFailures(a *Alarms, n int, c Class, kind string, at time.Time) []Alarm {
	var raised []Alarm
	for i := range n {
		raised = append(raised, a.Record(failedOutcome(c, kind, at.Add(time.Duration(i)*time.Second)))...)
	}
	return raised
}

func TestAlarmWindowRaisesOnceWhenItCloses(t *testing.T) {
	for _, n := range []int{29, 30, 31, 250} {
		t.Run(strconv.Itoa(n)+" failures", func(t *testing.T) {
			g := NewWithT(t)
			a := newTestAlarms()
			g.Expect(recordFailures(a, n, RequestTimeout, "unsubscribe", aggT0)).To(BeEmpty(), "nothing before the window closes")
			g.Expect(a.Open()).To(Equal(map[bool]int{true: 1, false: 0}[n >= 30]))
			// An ok outcome one nanosecond before the end keeps it open.
			g.Expect(a.Record(&Outcome{Class: OK, Start: aggT0.Add(5*time.Minute - 1)})).To(BeEmpty())
			raised := a.Record(&Outcome{Class: OK, Start: aggT0.Add(5 * time.Minute)})
			if n < 30 {
				g.Expect(raised).To(BeEmpty())
				return
			}
			g.Expect(raised).To(HaveLen(1))
			al := raised[0]
			g.Expect(al.Type).To(Equal(AlarmRequestTimeout))
			g.Expect(al.Count).To(Equal(min(n, 300)), "failures due in the window")
			g.Expect(al.Time).To(Equal(aggT0), "the first failure")
			g.Expect(al.Window).To(Equal("5m"))
			g.Expect(al.Partial).To(BeFalse())
			g.Expect(al.Account).To(Equal("wx0123456789abcdef"))
			g.Expect(al.Nickname).To(Equal("Demo Account"))
			g.Expect(al.Sample).To(Equal("[IP=127.0.0.1][Event=unsubscribe]"))
			g.Expect(al.Limit).To(Equal("5s"))
			g.Expect(al.Content).To(HaveSuffix("the developer did not return within 5 seconds"))
			g.Expect(a.Open()).To(BeZero())
			g.Expect(a.Record(&Outcome{Class: OK, Start: aggT0.Add(time.Hour)})).To(BeEmpty(), "raised once")
			g.Expect(a.Close(aggT0.Add(2 * time.Hour))).To(BeEmpty())
		})
	}
}

func TestAlarmWindowCountsEveryFailureAndReopens(t *testing.T) {
	g := NewWithT(t)
	a := newTestAlarms()
	// 400 failures, one a second: the first window holds the first 300.
	raised := recordFailures(a, 400, ConnectTimeout, "text", aggT0)
	g.Expect(raised).To(HaveLen(1))
	g.Expect(raised[0].Count).To(Equal(300))
	g.Expect(raised[0].Sample).To(Equal("[IP=127.0.0.1][Msg=text]"))
	g.Expect(raised[0].Content).To(Equal("A timeout occurred when the WeChat server connected to the public account developer server. The timeout period is 3 seconds"))
	// The second window opened at the 301st failure and holds 100.
	closed := a.Close(aggT0.Add(400 * time.Second))
	g.Expect(closed).To(HaveLen(1))
	g.Expect(closed[0].Time).To(Equal(aggT0.Add(300 * time.Second)))
	g.Expect(closed[0].Count).To(Equal(100))
	g.Expect(closed[0].Partial).To(BeTrue())
}

func TestAlarmCloseMarksPartialOnlyWhenCutShort(t *testing.T) {
	g := NewWithT(t)
	a := newTestAlarms()
	recordFailures(a, 30, ResponseFailure, "click", aggT0)
	g.Expect(a.Close(aggT0.Add(5 * time.Minute))[0].Partial).To(BeFalse(), "window ran its full length")

	a = newTestAlarms()
	recordFailures(a, 30, ResponseFailure, "click", aggT0)
	out := a.Close(aggT0.Add(time.Minute))
	g.Expect(out).To(HaveLen(1))
	g.Expect(out[0].Partial).To(BeTrue())
	g.Expect(out[0].Count).To(Equal(30))

	a = newTestAlarms()
	recordFailures(a, 29, ResponseFailure, "click", aggT0)
	g.Expect(a.Close(aggT0.Add(time.Minute))).To(BeEmpty(), "under the threshold")
}

func TestAlarmTypesHaveSeparateWindows(t *testing.T) {
	g := NewWithT(t)
	a := newTestAlarms()
	recordFailures(a, 30, RequestTimeout, "text", aggT0)
	recordFailures(a, 29, ResponseFailure, "text", aggT0)
	recordFailures(a, 15, ConnectTimeout, "text", aggT0)
	recordFailures(a, 15, ConnectFailure, "text", aggT0) // connect failures share connect_timeout
	recordFailures(a, 40, DNSFailure, "text", aggT0)
	g.Expect(a.Open()).To(Equal(3))
	out := a.Close(aggT0.Add(time.Hour))
	types := map[AlarmType]int{}
	for _, al := range out {
		types[al.Type] = al.Count
	}
	g.Expect(types).To(Equal(map[AlarmType]int{AlarmRequestTimeout: 30, AlarmConnectTimeout: 30, AlarmDNSFailure: 40}))
}

func TestAlarmCustomRule(t *testing.T) {
	g := NewWithT(t)
	a := NewAlarms(AlarmRule{Window: 30 * time.Second, Threshold: 3}, Limits{ResponseTimeout: time.Second}, "wx1", "")
	raised := recordFailures(a, 31, RequestTimeout, "text", aggT0)
	g.Expect(raised).To(HaveLen(1))
	g.Expect(raised[0].Window).To(Equal("30s"))
	g.Expect(raised[0].Count).To(Equal(30))
	g.Expect(raised[0].Content).To(HaveSuffix("within 1 second"))
}

func TestAlarmMapping(t *testing.T) {
	for _, tc := range []struct {
		class  Class
		kind   string
		want   AlarmType
		sample string
	}{
		{DNSFailure, "text", AlarmDNSFailure, "[IP=127.0.0.1][Msg=text]"},
		{ConnectTimeout, "image", AlarmConnectTimeout, "[IP=127.0.0.1][Msg=image]"},
		{ConnectFailure, "shortvideo", AlarmConnectTimeout, "[IP=127.0.0.1][Msg=shortvideo]"},
		{RequestTimeout, "click", AlarmRequestTimeout, "[IP=127.0.0.1][Event=click]"},
		{ResponseFailure, "unsubscribe", AlarmResponseFailure,
			"[IP=127.0.0.1][Event=unsubscribe][response_length=10][response_content=Error 500:]"},
		{RequestTimeout, "component_verify_ticket", AlarmTicketTimeout, "[IP=127.0.0.1][InfoType=component_verify_ticket]"},
		{ConnectTimeout, "component_verify_ticket", AlarmTicketTimeout, "[IP=127.0.0.1][InfoType=component_verify_ticket]"},
		{ConnectFailure, "component_verify_ticket", AlarmTicketTimeout, "[IP=127.0.0.1][InfoType=component_verify_ticket]"},
		{ResponseFailure, "component_verify_ticket", AlarmTicketFailure,
			"[IP=127.0.0.1][InfoType=component_verify_ticket][response_length=10][response_content=Error 500:]"},
		{RequestTimeout, "authorized", AlarmComponentTimeout, "[IP=127.0.0.1][InfoType=authorized]"},
		{ConnectFailure, "unauthorized", AlarmComponentTimeout, "[IP=127.0.0.1][InfoType=unauthorized]"},
		{ResponseFailure, "updateauthorized", AlarmComponentFailure,
			"[IP=127.0.0.1][InfoType=updateauthorized][response_length=10][response_content=Error 500:]"},
		{DNSFailure, "authorized", AlarmDNSFailure, "[IP=127.0.0.1][InfoType=authorized]"},
	} {
		t.Run(tc.class.String()+"/"+tc.kind, func(t *testing.T) {
			g := NewWithT(t)
			a := NewAlarms(AlarmRule{Threshold: 1}, Limits{}, "wx1", "")
			a.Record(failedOutcome(tc.class, tc.kind, aggT0))
			out := a.Close(aggT0.Add(time.Hour))
			g.Expect(out).To(HaveLen(1))
			g.Expect(out[0].Type).To(Equal(tc.want))
			g.Expect(out[0].Sample).To(Equal(tc.sample))
			g.Expect(out[0].Content).NotTo(BeEmpty())
			g.Expect(out[0].Advice).NotTo(BeEmpty())
		})
	}
}

func TestAlarmSampleOfAnError500Page(t *testing.T) {
	g := NewWithT(t)
	o := &Outcome{Class: ResponseFailure, Kind: "unsubscribe", RemoteIP: "127.0.0.1", Body: []byte("Error 500:")}
	g.Expect(alarmSample(o)).To(Equal("[IP=127.0.0.1][Event=unsubscribe][response_length=10][response_content=Error 500:]"))
}

func TestAlarmSampleContentIsOneBoundedLine(t *testing.T) {
	g := NewWithT(t)
	body := []byte("<html>\r\n<title>500</title>\t" + strings.Repeat("错", 30)) // 3-byte runes cross byte 64
	o := &Outcome{Class: ResponseFailure, Kind: "text", Body: body}
	s := alarmSample(o)
	g.Expect(s).To(HavePrefix("[Msg=text][response_length=117][response_content=<html>  <title>500</title> 错"))
	content := s[strings.Index(s, "response_content=")+len("response_content=") : len(s)-1]
	g.Expect(len(content)).To(BeNumerically("<=", alarmSampleMax))
	g.Expect(len(content)).To(BeNumerically(">", alarmSampleMax-3))
	g.Expect(strings.ToValidUTF8(content, "?")).To(Equal(content))
	g.Expect(content).NotTo(ContainSubstring("\n"))
}

func TestAlarmMarkFailAlarm(t *testing.T) {
	g := NewWithT(t)
	a := newTestAlarms()
	recordFailures(a, 20, ResponseFailure, "unsubscribe", aggT0)
	recordFailures(a, 100, RequestTimeout, "click", aggT0)
	blk := Block{Start: aggT0.Add(time.Minute), End: aggT0.Add(2 * time.Minute), Failures: 120, Deliveries: 200, Window: "60s"}
	al := a.MarkFail(blk)
	g.Expect(al.Type).To(Equal(AlarmMarkFail))
	g.Expect(al.Time).To(Equal(blk.Start))
	g.Expect(al.Count).To(Equal(120))
	g.Expect(al.Window).To(Equal("60s"))
	g.Expect(al.Limit).To(Equal("60s"))
	g.Expect(al.Sample).To(Equal("[IP=127.0.0.1][Event=click][failures=120][deliveries=200]"))
	g.Expect(al.Content).To(HaveSuffix("the block is lifted after 60 seconds"))
	g.Expect(al.Account).To(Equal("wx0123456789abcdef"))
}
