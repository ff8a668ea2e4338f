package simulator

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// DefaultMix is WeChat traffic as product.md §2 assumes it when none is given.
const DefaultMix = "text=6,click=2,subscribe=1,unsubscribe=1"

// Mix draws push kinds by weight.
type Mix struct {
	kinds []*wechat.Kind
	cum   []uint64 // cumulative weights
	total uint64
}

// ParseMix reads "kind=weight,kind=weight,…" (a bare kind weighs 1).
func ParseMix(s string) (*Mix, error) {
	m := &Mix{}
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, w, hasW := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		weight := uint64(1)
		if hasW {
			n, err := strconv.ParseUint(strings.TrimSpace(w), 10, 32)
			if err != nil {
				return nil, fmt.Errorf("mix %q: weight of %s: %q is not a whole number", s, name, w)
			}
			weight = n
		}
		k, err := wechat.LookupKind(name)
		if err != nil {
			return nil, fmt.Errorf("mix %q: %w", s, err)
		}
		if seen[name] {
			return nil, fmt.Errorf("mix %q: %s appears twice", s, name)
		}
		seen[name] = true
		if weight == 0 {
			continue
		}
		m.total += weight
		m.kinds = append(m.kinds, k)
		m.cum = append(m.cum, m.total)
	}
	if m.total == 0 {
		return nil, fmt.Errorf("mix %q: no kind with a weight above 0", s)
	}
	return m, nil
}

// Pick draws a kind.
func (m *Mix) Pick(r *rand.Rand) *wechat.Kind {
	if len(m.kinds) == 1 {
		return m.kinds[0]
	}
	x := r.Uint64N(m.total)
	i := sort.Search(len(m.cum), func(i int) bool { return m.cum[i] > x })
	return m.kinds[i]
}

// String renders the mix in its flag form.
func (m *Mix) String() string {
	var b strings.Builder
	var prev uint64
	for i, k := range m.kinds {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s=%d", k.Name, m.cum[i]-prev)
		prev = m.cum[i]
	}
	return b.String()
}

// Kinds returns the kinds the mix can draw.
func (m *Mix) Kinds() []*wechat.Kind { return m.kinds }
