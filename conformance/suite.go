package conformance

import (
	"context"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified
)

// The suite is one Ordered container, so Ginkgo runs the cases in the
// catalogue's order (it would otherwise sort by file and shuffle):
// cheap single pushes first, then the light and load runs, whose traffic
// — and any MarkFail it provokes in a real deployment — cannot disturb the
// single-push cases. ContinueOnFailure: a failed case must not hide the
// verdict of the cases after it.
var _ = Describe("WeChat callback", Ordered, ContinueOnFailure, func() {
	handshakeCases()
	signatureCases()
	replyCases()
	cryptoCases()
	componentCases()
	apiCases()
	retryCases()
	timingCases()
	loadCases()
})

// begin is how every case body starts: the running session and a context
// that ends with the spec or the run. Outside Run there is no session,
// which is a wiring mistake, not an endpoint failure.
func begin(sc SpecContext) (*session, context.Context, context.CancelFunc) {
	s := active
	if s == nil {
		Fail("conformance: no session; the suite must be started through conformance.Run")
	}
	if err := s.ctx.Err(); err != nil {
		AbortSuite("interrupted: " + err.Error())
	}
	ctx, cancel := s.specContext(sc)
	return s, ctx, cancel
}
