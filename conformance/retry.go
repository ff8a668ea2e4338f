package conformance

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified

	"github.com/wxsim/wxsim/simulator"
)

// retryCases: "微信服务器在五秒内收不到响应会断掉连接，并且重新发起请求，总共重试三次"
// (wechat-protocol.md §5). A re-delivery has the same body, MsgId and
// CreateTime, with a fresh timestamp, nonce and signature.
func retryCases() {
	Describe("retry", func() {
		Case("retry/1", Must, "A re-delivered text push (same body and MsgId, fresh timestamp, nonce and signature) is answered validly within the response timeout.",
			func(sc SpecContext) {
				s, ctx, done := begin(sc)
				defer done()
				first := sign(s.codec, s.push(textKind()), time.Now())
				x1 := s.send(ctx, s.strict, first.query(s.codec), first)
				again := first
				again.timestamp, again.nonce = fmt.Sprint(time.Now().Unix()), newNonce()
				x := s.send(ctx, s.strict, again.query(s.codec), again)
				AddReportEntry("first delivery", renderReply(x1), evidenceVisibility)
				attachExchange(x, again.push, s.codec)
				if x.Outcome.Class != simulator.OK {
					failCase(finding{
						expected: fmt.Sprintf("a valid answer to the re-delivery within %s (success is enough: de-duplicate by MsgId)", s.cfg.Transport.ResponseTimeout),
						seen:     seenExchange(x),
						fix:      fixRetry,
					})
				}
			})
	})
}

const fixRetry = "De-duplicate by MsgId (messages) or FromUserName + CreateTime (events) and answer a re-delivery at once, " +
	"with success or the same reply; never let a re-delivery wait behind the first delivery's processing."
