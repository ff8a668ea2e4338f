package scenario

import (
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// index maps field paths ("accounts[1].stages[0].amp") to the lines they are
// written on, and node positions back to paths, so that every error, the
// builder's or the YAML decoder's, can name both the line and the field.
type index struct {
	lines  map[string]int      // path → line of its key (or list item)
	keys   map[position]string // a key's position → its path
	values map[position]string // a value's position → the outermost path it is the value of
}

// position is a token's place in the file.
type position struct{ line, col int }

func positionOf(tk *token.Token) position {
	if tk == nil || tk.Position == nil {
		return position{}
	}
	return position{tk.Position.Line, tk.Position.Column}
}

// newIndex walks a document's body.
func newIndex(body ast.Node) *index {
	ix := &index{lines: map[string]int{}, keys: map[position]string{}, values: map[position]string{}}
	ix.line("", body.GetToken()) // where a top-level field left out is reported
	ix.walk(body, "")
	return ix
}

// walk records n, the value at path, and everything under it.
func (ix *index) walk(n ast.Node, path string) {
	switch v := n.(type) {
	case nil:
	case *ast.AnchorNode:
		ix.walk(v.Value, path)
	case *ast.TagNode:
		ix.walk(v.Value, path)
	case *ast.MappingNode:
		ix.value(v, path)
		for _, mv := range v.Values {
			ix.pair(mv, path)
		}
	case *ast.MappingValueNode: // a one-pair mapping
		ix.value(v, path)
		ix.pair(v, path)
	case *ast.SequenceNode:
		ix.value(v, path)
		for i, item := range v.Values {
			p := path + "[" + strconv.Itoa(i) + "]"
			ix.line(p, item.GetToken())
			ix.walk(item, p)
		}
	default:
		ix.value(v, path)
	}
}

// pair records one "key: value" of the mapping at path.
func (ix *index) pair(mv *ast.MappingValueNode, path string) {
	if mv.Key == nil {
		return
	}
	key := mv.Key.GetToken()
	name := ""
	if key != nil {
		name = key.Value
	}
	if name == "<<" { // a merge key: its fields live where the anchor is
		return
	}
	p := join(path, name)
	ix.line(p, key)
	if _, seen := ix.keys[positionOf(key)]; !seen {
		ix.keys[positionOf(key)] = p
	}
	ix.walk(mv.Value, p)
}

// value records that the node at its position is the value of path; the
// outermost path wins (a mapping's position is that of its first key).
func (ix *index) value(n ast.Node, path string) {
	pos := positionOf(n.GetToken())
	if _, seen := ix.values[pos]; !seen {
		ix.values[pos] = path
	}
}

func (ix *index) line(path string, tk *token.Token) {
	if _, seen := ix.lines[path]; !seen && tk != nil && tk.Position != nil {
		ix.lines[path] = tk.Position.Line
	}
}

// lineOf returns the line of path, or of its nearest ancestor written in
// the file: a field left out is reported where its mapping starts, a
// top-level one on the document's first line.
func (ix *index) lineOf(path string) int {
	for {
		if l, ok := ix.lines[path]; ok || path == "" {
			return l
		}
		path = parent(path)
	}
}

// join appends a field name to a path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// parent strips the last field or index off a path.
func parent(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}
