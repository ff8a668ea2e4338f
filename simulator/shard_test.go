package simulator

import (
	"math/rand/v2"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/simulator/pacing"
)

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Shard
		ok   bool
	}{
		{"0/1", Shard{0, 1}, true},
		{"3/4", Shard{3, 4}, true},
		{" 1 / 2 ", Shard{1, 2}, true},
		{"4/4", Shard{}, false},
		{"-1/4", Shard{}, false},
		{"1/0", Shard{}, false},
		{"1", Shard{}, false},
		{"a/b", Shard{}, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			g := NewWithT(t)
			s, err := ParseShard(tc.in)
			if !tc.ok {
				g.Expect(err).To(MatchError(ContainSubstring(tc.in)))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(s).To(Equal(tc.want))
			g.Expect(s.String()).To(Equal(tc.want.String()))
		})
	}
}

// The shards of a staged schedule offer together exactly the whole
// schedule's hits, at the whole schedule's due times, each at 1/n of its rate.
func TestShardsPartitionTheSchedule(t *testing.T) {
	g := NewWithT(t)
	whole, err := pacing.Staged(
		pacing.Stage{Kind: pacing.StageRamp, From: 10, Target: 300, Duration: 2 * time.Second},
		pacing.Stage{Kind: pacing.StageHold, Target: 300, Duration: time.Second},
	)
	g.Expect(err).NotTo(HaveOccurred())
	for _, n := range []int{1, 2, 3, 7} {
		var dues []time.Duration
		var hits uint64
		for i := range n {
			p := Plan{Pacer: whole, Followers: NewFollowers(0, 100, 0)}
			g.Expect(Shard{i, n}.Apply(&p)).To(Succeed())
			g.Expect(p.Pacer.Rate(time.Second)).To(BeNumerically("~", whole.Rate(time.Second)/float64(n), 1e-9))
			g.Expect(p.Pacer.Duration()).To(Equal(whole.Duration()))
			hits += p.Pacer.Hits()
			for k := uint64(0); ; k++ {
				d := p.Pacer.Due(k)
				if d == pacing.Never {
					g.Expect(k).To(Equal(p.Pacer.Hits()), "shard %d/%d", i, n)
					break
				}
				g.Expect(d).To(Equal(whole.Due(k*uint64(n) + uint64(i))))
				dues = append(dues, d)
			}
		}
		g.Expect(hits).To(Equal(whole.Hits()), "n=%d", n)
		g.Expect(dues).To(HaveLen(int(whole.Hits())))
	}
}

// A shard's pacer paces like the schedule: it waits for the shard's next
// due hit and stops when the shard has none left.
func TestShardPacerPaces(t *testing.T) {
	g := NewWithT(t)
	p := Plan{Pacer: pacing.Constant(100, time.Second), Followers: NewFollowers(0, 10, 0)}
	g.Expect(Shard{1, 4}.Apply(&p)).To(Succeed())
	g.Expect(p.Pacer.Hits()).To(Equal(uint64(25)))
	wait, stop := p.Pacer.Pace(0, 0)
	g.Expect(stop).To(BeFalse())
	g.Expect(wait).To(Equal(10 * time.Millisecond)) // the whole run's hit 1
	wait, stop = p.Pacer.Pace(500*time.Millisecond, 1)
	g.Expect(stop).To(BeFalse())
	g.Expect(wait).To(BeZero()) // behind: send now
	_, stop = p.Pacer.Pace(500*time.Millisecond, 25)
	g.Expect(stop).To(BeTrue())
	_, stop = p.Pacer.Pace(time.Second, 3)
	g.Expect(stop).To(BeTrue())
}

// Followers, MsgIds and attack names are the shard's own.
func TestShardApplySplitsFollowersMsgIDsAndName(t *testing.T) {
	g := NewWithT(t)
	const total, n = 1003, 4
	seen := map[uint64]int{}
	for i := range n {
		p := Plan{Name: "wxsim", Pacer: pacing.Constant(10, time.Second), Followers: NewFollowers(5, total, 9), MsgBase: 1000}
		g.Expect(Shard{i, n}.Apply(&p)).To(Succeed())
		g.Expect(p.Name).To(Equal("wxsim-shard-" + string(rune('0'+i)) + "-of-4"))
		g.Expect(p.MsgBase).To(Equal(1000 + uint64(i)*shardMsgStride))
		g.Expect(p.Followers.salt).To(Equal(uint64(9)))
		g.Expect(p.Followers.Len()).To(BeNumerically("~", total/n, 1))
		for j := p.Followers.first; j < p.Followers.first+p.Followers.n; j++ {
			seen[j]++
		}
		r := rand.New(rand.NewPCG(1, 2))
		for range 50 {
			id := p.Followers.Pick(r)
			g.Expect(id).To(HaveLen(28))
		}
	}
	g.Expect(seen).To(HaveLen(total))
	for j := uint64(5); j < 5+total; j++ {
		g.Expect(seen[j]).To(Equal(1), "follower %d", j)
	}
}

func TestShardApplyRefusesMoreShardsThanFollowers(t *testing.T) {
	g := NewWithT(t)
	p := Plan{Pacer: pacing.Constant(10, time.Second), Followers: NewFollowers(0, 3, 0)}
	g.Expect(Shard{0, 4}.Apply(&p)).To(MatchError(ContainSubstring("3 followers")))
}

// A closed loop has no rate to split: each shard keeps it.
func TestShardApplyKeepsAClosedLoop(t *testing.T) {
	g := NewWithT(t)
	p := Plan{Name: "x", Pacer: pacing.Closed(), Followers: NewFollowers(0, 10, 0)}
	g.Expect(Shard{1, 2}.Apply(&p)).To(Succeed())
	g.Expect(p.Pacer).To(Equal(pacing.Closed()))
	g.Expect(p.Name).To(Equal("x-shard-1-of-2"))
}

// Every account of a multi-account plan is split alike.
func TestShardApplySplitsEveryAccount(t *testing.T) {
	g := NewWithT(t)
	p := Plan{Name: "run", Pacer: pacing.Constant(100, time.Second), Followers: NewFollowers(0, 10, 0),
		Accounts: []AccountLoad{
			{Name: "second", Pacer: pacing.Constant(40, time.Second), Followers: NewFollowers(0, 20, 0), MsgBase: 7},
			{Pacer: pacing.Constant(10, time.Second), Followers: NewFollowers(0, 1, 0)},
		}}
	g.Expect(Shard{1, 2}.Apply(&p)).To(MatchError(ContainSubstring("1 followers")))
	p.Accounts[1].Followers = NewFollowers(0, 4, 0)
	g.Expect(Shard{1, 2}.Apply(&p)).To(Succeed())
	g.Expect(p.Name).To(Equal("run-shard-1-of-2"))
	second := p.Accounts[0]
	g.Expect(second.Name).To(Equal("second-shard-1-of-2"))
	g.Expect(second.Pacer.Hits()).To(Equal(uint64(20)))
	g.Expect(second.Followers.first).To(Equal(uint64(10)))
	g.Expect(second.MsgBase).To(Equal(7 + uint64(shardMsgStride)))
	g.Expect(p.Accounts[1].Name).To(BeEmpty()) // named after the run's (shard) name by the plan
	g.Expect(p.Accounts[1].Pacer.Hits()).To(Equal(uint64(5)))
}
