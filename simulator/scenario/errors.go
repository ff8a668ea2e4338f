package scenario

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// ErrInvalid matches (errors.Is) every *Error.
var ErrInvalid = errors.New("invalid scenario")

// Error is a problem in a scenario file, rendered as
// "FILE:LINE: FIELD: PROBLEM", for example
// "smoke.yaml:7: stages[1].target: "fast" is not a rate (want e.g. 200/s)".
// It never holds a secret's value.
type Error struct {
	File    string
	Line    int    // 1-based; 0 when the problem has no place in the file
	Field   string // the field's path, such as "accounts[1].token"; "" for a whole-file problem
	Problem string
}

// Error renders the problem with its place.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// syntaxError renders an error of the YAML parser, which has no AST to name
// a field from; a duplicate key is still told as one.
func syntaxError(file string, err error) *Error {
	e := &Error{File: file, Problem: "not valid YAML: " + err.Error()}
	var ye yaml.Error
	if !errors.As(err, &ye) {
		return e
	}
	e.Line = positionOf(ye.GetToken()).line
	msg := ye.GetMessage()
	if m := duplicateKey.FindStringSubmatch(msg); m != nil {
		e.Field, e.Problem = m[1], "given twice (first on line "+m[2]+")"
		return e
	}
	e.Problem = "not valid YAML: " + msg
	return e
}

var duplicateKey = regexp.MustCompile(`^mapping key "(.*)" already defined at \[(\d+):\d+\]`)

// decodeError renders an error of the YAML decoder, naming the field from
// the index: unknown fields and values of the wrong shape (a list where a
// mapping belongs…).
func decodeError(file string, ix *index, err error) *Error {
	var ye yaml.Error
	if !errors.As(err, &ye) {
		return &Error{File: file, Problem: err.Error()}
	}
	pos := positionOf(ye.GetToken())
	e := &Error{File: file, Line: pos.line}
	var unknown *yaml.UnknownFieldError
	var shape *yaml.UnexpectedNodeTypeError
	switch {
	case errors.As(err, &unknown):
		e.Field = ix.keys[pos]
		e.Problem = "unknown field (known: " + strings.Join(knownFields(parent(e.Field)), ", ") + ")"
	case errors.As(err, &shape):
		e.Field = ix.values[pos]
		e.Problem = "want " + shapeName(shape.Expected) + ", got " + shapeName(shape.Actual)
	default:
		e.Field = ix.values[pos]
		e.Problem = ye.GetMessage()
	}
	return e
}

// shapeName names a node type for messages.
func shapeName(t ast.NodeType) string {
	switch t {
	case ast.MappingType, ast.MappingValueType:
		return "a mapping (field: value lines)"
	case ast.SequenceType:
		return "a list"
	case ast.StringType, ast.LiteralType:
		return "a string"
	case ast.IntegerType, ast.FloatType, ast.InfinityType, ast.NanType:
		return "a number"
	case ast.BoolType:
		return "true or false"
	case ast.NullType:
		return "nothing"
	}
	return t.YAMLName()
}

// knownFields lists the field names of the mapping at path (list indexes
// ignored), from the raw types' yaml tags, for unknown-field messages.
func knownFields(path string) []string {
	t := reflect.TypeOf(rawScenario{})
	for _, seg := range strings.Split(path, ".") {
		if i := strings.IndexByte(seg, '['); i >= 0 {
			seg = seg[:i]
		}
		if seg == "" {
			continue
		}
		f, ok := fieldByTag(t, seg)
		if !ok {
			return nil
		}
		t = f.Type
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
	}
	var names []string
	for i := range t.NumField() {
		if tag := t.Field(i).Tag.Get("yaml"); tag != "" {
			names = append(names, tag)
		}
	}
	return names
}

func fieldByTag(t reflect.Type, tag string) (reflect.StructField, bool) {
	if t.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	for i := range t.NumField() {
		if t.Field(i).Tag.Get("yaml") == tag {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// problemf formats a problem.
func problemf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
