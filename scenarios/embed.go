// Package scenarios holds wxsim's bundled scenario files (the format is in
// README.md beside them), embedded so that the wxsim binary can run them by
// name: `wxsim attack -f smoke`.
package scenarios

import (
	"embed"
	"io/fs"
	"strings"
)

// FS holds the bundled scenario files, NAME.yaml each.
//
//go:embed *.yaml
var FS embed.FS

// Names lists the bundled scenarios, by name (the file name without .yaml),
// in alphabetical order.
func Names() []string {
	files, _ := fs.Glob(FS, "*.yaml") // the pattern is valid, so no error
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = strings.TrimSuffix(f, ".yaml")
	}
	return names
}
