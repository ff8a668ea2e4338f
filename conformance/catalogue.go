package conformance

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified
	"github.com/onsi/ginkgo/v2/types"
)

var catalogue struct {
	once sync.Once
	reqs []Requirement
	err  error
}

// Catalogue lists every case of the suite in run order, read from a Ginkgo
// dry run of the real spec tree: what `wxsim conform --list` prints and
// CATALOGUE.md records. It uses the process's one suite run, so a process
// that calls it cannot Run the suite (and the other way round).
func Catalogue() ([]Requirement, error) {
	catalogue.once.Do(func() { catalogue.reqs, catalogue.err = dryRun() })
	return catalogue.reqs, catalogue.err
}

func dryRun() ([]Requirement, error) {
	if !ran.CompareAndSwap(false, true) {
		return nil, ErrAlreadyRan
	}
	suiteCfg, _ := GinkgoConfiguration()
	suiteCfg.DryRun = true
	suiteCfg.RandomizeAllSpecs = false
	suiteCfg.LabelFilter, suiteCfg.FocusStrings, suiteCfg.SkipStrings = "", nil, nil
	suiteCfg.FocusFiles, suiteCfg.SkipFiles = nil, nil
	defer silenceGinkgo()()
	RunSpecs(&failRecorder{}, SuiteName, suiteCfg, types.ReporterConfig{NoColor: true})
	var reqs []Requirement
	for _, sr := range hooks.suite.SpecReports {
		if c, ok := caseOf(sr); ok {
			reqs = append(reqs, c.Requirement)
		}
	}
	if len(reqs) == 0 {
		return nil, fmt.Errorf("conformance: the dry run found no cases")
	}
	return reqs, nil
}

// WriteCatalogue prints the catalogue as an aligned table: ID, level,
// requirement.
func WriteCatalogue(w io.Writer, reqs []Requirement) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLEVEL\tREQUIREMENT")
	for _, r := range reqs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Level, r.Text)
	}
	return tw.Flush()
}

// WriteCatalogueMarkdown renders CATALOGUE.md: a table per area, in run
// order.
func WriteCatalogueMarkdown(w io.Writer, reqs []Requirement) error {
	var b strings.Builder
	b.WriteString("# wxsim conformance catalogue\n\n")
	b.WriteString("Every case of the conformance suite: its stable ID, its level and the requirement it checks.\n")
	b.WriteString("`must` cases are WeChat's own rules and decide whether `wxsim conform` passes; `should` cases\n")
	b.WriteString("are good practice and count only with `--strict`. See [README.md](README.md) for running them.\n\n")
	b.WriteString("Generated from the suite by `go test ./conformance/conformtest -run TestCatalogue -update`; do not edit by hand.\n")
	area := ""
	for _, r := range reqs {
		if r.Area != area {
			area = r.Area
			fmt.Fprintf(&b, "\n## %s\n\n| ID | level | requirement |\n| --- | --- | --- |\n", area)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.ID, r.Level, strings.ReplaceAll(r.Text, "|", `\|`))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
