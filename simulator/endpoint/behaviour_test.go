package endpoint

import (
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

func TestParseBehaviour(t *testing.T) {
	cases := []struct {
		in   string
		want Behaviour
		str  string
	}{
		{"", Behaviour{}, "correct"},
		{"correct", Behaviour{}, "correct"},
		{"slow=6s", Behaviour{Name: Slow, Delay: 6 * time.Second}, "slow=6s"},
		{"slow=200ms", Behaviour{Name: Slow, Delay: 200 * time.Millisecond}, "slow=200ms"},
		{"error500", Behaviour{Name: Error500}, "error500"},
		{"badxml", Behaviour{Name: BadXML}, "badxml"},
		{"wrongswap", Behaviour{Name: WrongSwap}, "wrongswap"},
		{"json", Behaviour{Name: JSON}, "json"},
		{"unsigned", Behaviour{Name: Unsigned}, "unsigned"},
		{"plainreply", Behaviour{Name: PlainReply}, "plainreply"},
		{"flaky=0.1", Behaviour{Name: Flaky, P: 0.1}, "flaky=0.1"},
		{"flaky=1", Behaviour{Name: Flaky, P: 1}, "flaky=1"},
		{"hang", Behaviour{Name: Hang}, "hang"},
		{"reset", Behaviour{Name: Reset}, "reset"},
		{"blackhole", Behaviour{Name: Blackhole}, "blackhole"},
		{"capacity=200", Behaviour{Name: Capacity, Capacity: 200}, "capacity=200"},
		{"async", Behaviour{Name: Async}, "async"},
		{"tokenperpush", Behaviour{Name: TokenPerPush}, "tokenperpush"},
		{"norefresh", Behaviour{Name: NoRefresh}, "norefresh"},
		{"dropasync", Behaviour{Name: DropAsync}, "dropasync"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			g := NewWithT(t)
			b, err := ParseBehaviour(c.in)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(b).To(Equal(c.want))
			g.Expect(b.String()).To(Equal(c.str))
			again, err := ParseBehaviour(b.String())
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(again).To(Equal(b))
		})
	}
}

func TestParseBehaviourErrors(t *testing.T) {
	for _, in := range []string{
		"nope", "slow", "slow=", "slow=fast", "slow=-1s", "slow=0s", "flaky", "flaky=2", "flaky=-0.1",
		"flaky=NaN", "capacity", "capacity=0", "capacity=1.5", "hang=1", "error500=1", "correct=1",
		"async=1", "tokenperpush=2", "norefresh=", "dropasync=x", "asynch",
	} {
		t.Run(in, func(t *testing.T) {
			g := NewWithT(t)
			_, err := ParseBehaviour(in)
			g.Expect(err).To(HaveOccurred())
			g.Expect(err.Error()).To(ContainSubstring(`"` + in + `"`))
			g.Expect(err.Error()).To(ContainSubstring(strings.Join(Behaviours(), ", ")))
		})
	}
}

func TestNewRejectsBadBehaviour(t *testing.T) {
	_, err := New(Config{Account: account(0), Behaviour: Behaviour{Name: Capacity}})
	NewWithT(t).Expect(err).To(MatchError(ContainSubstring("capacity")))
}

func TestUsesAPI(t *testing.T) {
	g := NewWithT(t)
	for _, name := range []string{Async, TokenPerPush, NoRefresh, DropAsync} {
		g.Expect(Behaviour{Name: name}.UsesAPI()).To(BeTrue(), name)
	}
	for _, name := range []string{Correct, Slow, Error500, Unsigned, PlainReply, Hang, Capacity} {
		g.Expect(Behaviour{Name: name}.UsesAPI()).To(BeFalse(), name)
	}
	g.Expect(Behaviour{}.UsesAPI()).To(BeFalse())
}
