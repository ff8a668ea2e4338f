package conformtest

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"

	. "github.com/onsi/gomega"

	"github.com/wxsim/wxsim/conformance"
)

var update = flag.Bool("update", false, "rewrite ../CATALOGUE.md from the suite")

const cataloguePath = "../CATALOGUE.md"

// TestCatalogue keeps CATALOGUE.md equal to the suite: a case added,
// removed, renumbered or reworded without regenerating it fails here.
func TestCatalogue(t *testing.T) {
	g := NewWithT(t)
	reqs, err := conformance.Catalogue()
	g.Expect(err).NotTo(HaveOccurred())
	var b bytes.Buffer
	g.Expect(conformance.WriteCatalogueMarkdown(&b, reqs)).To(Succeed())
	if *update {
		g.Expect(os.WriteFile(cataloguePath, b.Bytes(), 0o644)).To(Succeed())
	}
	committed, err := os.ReadFile(cataloguePath)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(committed)).To(Equal(b.String()),
		"CATALOGUE.md has drifted from the suite: run go test ./conformance/conformtest -run TestCatalogue -update, and review the diff")
}

// TestCatalogueShape checks what the catalogue promises: unique IDs, areas
// in run order, one reply case per basic kind per requirement, and the
// levels of product.md §6.
func TestCatalogueShape(t *testing.T) {
	g := NewWithT(t)
	reqs, err := conformance.Catalogue()
	g.Expect(err).NotTo(HaveOccurred())
	seen := map[string]bool{}
	var areas []string
	perArea := map[string]int{}
	for _, r := range reqs {
		g.Expect(seen[r.ID]).To(BeFalse(), "duplicate %s", r.ID)
		seen[r.ID] = true
		g.Expect(r.ID).To(HavePrefix(r.Area + "/"))
		g.Expect(shouldCase(r.ID)).To(Equal(r.Level == conformance.Should), "%s is %s", r.ID, r.Level)
		if len(areas) == 0 || areas[len(areas)-1] != r.Area {
			areas = append(areas, r.Area)
		}
		perArea[r.Area]++
	}
	g.Expect(areas).To(Equal(conformance.Areas()), "each area once, in run order")
	g.Expect(perArea["reply"]).To(Equal(4 * len(basicKinds())))
	for _, k := range basicKinds() {
		for _, n := range []string{"1", "2", "3", "4"} {
			g.Expect(seen["reply/"+n+"/"+k]).To(BeTrue(), "reply/%s/%s", n, k)
		}
	}
}

// TestListPrintsTheCatalogue: `wxsim conform --list` prints every case.
func TestListPrintsTheCatalogue(t *testing.T) {
	needBinaries(t)
	g := NewWithT(t)
	reqs, err := conformance.Catalogue()
	g.Expect(err).NotTo(HaveOccurred())
	out, err := exec.Command(wxsimBin, "conform", "--list").Output()
	g.Expect(err).NotTo(HaveOccurred())
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	g.Expect(lines).To(HaveLen(len(reqs) + 1))
	g.Expect(strings.Fields(lines[0])).To(Equal([]string{"ID", "LEVEL", "REQUIREMENT"}))
	for i, r := range reqs {
		g.Expect(strings.Fields(lines[i+1])[:2]).To(Equal([]string{r.ID, string(r.Level)}))
	}
}
