package scenario

import (
	"fmt"
	"strings"
)

// expand replaces ${NAME} and ${NAME:-default} in s with the environment's
// values (lookup), and $$ with a single $; any other $ stays as written, so
// a value seldom needs escaping. A variable that is not set, and has no
// default, is an error naming the variable. Values never appear in errors,
// and for a secret field nor does the text around a malformed reference.
func expand(s string, lookup func(string) (string, bool), secret bool) (string, error) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '$')
		if i < 0 || i == len(s)-1 {
			b.WriteString(s)
			return b.String(), nil
		}
		b.WriteString(s[:i])
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			s = s[i+2:]
			continue
		case '{':
		default:
			b.WriteByte('$')
			s = s[i+1:]
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return "", fmt.Errorf("${ without a closing } (write $$ for a literal $)")
		}
		v, err := variable(s[i+2:i+end], lookup, secret)
		if err != nil {
			return "", err
		}
		b.WriteString(v)
		s = s[i+end+1:]
	}
}

// variable resolves the inside of ${…}: NAME or NAME:-default.
func variable(ref string, lookup func(string) (string, bool), secret bool) (string, error) {
	name, def, hasDef := strings.Cut(ref, ":-")
	switch {
	case !validName(name) && secret:
		return "", fmt.Errorf("a ${…} reference without a variable name (letters, digits and _)")
	case !validName(name):
		return "", fmt.Errorf("${%s}: %q is not a variable name (letters, digits and _)", ref, name)
	}
	if v, ok := lookup(name); ok && (v != "" || !hasDef) {
		return v, nil
	}
	if hasDef {
		return def, nil
	}
	return "", fmt.Errorf("${%s}: the environment variable %s is not set (export it, or give a default: ${%s:-value})", name, name, name)
}

// validName accepts shell variable names.
func validName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
