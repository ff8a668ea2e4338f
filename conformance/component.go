package conformance

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// componentCases: the third-party platform pushes (wechat-protocol.md §7),
// opt-in with --component. "Developer must reply exactly the string success."
func componentCases() {
	Describe("component", func() {
		entries := []any{componentCase}
		for _, k := range componentKinds() {
			entries = append(entries, CaseEntry("component/1/"+k.Name, Must,
				kindSentence("%s push is answered with exactly success within the response timeout (WeChat: 5 s).", k.Name), k))
		}
		DescribeTable("third-party platform pushes", entries...)
	})
}

const fixComponent = "Answer every third-party platform push with the plain string success — not encrypted, not XML, nothing else — within 5 s; " +
	"store the ticket or the authorization change and process it asynchronously."

func componentCase(sc SpecContext, k *wechat.Kind) {
	s, ctx, done := begin(sc)
	defer done()
	if !s.cfg.Component {
		Skip("opt-in: run with --component to check the third-party platform pushes")
	}
	p := s.push(k)
	x := s.strict.Push(ctx, s.cfg.URL, s.codec, p)
	attachExchange(x, p, s.codec)
	if x.Outcome.Class != simulator.OK {
		failCase(finding{
			expected: fmt.Sprintf("HTTP 200 with exactly success within %s", s.cfg.Transport.ResponseTimeout),
			seen:     seenExchange(x),
			fix:      fixComponent,
		})
	}
}
