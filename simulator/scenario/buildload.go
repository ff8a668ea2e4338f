package scenario

import (
	"cmp"
	"errors"
	"strconv"
	"strings"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/pacing"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// load builds the rate over time from rate, every or stages (exactly one).
// prefix is where they are written; entry is the account whose load it is,
// where a missing one is reported.
func (b *builder) load(prefix string, t rawTraffic, entry string) Pace {
	var given []string
	for _, f := range []struct {
		name string
		set  bool
	}{{"rate", t.Rate.set}, {"every", t.Every.set}, {"stages", t.Stages != nil}} {
		if f.set {
			given = append(given, f.name)
		}
	}
	switch {
	case b.failed():
		return Pace{}
	case len(given) == 0:
		b.fail(entry+"rate", "required: give rate (e.g. 200/s), every (e.g. 10m) or stages")
		return Pace{}
	case len(given) > 1:
		b.fail(prefix+given[1], "give one of rate, every and stages, not %s and %s", given[0], given[1])
		return Pace{}
	}
	switch given[0] {
	case "rate":
		r, ok := b.rate(prefix+"rate", t.Rate)
		if ok && r == 0 {
			b.fail(prefix+"rate", "must be above 0 (a closed loop at full speed is wxsim attack --rate 0 --workers N)")
		}
		return Pace{Rate: r}
	case "every":
		d, _ := b.duration(prefix+"every", t.Every)
		return Pace{Every: d}
	}
	return Pace{Stages: b.stages(prefix+"stages", t.Stages)}
}

// stages builds and validates the stages; pacing.Staged's *StageError says
// which stage and field is wrong, which the index turns into a line.
func (b *builder) stages(path string, raws []rawStage) []pacing.Stage {
	if len(raws) == 0 {
		b.fail(path, "empty: give at least one stage")
		return nil
	}
	out := make([]pacing.Stage, len(raws))
	for i, r := range raws {
		out[i] = b.stage(path+"["+itoa(i)+"]", r)
	}
	if b.failed() {
		return nil
	}
	if _, err := pacing.Staged(out...); err != nil {
		var se *pacing.StageError
		if errors.As(err, &se) {
			b.fail(path+"["+itoa(se.Index)+"]."+se.Field, "%s", se.Problem)
		} else {
			b.fail(path, "%v", err)
		}
		return nil
	}
	return out
}

// stage reads one stage's fields; target and duration are required.
func (b *builder) stage(path string, r rawStage) pacing.Stage {
	var st pacing.Stage
	if kind := b.str(path+".kind", r.Kind, false); kind != "" {
		k, err := pacing.ParseStageKind(kind)
		if err != nil {
			b.fail(path+".kind", "%v", err)
		}
		st.Kind = k
	}
	var ok bool
	if st.Duration, ok = b.duration(path+".duration", r.Duration); !ok && !b.failed() {
		b.fail(path+".duration", "required: how long the stage lasts, such as 30s")
	}
	if st.Target, ok = b.rate(path+".target", r.Target); !ok && !b.failed() {
		b.fail(path+".target", "required: the rate the stage holds or ramps to (the mean for a sine), such as 200/s")
	}
	st.From, _ = b.rate(path+".from", r.From)
	st.Amp, _ = b.rate(path+".amp", r.Amp)
	st.Period, _ = b.duration(path+".period", r.Period)
	return st
}

// mix builds the mix from its string or mapping form, checking each kind
// and weight where it is written; left out, it is simulator.DefaultMix.
func (b *builder) mix(path string, m mixValue) *simulator.Mix {
	if b.failed() {
		return nil
	}
	var parts []string
	switch {
	case !m.set:
		parts = []string{simulator.DefaultMix}
	case m.bad != 0:
		b.fail(path, "want a string such as %q or a mapping of kind to weight, got a list", simulator.DefaultMix)
	case m.pairs != nil:
		for _, e := range m.pairs {
			kind := b.str(path, e.kind, false)
			parts = append(parts, b.mixPart(path+"."+kind, kind, b.str(path+"."+kind, e.weight, false), true))
		}
	default:
		flat := b.str(path, m.flat, false)
		for _, part := range strings.Split(flat, ",") {
			if part = strings.TrimSpace(part); part != "" {
				kind, weight, _ := strings.Cut(part, "=")
				parts = append(parts, b.mixPart(path, strings.TrimSpace(kind), strings.TrimSpace(weight), false))
			}
		}
	}
	if b.failed() {
		return nil
	}
	mix, err := simulator.ParseMix(strings.Join(parts, ","))
	if err != nil {
		_, problem, _ := strings.Cut(err.Error(), "\": ")
		b.fail(path, "%s", cmp.Or(problem, err.Error()))
		return nil
	}
	return mix
}

// mixPart checks one kind and weight of a mix and renders them as
// "kind=weight"; needWeight is true in the mapping form.
func (b *builder) mixPart(path, kind, weight string, needWeight bool) string {
	if _, err := wechat.LookupKind(kind); err != nil {
		b.fail(path, "%v", err)
		return ""
	}
	if weight == "" && !needWeight {
		return kind
	}
	if _, err := strconv.ParseUint(weight, 10, 32); err != nil {
		b.fail(path, "weight of %s: %q is not a whole number", kind, weight)
		return ""
	}
	return kind + "=" + weight
}
