package scenario

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Options tune loading.
type Options struct {
	// LookupEnv resolves ${NAME} in values; nil means os.LookupEnv.
	LookupEnv func(name string) (string, bool)
}

// Load reads and validates the scenario file at path. A file that cannot be
// read is an error wrapping the fs error; a problem in the file is an *Error.
func Load(path string, opts Options) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	return Parse(path, data, opts)
}

// LoadFS is Load from a file system, such as the bundled scenarios.
func LoadFS(fsys fs.FS, name string, opts Options) (*Scenario, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	return Parse(name, data, opts)
}

// Parse validates a scenario held in memory; file names it in errors and
// gives the default attack name (its base name without extension).
func Parse(file string, data []byte, opts Options) (*Scenario, error) {
	if opts.LookupEnv == nil {
		opts.LookupEnv = os.LookupEnv
	}
	body, perr := document(file, data)
	if perr != nil {
		return nil, perr
	}
	ix := newIndex(body)
	var raw rawScenario
	if err := yaml.NodeToValue(body, &raw, yaml.Strict(), yaml.AllowFieldPrefixes("x-")); err != nil {
		return nil, decodeError(file, ix, err)
	}
	b := &builder{file: file, ix: ix, env: opts.LookupEnv}
	s := b.scenario(&raw)
	if b.err != nil {
		return nil, b.err
	}
	if s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	return s, nil
}

// document parses the file and returns its one document's body, a mapping.
func document(file string, data []byte) (ast.Node, *Error) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, syntaxError(file, err)
	}
	var bodies []ast.Node
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			bodies = append(bodies, d.Body)
		}
	}
	switch {
	case len(bodies) == 0:
		return nil, &Error{File: file, Problem: "empty: a scenario needs at least url, account (with appid and token), a rate and a duration"}
	case len(bodies) > 1:
		return nil, &Error{File: file, Line: positionOf(bodies[1].GetToken()).line,
			Problem: "a second YAML document: give one scenario per file"}
	}
	body := bodies[0]
	for {
		if a, ok := body.(*ast.AnchorNode); ok {
			body = a.Value
			continue
		}
		break
	}
	if t := body.Type(); t != ast.MappingType && t != ast.MappingValueType {
		return nil, &Error{File: file, Line: positionOf(body.GetToken()).line,
			Problem: "want a mapping of fields (url: …, account: …) at the top, got " + shapeName(t)}
	}
	return body, nil
}
