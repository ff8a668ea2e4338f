package wechat

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"
)

// Building a push as a fresh etree document costs about 2.5 µs and 37
// allocations; at 10 000 pushes a second that is too much. So each XML shape
// is built once with etree, with a marker in place of every per-push value,
// serialised, and cut at the markers into a byte template. Filling it is a
// few appends. A test keeps every template's output equal to a fresh etree
// build of the same values.

// slot names a per-push value spliced into a template.
type slot uint8

// Slots up to slotTimeStamp are strings; the ones before slotTimeStamp sit
// in CDATA sections, slotTimeStamp is bare text; the last two are numbers.
const (
	slotTo slot = iota
	slotFrom
	slotContent
	slotEventKey
	slotEncrypt
	slotSignature
	slotNonce
	slotTimeStamp
	slotCreateTime
	slotMsgID
	numSlots
)

// values are the per-push values a template is filled with.
type values struct {
	str        [slotCreateTime]string
	createTime int64
	msgID      uint64
}

// texts are the values as etree builders take them: every slot as a string.
type texts [numSlots]string

// texts formats v for a fresh etree build.
func (v *values) texts() *texts {
	var t texts
	copy(t[:], v.str[:])
	t[slotCreateTime] = strconv.FormatInt(v.createTime, 10)
	t[slotMsgID] = strconv.FormatUint(v.msgID, 10)
	return &t
}

// template is an XML document cut at its slots: lits[i] precedes slots[i],
// and the last literal closes the document.
type template struct {
	lits  [][]byte
	slots []slot
	size  int // bytes of literal text, to pre-size buffers
}

// markerTexts holds a distinct marker for every slot; no sample value or tag
// contains "{{wxsim:", and etree writes braces unescaped.
var markerTexts = func() *texts {
	var t texts
	for i := range t {
		t[i] = "{{wxsim:" + strconv.Itoa(i) + "}}"
	}
	return &t
}()

// newTemplate builds the document with markers in every slot and cuts it.
// It panics on a builder bug (a marker written twice or mangled), which
// package initialisation would reveal at once.
func newTemplate(build func(*texts) *etree.Document) *template {
	out, err := build(markerTexts).WriteToBytes()
	if err != nil {
		panic(fmt.Sprintf("wechat: template: %v", err))
	}
	t := &template{}
	for {
		i := bytes.Index(out, []byte("{{wxsim:"))
		if i < 0 {
			break
		}
		end := bytes.Index(out[i:], []byte("}}"))
		n, err := strconv.Atoi(string(out[i+len("{{wxsim:") : i+end]))
		if err != nil || n < 0 || n >= int(numSlots) {
			panic(fmt.Sprintf("wechat: template: bad marker in %q", out))
		}
		t.lits = append(t.lits, out[:i:i])
		t.slots = append(t.slots, slot(n))
		t.size += i
		out = out[i+end+2:]
	}
	t.lits = append(t.lits, out)
	t.size += len(out)
	return t
}

// append writes the template filled with v to dst.
func (t *template) append(dst []byte, v *values) []byte {
	for i, s := range t.slots {
		dst = append(dst, t.lits[i]...)
		switch {
		case s < slotTimeStamp:
			dst = appendCData(dst, v.str[s])
		case s == slotTimeStamp:
			dst = appendText(dst, v.str[s])
		case s == slotCreateTime:
			dst = strconv.AppendInt(dst, v.createTime, 10)
		default:
			dst = strconv.AppendUint(dst, v.msgID, 10)
		}
	}
	return append(dst, t.lits[len(t.slots)]...)
}

// appendCData writes s as the content of a CDATA section, exactly as etree
// does: XML cannot escape "]]>" inside CDATA, so the section is closed after
// "]]" and a new one opened before ">".
func appendCData(dst []byte, s string) []byte {
	for {
		i := strings.Index(s, "]]>")
		if i < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i+2]...)
		dst = append(dst, "]]><![CDATA["...)
		s = s[i+2:]
	}
}

// appendText writes s as escaped character data, exactly as etree's default
// (non-canonical) text escaping does.
func appendText(dst []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		r, width := utf8.DecodeRuneInString(s[i:])
		i += width
		var esc string
		switch r {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\'':
			esc = "&apos;"
		case '"':
			esc = "&quot;"
		case '\t', '\n', '\r':
			continue
		default:
			if !xmlChar(r) || (r == utf8.RuneError && width == 1) {
				esc = "\uFFFD"
				break
			}
			continue
		}
		dst = append(dst, s[last:i-width]...)
		dst = append(dst, esc...)
		last = i
	}
	return append(dst, s[last:]...)
}

// xmlChar reports whether r is in XML's Char production.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// newXMLDoc starts a document with its <xml> root, as every WeChat message has.
func newXMLDoc() (*etree.Document, *etree.Element) {
	doc := etree.NewDocument()
	return doc, doc.CreateElement("xml")
}

// cdataElem adds <tag><![CDATA[s]]></tag>; the CDATA section is written even
// when s is empty, as WeChat writes an empty EventKey.
func cdataElem(parent *etree.Element, tag, s string) *etree.Element {
	e := parent.CreateElement(tag)
	e.CreateCData(s)
	return e
}

// textElem adds <tag>s</tag> with s as bare text, as WeChat writes numbers.
func textElem(parent *etree.Element, tag, s string) *etree.Element {
	e := parent.CreateElement(tag)
	e.CreateText(s)
	return e
}
