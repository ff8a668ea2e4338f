package scenario

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/scenarios"
	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/endpoint"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// drills are the bundled scenarios meant for a faulty endpoint, with the
// behaviour their header comment starts `wxsim endpoint` with.
var drills = map[string]string{"markfail-drill": "flaky=0.6"}

// TestBundledScenariosRun plays every bundled scenario, compressed to a few
// seconds with the time scale, against the reference endpoint (one per
// account, with that account's keys). Against a correct endpoint every
// delivery must be ok and every threshold on outcomes must hold; latency
// thresholds are logged, as a shared CI machine may stall. The drill must
// trip MarkFail and raise alarms.
func TestBundledScenariosRun(t *testing.T) {
	for _, name := range scenarios.Names() {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			s, err := LoadFS(scenarios.FS, name+".yaml", testOptions)
			g.Expect(err).NotTo(HaveOccurred())
			behaviour, drill := drills[name]
			if !drill {
				behaviour = "correct"
			}
			for i := range s.Accounts {
				s.Accounts[i].URL = serveAccount(t, s.Accounts[i].Account, behaviour)
			}
			length := 2 * time.Second
			if drill {
				length = 3 * time.Second // time for 100 failures to trip MarkFail
			}
			scale := min(1, length.Seconds()/s.Length().Seconds())
			p, err := s.Plan(scale)
			g.Expect(err).NotTo(HaveOccurred())
			hits := p.Pacer.Hits()
			for _, l := range p.Accounts {
				hits += l.Pacer.Hits()
			}

			sum, err := simulator.Run(context.Background(), p)
			g.Expect(err).NotTo(HaveOccurred())
			t.Logf("%s at time scale %.3g: %d pushes of %d, p99 %.1fms, %d late", name, scale, sum.Pushes, hits, sum.LatencyMS.P99, sum.Late)
			g.Expect(sum.Pushes).To(BeNumerically("<=", hits))
			if sum.Late*10 > sum.Pushes {
				// A machine too busy (or the race detector's cost at the
				// scenario's peak rate) makes the generator fall behind and
				// drop what it could not send in time: not the scenario's fault.
				t.Logf("the generator fell behind: %d of %d pushes late", sum.Late, sum.Pushes)
			} else {
				g.Expect(sum.Pushes).To(BeNumerically(">=", hits*9/10), "the generator dropped pushes")
			}
			if drill {
				g.Expect(sum.MarkFail).NotTo(BeEmpty())
				g.Expect(sum.Alarms).NotTo(BeEmpty())
			} else {
				g.Expect(sum.Outcomes["ok"]).To(Equal(sum.Deliveries), "%v %v", sum.Outcomes, sum.Reasons)
			}
			for _, th := range sum.Thresholds {
				if isLatency(th.Expr) && !th.OK {
					t.Logf("latency threshold %s failed: %s", th.Expr, th.Value)
					continue
				}
				g.Expect(th.OK).To(BeTrue(), "%s: %s", th.Expr, th.Value)
			}
		})
	}
}

// isLatency reports whether a threshold bounds latency.
func isLatency(expr string) bool {
	for _, m := range []string{"p50", "p90", "p95", "p99", "max"} {
		if strings.HasPrefix(expr, m+" ") {
			return true
		}
	}
	return false
}

// serveAccount starts the reference endpoint for one account on loopback.
func serveAccount(t *testing.T, a wechat.Account, behaviour string) string {
	t.Helper()
	b, err := endpoint.ParseBehaviour(behaviour)
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	e, err := endpoint.New(endpoint.Config{Account: a, Behaviour: b, Seed: 7})
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	srv := httptest.NewServer(e)
	t.Cleanup(func() {
		e.Close()
		srv.Close()
	})
	return srv.URL + "/wechat"
}
