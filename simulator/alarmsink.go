package simulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
	"unicode/utf8"
)

// AlarmSink receives every alarm a run raises. Sends are serialised by the
// aggregator, but the sinks below are also safe for concurrent use.
type AlarmSink interface {
	Send(Alarm) error
}

// NewConsoleSink writes each alarm rendered in lang ("en" or "zh"),
// followed by a blank line, to w.
func NewConsoleSink(w io.Writer, lang string) AlarmSink {
	return &consoleSink{w: w, lang: lang}
}

type consoleSink struct {
	mu   sync.Mutex
	w    io.Writer
	lang string
}

func (s *consoleSink) Send(al Alarm) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := io.WriteString(s.w, RenderAlarm(al, s.lang)+"\n"); err != nil {
		return fmt.Errorf("console alarm sink: %w", err)
	}
	return nil
}

// NewJSONLinesSink writes each alarm to w as one JSON object (the Alarm
// struct) per line, the format of --alarms FILE.
func NewJSONLinesSink(w io.Writer) AlarmSink {
	return &jsonLinesSink{enc: json.NewEncoder(w)}
}

type jsonLinesSink struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func (s *jsonLinesSink) Send(al Alarm) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.enc.Encode(al); err != nil {
		return fmt.Errorf("json alarm sink: %w", err)
	}
	return nil
}

// WebhookTimeout bounds one webhook POST, whatever the client's own timeout,
// so a dead webhook cannot hold alarms up for long.
const WebhookTimeout = 5 * time.Second

// webhookContentMax is the WeCom group robot's limit on a text message, in
// bytes; longer alarms (long advice in Chinese) are cut rather than refused.
const webhookContentMax = 2048

// webhookReplyMax bounds how much of the webhook's reply is read.
const webhookReplyMax = 64 << 10

// NewWebhookSink posts each alarm, rendered in lang, to url in the WeCom
// group-robot text format {"msgtype":"text","text":{"content":"…"}}. A nil
// client means http.DefaultClient. A non-2xx status, or a 2xx reply whose
// JSON carries a non-zero "errcode" (how the robot reports a bad key or
// body), is an error. Errors name the webhook's host only: robot URLs carry
// their key in the query.
func NewWebhookSink(url string, client *http.Client, lang string) AlarmSink {
	if client == nil {
		client = http.DefaultClient
	}
	return &webhookSink{url: url, client: client, lang: lang}
}

type webhookSink struct {
	url    string
	client *http.Client
	lang   string
}

// webhookBody is the WeCom group robot's text message.
type webhookBody struct {
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
}

func (s *webhookSink) Send(al Alarm) error {
	var body webhookBody
	body.MsgType = "text"
	body.Text.Content = truncateUTF8(RenderAlarm(al, s.lang), webhookContentMax)
	buf, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("alarm webhook %s: %w", s.host(), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), WebhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(buf))
	if err != nil {
		return fmt.Errorf("alarm webhook %s: bad url", s.host())
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("alarm webhook %s: %w", s.host(), unwrapURLError(err))
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, webhookReplyMax))
	if err != nil {
		return fmt.Errorf("alarm webhook %s: reading reply: %w", s.host(), unwrapURLError(err))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("alarm webhook %s: status %s", s.host(), resp.Status)
	}
	var r struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if json.Unmarshal(reply, &r) == nil && r.ErrCode != 0 {
		return fmt.Errorf("alarm webhook %s: errcode %d: %.200s", s.host(), r.ErrCode, r.ErrMsg)
	}
	return nil
}

// host returns the webhook's host, the only part of its URL errors show.
func (s *webhookSink) host() string {
	u, err := url.Parse(s.url)
	if err != nil || u.Host == "" {
		return "(invalid url)"
	}
	return u.Host
}

// unwrapURLError drops the *url.Error layer, whose message repeats the whole
// URL, key included.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// alarmDispatcher hands alarms to the sinks from its own goroutine, in
// order, so that a slow sink (a webhook up to WebhookTimeout) never stalls
// the aggregator, whose stall would stall the workers feeding it. The
// goroutine starts with the first alarm; after close, sends are direct.
type alarmDispatcher struct {
	sinks  []AlarmSink
	ch     chan Alarm
	done   chan struct{}
	closed bool

	mu   sync.Mutex
	errs []error
}

// alarmQueue is how many alarms may wait for slow sinks before raising
// another waits too; alarms are rare (one per window and type).
const alarmQueue = 64

// send queues al for every sink.
func (d *alarmDispatcher) send(al Alarm) {
	switch {
	case len(d.sinks) == 0:
	case d.closed:
		d.deliver(al)
	default:
		if d.ch == nil {
			d.ch, d.done = make(chan Alarm, alarmQueue), make(chan struct{})
			go d.run()
		}
		d.ch <- al
	}
}

func (d *alarmDispatcher) run() {
	defer close(d.done)
	for al := range d.ch {
		d.deliver(al)
	}
}

// deliver sends al to every sink, collecting errors.
func (d *alarmDispatcher) deliver(al Alarm) {
	for _, s := range d.sinks {
		if err := s.Send(al); err != nil {
			d.mu.Lock()
			d.errs = append(d.errs, err)
			d.mu.Unlock()
		}
	}
}

// stop ends the queue: later sends are direct. The returned wait blocks
// until every queued alarm has been sent. stop runs under the aggregator's
// mutex, wait outside it (sinks may be slow).
func (d *alarmDispatcher) stop() (wait func()) {
	done := d.done
	if !d.closed && d.ch != nil {
		close(d.ch)
	}
	d.closed = true
	return func() {
		if done != nil {
			<-done
		}
	}
}

// errors returns a copy of the errors collected so far.
func (d *alarmDispatcher) errors() []error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]error(nil), d.errs...)
}
