package pacing

import (
	"errors"
	"math"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

func TestStagedValidation(t *testing.T) {
	hold := Stage{Kind: StageHold, Duration: time.Second, Target: 10}
	half := time.Duration(math.MaxInt64/2 + 1)
	cases := []struct {
		name   string
		stages []Stage
		err    string
		field  string
		index  int
	}{
		{"no stages", nil, "no stages", "", 0},
		{"zero duration", []Stage{{Kind: StageHold, Target: 1}}, "stages[0].duration: must be > 0, got 0s", "duration", 0},
		{"negative duration", []Stage{hold, {Duration: -time.Second}}, "stages[1].duration: must be > 0, got -1s", "duration", 1},
		{"negative target", []Stage{hold, {Kind: StageHold, Duration: time.Second, Target: -1}}, "stages[1].target: must be a finite rate >= 0, got -1", "target", 1},
		{"NaN target", []Stage{{Duration: time.Second, Target: math.NaN()}}, "stages[0].target: must be a finite rate >= 0, got NaN", "target", 0},
		{"infinite target", []Stage{{Kind: StageStep, Duration: time.Second, Target: math.Inf(1)}}, "stages[0].target: must be a finite rate >= 0, got +Inf", "target", 0},
		{"negative from", []Stage{{Duration: time.Second, From: -5, Target: 1}}, "stages[0].from: must be a finite rate >= 0, got -5", "from", 0},
		{"from on a hold", []Stage{{Kind: StageHold, Duration: time.Second, From: 5, Target: 1}}, "stages[0].from: a hold stage has no from (only a ramp does)", "from", 0},
		{"amp on a step", []Stage{hold, hold, {Kind: StageStep, Duration: time.Second, Target: 1, Amp: 1}}, "stages[2].amp: a step stage has no amp (only a sine does)", "amp", 2},
		{"period on a ramp", []Stage{{Duration: time.Second, Target: 1, Period: time.Second}}, "stages[0].period: a ramp stage has no period (only a sine does)", "period", 0},
		{"sine amp = mean", []Stage{hold, hold, {Kind: StageSine, Duration: time.Second, Target: 50, Amp: 50, Period: time.Second}}, "stages[2].amp: must be < target (50), got 50", "amp", 2},
		{"sine negative amp", []Stage{{Kind: StageSine, Duration: time.Second, Target: 50, Amp: -1, Period: time.Second}}, "stages[0].amp: must be a finite rate >= 0, got -1", "amp", 0},
		{"sine mean 0", []Stage{{Kind: StageSine, Duration: time.Second, Period: time.Second}}, "stages[0].target: must be > 0 for a sine (it is the mean rate), got 0", "target", 0},
		{"sine no period", []Stage{{Kind: StageSine, Duration: time.Second, Target: 5, Amp: 1}}, "stages[0].period: must be > 0, got 0s", "period", 0},
		{"unknown kind", []Stage{{Kind: 9, Duration: time.Second}}, "stages[0].kind: unknown kind 9", "kind", 0},
		{"total overflows", []Stage{{Kind: StageHold, Duration: half}, {Kind: StageHold, Duration: half}}, "stages[1].duration: the stages add up to more than 2562047h47m16.854775807s", "duration", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := NewWithT(t)
			p, err := Staged(c.stages...)
			g.Expect(p).To(BeNil())
			g.Expect(err).To(MatchError(c.err))
			if c.field == "" {
				g.Expect(err).To(MatchError(ErrNoStages))
				return
			}
			var se *StageError
			g.Expect(errors.As(err, &se)).To(BeTrue())
			g.Expect(se.Index).To(Equal(c.index))
			g.Expect(se.Field).To(Equal(c.field))
		})
	}
}

func TestStageKindText(t *testing.T) {
	g := NewWithT(t)
	for _, k := range []StageKind{StageRamp, StageHold, StageSine, StageStep} {
		text, err := k.MarshalText()
		g.Expect(err).NotTo(HaveOccurred())
		var back StageKind
		g.Expect(back.UnmarshalText(text)).To(Succeed())
		g.Expect(back).To(Equal(k))
	}
	g.Expect(StageKind(0).String()).To(Equal("ramp"))
	g.Expect(StageKind(7).String()).To(Equal("StageKind(7)"))
	_, err := StageKind(7).MarshalText()
	g.Expect(err).To(MatchError("unknown stage kind 7"))
	_, err = ParseStageKind("spike")
	g.Expect(err).To(MatchError(`unknown stage kind "spike" (want ramp, hold, sine or step)`))
}
