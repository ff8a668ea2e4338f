package conformance

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// replyCases: what each push kind is answered with (wechat-protocol.md §4).
// All four tables judge one patient delivery per kind; whether it came in
// time is timing/1's business, whether it was encrypted right crypto's.
func replyCases() {
	Describe("reply", func() {
		// "Treat reply success, empty body, or valid (optionally encrypted) XML as acceptance; anything else as 回应失败."
		DescribeTable("a valid response",
			kindTable(replyValid, "reply/1", Must, "%s push is answered with HTTP 200 and success, an empty body or an XML passive reply.")...)
		// "ToUserName = the received FromUserName (user OpenID), FromUserName = the received ToUserName (gh_ id)."
		DescribeTable("the swap",
			kindTable(replySwap, "reply/2", Must, "A passive reply to %s push is addressed back: its ToUserName is the push's FromUserName and its FromUserName the push's ToUserName.")...)
		DescribeTable("required elements",
			kindTable(replyElements, "reply/3", Must, "A passive reply to %s push has every element its MsgType requires: ToUserName, FromUserName, CreateTime, MsgType and the type's own (Content, MediaId, …).")...)
		DescribeTable("CreateTime in seconds",
			kindTable(replyCreateTime, "reply/4", Should, "A passive reply to %s push gives CreateTime in seconds since the epoch, not milliseconds.")...)
	})
}

// kindTable is a DescribeTable's body and one case per kind of the basic
// set, with the ID id/kind.
func kindTable(body any, id string, level Level, format string) []any {
	GinkgoHelper()
	entries := []any{body}
	for _, k := range basicKinds() {
		entries = append(entries, CaseEntry(id+"/"+k.Name, level, kindSentence(format, k.Name), k))
	}
	return entries
}

// kindSentence fills a kind into a requirement: "a text", "an image",
// capitalised when the sentence starts with it.
func kindSentence(format, kind string) string {
	a := "a " + kind
	if strings.ContainsRune("aeiou", rune(kind[0])) {
		a = "an " + kind
	}
	if strings.HasPrefix(format, "%s") {
		a = strings.ToUpper(a[:1]) + a[1:]
	}
	return fmt.Sprintf(format, a)
}

const (
	fixNoReply = "Answer every push within 5 s: store the message, answer success at once, process it asynchronously " +
		"and reply through the customer-service message API. Check that the URL points at this server and that it handles this message type."
	fixStatus = "Answer HTTP 200 with success, an empty body or a passive reply in the documented format; " +
		"check that the request did not fall into an error path (an HTTP 500 page counts as a response failure)."
	fixSwap     = "Address the reply back: ToUserName = the push's FromUserName (the follower's openid), FromUserName = the push's ToUserName (your gh_ id)."
	fixElements = "Reply in the documented format: ToUserName, FromUserName, CreateTime and MsgType, plus the type's own elements " +
		"(text: a non-empty Content; image, voice, video: MediaId; music: ThumbMediaId; news: ArticleCount matching Articles/item). " +
		"To acknowledge without a message, answer success or an empty body instead."
	fixCreateTime = "Give CreateTime as Unix seconds (10 digits), e.g. time.Now().Unix(), not milliseconds."
)

func replyValid(sc SpecContext, k *wechat.Kind) {
	s, d, done := replyCase(sc, k)
	defer done()
	expected := fmt.Sprintf("HTTP 200 with success, an empty body or an XML passive reply (waited %s)", s.cfg.patience())
	switch r := d.content.Reason; {
	case !d.answered():
		failCase(finding{expected: expected, seen: seenExchange(d.x), fix: fixFor(d.x.Outcome)})
	case r == wechat.ReasonHTTPStatus || r == wechat.ReasonNotXML:
		failCase(finding{expected: expected, seen: fmt.Sprintf("%s: %s, body %s", r, d.content.Detail, quote(d.x.Reply)), fix: fixStatus})
	}
}

func replySwap(sc SpecContext, k *wechat.Kind) {
	_, d, done := replyCase(sc, k)
	defer done()
	r := passiveReply(d, k)
	if r == nil {
		return
	}
	to, from := strings.TrimSpace(r.ToUserName), strings.TrimSpace(r.FromUserName)
	if to == "" || from == "" {
		Skip(fmt.Sprintf("the reply lacks ToUserName or FromUserName: see reply/3/%s", k.Name))
	}
	if to != d.push.FromUserName || from != d.push.ToUserName {
		failCase(finding{
			expected: fmt.Sprintf("ToUserName %q and FromUserName %q", d.push.FromUserName, d.push.ToUserName),
			seen:     fmt.Sprintf("ToUserName %q and FromUserName %q", to, from),
			fix:      fixSwap,
		})
	}
}

func replyElements(sc SpecContext, k *wechat.Kind) {
	_, d, done := replyCase(sc, k)
	defer done()
	if !judgeable(d, k) {
		return
	}
	if d.content.Reason == wechat.ReasonBadReply {
		failCase(finding{
			expected: "a passive reply with every element its MsgType requires",
			seen:     d.content.Detail + ": " + quote(d.content.Reply),
			fix:      fixElements,
		})
	}
}

func replyCreateTime(sc SpecContext, k *wechat.Kind) {
	_, d, done := replyCase(sc, k)
	defer done()
	r := passiveReply(d, k)
	if r == nil {
		return
	}
	ct := strings.TrimSpace(r.CreateTime)
	if ct == "" {
		Skip(fmt.Sprintf("the reply has no CreateTime: see reply/3/%s", k.Name))
	}
	if n, err := strconv.ParseInt(ct, 10, 64); err != nil || n >= 1e11 || n < 0 {
		failCase(finding{
			expected: fmt.Sprintf("CreateTime in Unix seconds, like the push's %d", d.push.CreateTime),
			seen:     fmt.Sprintf("CreateTime %q", ct),
			fix:      fixCreateTime,
		})
	}
}

// judgeable reports whether a delivery's reply is a passive reply for the
// reply/2..4 cases to judge. When it was success or empty it notes so and
// reports false: nothing to judge, and the case holds. When there is no
// readable reply it skips the case: reply/1 or crypto says why.
func judgeable(d *delivery, k *wechat.Kind) bool {
	c := d.content
	switch {
	case !d.answered() || c.Reason == wechat.ReasonHTTPStatus || c.Reason == wechat.ReasonNotXML:
		Skip(fmt.Sprintf("no valid response to judge: see reply/1/%s", k.Name))
	case isCryptoReason(c.Reason):
		Skip(fmt.Sprintf("the encrypted reply could not be opened (%s): see crypto", c.Reason))
	case c.Reason == wechat.ReasonNone && (c.ReplyType == wechat.ReplySuccess || c.ReplyType == wechat.ReplyEmpty):
		note("the reply was %s: no passive reply to judge, which is valid", replyWords(c.ReplyType))
		return false
	}
	return true
}

// passiveReply returns the plaintext passive reply of a delivery, or nil
// when judgeable says there is nothing to judge.
func passiveReply(d *delivery, k *wechat.Kind) *wechat.Reply {
	if !judgeable(d, k) {
		return nil
	}
	r, err := wechat.ParseReply(d.content.Reply)
	if err != nil {
		Skip(fmt.Sprintf("the reply could not be read as XML: see reply/3/%s", k.Name))
	}
	return r
}

// isCryptoReason reports the reasons the crypto cases own.
func isCryptoReason(r wechat.Reason) bool {
	switch r {
	case wechat.ReasonBadMsgSignature, wechat.ReasonDecryptFailed, wechat.ReasonWrongAppID, wechat.ReasonUnencrypted:
		return true
	}
	return false
}

// fixFor picks the troubleshooting guide's advice for an outcome.
func fixFor(o simulator.Outcome) string {
	switch o.Class {
	case simulator.DNSFailure:
		return "Check that the URL's domain is spelled right, has not expired, and resolves (dig DOMAIN, and against a public resolver); fix the records at your DNS host."
	case simulator.ConnectTimeout, simulator.ConnectFailure:
		return "Check that the URL points at the right IP and port and that the server accepts connections: not overloaded or out of connections " +
			"or file descriptors; check the access layer's limits (nginx worker_connections, worker_rlimit_nofile) and its error log."
	case simulator.ResponseFailure:
		return fixStatus
	}
	return fixNoReply
}

// replyCase begins a reply case: the kind's one delivery, with its exchange
// attached as evidence. The caller defers done.
func replyCase(sc SpecContext, k *wechat.Kind) (*session, *delivery, context.CancelFunc) {
	s, ctx, done := begin(sc)
	d := s.delivered(ctx, k)
	attachExchange(d.x, d.push, s.codec)
	return s, d, done
}
