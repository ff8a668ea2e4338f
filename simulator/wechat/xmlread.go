package wechat

import (
	"bytes"
	"errors"
	"strings"

	"github.com/beevik/etree"
)

// errNoRoot is the parse error for a body with no element at all, such as
// JSON or plain text, which etree reads without complaint.
var errNoRoot = errors.New("no root element")

// utf8BOM is tolerated before a document, as XML parsers do.
var utf8BOM = []byte("\xef\xbb\xbf")

// readXML parses body and returns its root element. Reading is lenient in
// what WeChat's readers tolerate: an XML declaration, whitespace and
// comments around the root, CDATA or bare text.
func readXML(body []byte) (*etree.Element, error) {
	body = bytes.TrimPrefix(body, utf8BOM)
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(body); err != nil {
		return nil, err
	}
	root := doc.Root()
	if root == nil {
		return nil, errNoRoot
	}
	return root, nil
}

// elemText returns the character data of e (nil: ""). A value is often
// written as a CDATA section with line breaks or indentation around it;
// that formatting is dropped, while a lone text or CDATA value is returned
// exactly as written.
func elemText(e *etree.Element) string {
	if e == nil {
		return ""
	}
	if len(e.Child) == 1 {
		if cd, ok := e.Child[0].(*etree.CharData); ok {
			return cd.Data
		}
	}
	var b strings.Builder
	for _, t := range e.Child {
		switch t := t.(type) {
		case *etree.CharData:
			if !t.IsWhitespace() {
				b.WriteString(t.Data)
			}
		case *etree.Comment:
		default:
			return b.String()
		}
	}
	return b.String()
}

// childText returns the text of root's first child element named tag,
// and whether there is one.
func childText(root *etree.Element, tag string) (string, bool) {
	e := root.SelectElement(tag)
	return elemText(e), e != nil
}
