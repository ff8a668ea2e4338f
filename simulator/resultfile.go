package simulator

import (
	"net/http"
	"strconv"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// The result stream (--output) is vegeta's own encoding, one Result per
// delivery attempt, so `vegeta report` and `vegeta plot` read it as is. The
// outcome rides in the Result's headers, from which OutcomeOf recovers it.
const (
	hdrOutcome = "X-Wxsim-Outcome"
	hdrReason  = "X-Wxsim-Reason"
	hdrKind    = "X-Wxsim-Kind"
	hdrAttempt = "X-Wxsim-Attempt"
	hdrFinal   = "X-Wxsim-Final"
	hdrLate    = "X-Wxsim-Late"
	hdrAccount = "X-Wxsim-Account"
	hdrRemote  = "X-Wxsim-Remote"
	hdrSent    = "X-Wxsim-Sent" // ns after the due time, when sent late
)

// ResultOf renders one attempt as a vegeta Result of the named attack. The
// Result's Error is the outcome ("response_failure: not_xml: …") for every
// attempt that failed, so vegeta's own reports count them as errors; URLs
// never carry the query (signature, nonce), so error sets stay small.
func ResultOf(o *Outcome, attack, url string, seq uint64) vegeta.Result {
	r := vegeta.Result{
		Attack:    attack,
		Seq:       seq,
		Code:      uint16(o.Code),
		Timestamp: o.Start,
		Latency:   o.Latency,
		Method:    http.MethodPost,
		URL:       url,
		Body:      o.Body,
		BytesIn:   uint64(max(o.BodyLen, len(o.Body))),
		Headers: http.Header{
			hdrOutcome: {o.Class.String()},
			hdrKind:    {o.Kind},
			hdrAttempt: {strconv.Itoa(o.Attempt)},
		},
	}
	if o.Class != OK {
		r.Error = o.Class.String()
		if o.Reason != "" {
			r.Error += ": " + string(o.Reason)
			r.Headers[hdrReason] = []string{string(o.Reason)}
		}
		if o.Detail != "" {
			r.Error += ": " + o.Detail
		}
	}
	if o.Final {
		r.Headers[hdrFinal] = []string{"1"}
	}
	if o.Late {
		r.Headers[hdrLate] = []string{"1"}
	}
	if o.Sent.After(o.Start) {
		r.Headers[hdrSent] = []string{strconv.FormatInt(int64(o.Sent.Sub(o.Start)), 10)}
	}
	if o.Account != "" {
		r.Headers[hdrAccount] = []string{o.Account}
	}
	if o.RemoteIP != "" {
		r.Headers[hdrRemote] = []string{o.RemoteIP}
	}
	return r
}

// OutcomeOf recovers the outcome of a Result written by ResultOf; ok is
// false for a Result wxsim did not write (a plain vegeta result file), whose
// outcome is then guessed from its status code alone.
func OutcomeOf(r *vegeta.Result) (o Outcome, ok bool) {
	o = Outcome{Start: r.Timestamp, Latency: r.Latency, Code: int(r.Code), Body: r.Body, Attempt: 1, Final: true}
	h := http.Header(r.Headers)
	cls, ok := ParseClass(h.Get(hdrOutcome))
	if !ok {
		o.Kind = "unknown"
		switch {
		case r.Code == 200 && r.Error == "":
			o.Class = OK
		case r.Code == 0:
			o.Class, o.Detail = ConnectFailure, r.Error
		default:
			o.Class, o.Reason = ResponseFailure, wechat.ReasonHTTPStatus
		}
		return o, false
	}
	o.Class = cls
	o.Reason = wechat.Reason(h.Get(hdrReason))
	o.Kind = h.Get(hdrKind)
	o.Attempt, _ = strconv.Atoi(h.Get(hdrAttempt))
	o.Final = h.Get(hdrFinal) == "1"
	o.Late = h.Get(hdrLate) == "1"
	o.BodyLen = int(r.BytesIn)
	if ns, err := strconv.ParseInt(h.Get(hdrSent), 10, 64); err == nil && ns > 0 {
		o.Sent = o.Start.Add(time.Duration(ns))
	}
	o.Account = h.Get(hdrAccount)
	o.RemoteIP = h.Get(hdrRemote)
	if r.Error != "" {
		o.Detail = r.Error
	}
	return o, true
}
