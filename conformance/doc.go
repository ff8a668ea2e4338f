// Package conformance is wxsim's conformance suite: Ginkgo specs that
// check an Official Account callback endpoint against WeChat's rules, one
// case per requirement, each with a stable ID (area/n, or area/n/kind), a
// level (must: WeChat's rules; should: good practice, counted with
// --strict) and an area label.
//
// Run runs the suite in-process (`wxsim conform`); the package's test
// binary runs it through Ginkgo's CLI (`ginkgo ./conformance -- …`). Both
// read their configuration through BindFlags, so flags, WXSIM_* variables,
// cases and reports are the same either way. Catalogue lists the cases
// from a dry run of the suite; CATALOGUE.md is its committed copy.
//
// Cases judge replies with the simulator's own prober and judge, so a
// case, `wxsim push` and a load run never disagree about what WeChat
// accepts. The package itself never prints or exits: results come back as
// a Result, and text goes to the io.Writers callers pass (Ginkgo's own
// console reporter speaks only when RunOptions.Out is nil, as in the
// Ginkgo CLI route).
package conformance
