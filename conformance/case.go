package conformance

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified
)

// Level is a case's requirement level: a must case is WeChat's own rule
// (breaking it fails deliveries); a should case is good practice whose
// failure fails the run only with --strict.
type Level string

// The two requirement levels; their spellings are also the Ginkgo labels.
const (
	Must   Level = "must"
	Should Level = "should"
)

// Areas lists the case areas in the order the suite runs them: cheap
// single pushes first, the load run last.
func Areas() []string {
	return []string{"handshake", "signature", "reply", "crypto", "component", "api", "retry", "timing", "load"}
}

// Requirement is one catalogue line: a case's stable ID, its level, its
// area (the ID's first segment) and the requirement sentence.
type Requirement struct {
	ID    string `json:"id"`
	Level Level  `json:"level"`
	Area  string `json:"area"`
	Text  string `json:"requirement"`
}

// idPattern is the ID syntax: area/n, or area/n/kind for the entries of a
// table with one entry per push kind.
var idPattern = regexp.MustCompile(`^([a-z]+)/([1-9][0-9]*)(/[a-z][a-z0-9_]*)?$`)

// idRegistry remembers the IDs registered while Ginkgo builds the spec
// tree, so that a duplicate stops the suite before any case runs.
type idRegistry struct {
	mu  sync.Mutex
	ids map[string]bool
}

// registry is the suite's own; tests make their own idRegistry.
var registry = &idRegistry{}

// add reserves a requirement's ID; it fails on the second use of an ID.
func (g *idRegistry) add(r Requirement) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ids == nil {
		g.ids = map[string]bool{}
	}
	if g.ids[r.ID] {
		return fmt.Errorf("case ID %q registered twice: IDs are stable and unique", r.ID)
	}
	g.ids[r.ID] = true
	return nil
}

// newRequirement validates a case's ID, level and sentence.
func newRequirement(id string, level Level, text string) (Requirement, error) {
	r := Requirement{ID: id, Level: level, Text: text}
	m := idPattern.FindStringSubmatch(id)
	switch {
	case m == nil:
		return r, fmt.Errorf("case ID %q: want area/n or area/n/kind, lower case", id)
	case !isArea(m[1]):
		return r, fmt.Errorf("case ID %q: unknown area %q (areas: %s)", id, m[1], strings.Join(Areas(), ", "))
	case level != Must && level != Should:
		return r, fmt.Errorf("case %s: level %q: want must or should", id, level)
	case strings.TrimSpace(text) == "" || strings.Contains(text, "\n"):
		return r, fmt.Errorf("case %s: the requirement must be one sentence on one line", id)
	}
	r.Area = m[1]
	return r, nil
}

func isArea(s string) bool {
	for _, a := range Areas() {
		if a == s {
			return true
		}
	}
	return false
}

// specText is how a case appears in Ginkgo: "ID: requirement". The ID
// comes first so that reports, focus expressions and people find it.
func (r Requirement) specText() string { return r.ID + ": " + r.Text }

// decorations are the labels every case carries: its level and its area.
func (r Requirement) decorations() []any { return []any{Label(string(r.Level), r.Area)} }

// mustRequirement is newRequirement for tree construction, where Ginkgo
// turns the panic into a suite failure that names the bad case.
func mustRequirement(id string, level Level, text string) Requirement {
	r, err := newRequirement(id, level, text)
	if err == nil {
		err = registry.add(r)
	}
	if err != nil {
		panic(err)
	}
	return r
}

// Case declares a conformance case as a Ginkgo It: the ID and requirement
// as its text, the level and area as labels. args are what It takes after
// its text (the body, and any further decorators).
func Case(id string, level Level, requirement string, args ...any) bool {
	GinkgoHelper()
	r := mustRequirement(id, level, requirement)
	return It(r.specText(), append(r.decorations(), args...)...)
}

// CaseEntry declares a conformance case as a DescribeTable entry, for the
// areas with one case per push kind. args are the entry's parameters.
func CaseEntry(id string, level Level, requirement string, args ...any) TableEntry {
	GinkgoHelper()
	r := mustRequirement(id, level, requirement)
	return Entry(r.specText(), append(r.decorations(), args...)...)
}

// parseSpecText splits a case's spec text back into ID and requirement.
func parseSpecText(text string) (id, requirement string, ok bool) {
	id, requirement, ok = strings.Cut(text, ": ")
	if !ok || !idPattern.MatchString(id) {
		return "", "", false
	}
	return id, requirement, true
}

// focusPattern turns ID prefixes into a Ginkgo focus expression. A prefix
// matches whole segments: "reply/1" selects reply/1/text and reply/1/click
// but not reply/10/text; "reply" selects the whole area.
func focusPattern(prefixes []string) (string, error) {
	var alts []string
	for _, p := range prefixes {
		p = strings.TrimSuffix(strings.TrimSpace(p), "/")
		area, _, _ := strings.Cut(p, "/")
		if !isArea(area) || !focusSyntax.MatchString(p) {
			return "", fmt.Errorf("%q is not an ID prefix: want an area (%s), area/n or area/n/kind", p, strings.Join(Areas(), ", "))
		}
		alts = append(alts, regexp.QuoteMeta(p))
	}
	if len(alts) == 0 {
		return "", nil
	}
	return `(^| )(` + strings.Join(alts, "|") + `)(/[a-z0-9_]+)*: `, nil
}

var focusSyntax = regexp.MustCompile(`^[a-z]+(/[1-9][0-9]*(/[a-z][a-z0-9_]*)?)?$`)
