package wechat

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// Push is one push from WeChat to a callback URL: its kind and the values
// that vary from push to push. Every other element carries a fixed sample
// value (elements.go). A Push holds no secret and no encryption; Codec puts
// it on the wire.
type Push struct {
	Kind         *Kind
	ToUserName   string // the account's original id gh_...; for third-party platform pushes the component appid (AppId element)
	FromUserName string // the follower's openid; "" for third-party platform pushes
	CreateTime   int64  // unix seconds
	MsgID        uint64 // messages (MsgId) and job-finish events (MsgID)
	Content      string // text Content; "" means SampleContent
	EventKey     string // click, view, scan and subscribe_qr EventKey; "" means a sample value
}

// values gathers the per-push values for a template or a fresh build,
// filling samples in for empty ones. It allocates nothing.
func (p *Push) values() values {
	var v values
	v.str[slotTo] = p.ToUserName
	v.str[slotFrom] = p.FromUserName
	v.createTime = p.CreateTime
	v.msgID = p.MsgID
	v.str[slotContent] = p.Content
	if v.str[slotContent] == "" {
		v.str[slotContent] = SampleContent
	}
	v.str[slotEventKey] = p.EventKey
	if p.Kind != nil && p.Kind.Name == "subscribe_qr" {
		// The template writes the "qrscene_" prefix itself.
		v.str[slotEventKey] = strings.TrimPrefix(v.str[slotEventKey], qrScenePrefix)
	}
	if v.str[slotEventKey] == "" && p.Kind != nil {
		v.str[slotEventKey] = p.Kind.eventKey
	}
	return v
}

// AppendXML appends the push's plaintext XML to dst and returns the result.
// It fills the kind's byte template, so it allocates nothing when dst has
// room (Size tells how much). The output equals Document's serialisation.
func (p *Push) AppendXML(dst []byte) []byte {
	if p.Kind == nil || p.Kind.tmpl == nil {
		// A kind ParsePush made up: no template, build it afresh.
		b, _ := p.Document().WriteToBytes()
		return append(dst, b...)
	}
	v := p.values()
	return p.Kind.tmpl.append(dst, &v)
}

// Size estimates the bytes AppendXML writes, to pre-size buffers.
func (p *Push) Size() int {
	n := len(p.ToUserName) + len(p.FromUserName) + len(p.Content) + len(p.EventKey) + 64
	if p.Kind != nil && p.Kind.tmpl != nil {
		n += p.Kind.tmpl.size
	} else {
		n += 256
	}
	return n
}

// Document builds the push afresh as an etree document. It is the reference
// the byte templates of AppendXML are checked against, and slower.
func (p *Push) Document() *etree.Document {
	v := p.values()
	k := p.Kind
	if k == nil {
		k = unknownKind("", "", "")
	}
	return k.document(v.texts())
}

// Canonical returns the push as ParsePush reads it back from AppendXML:
// sample values in place of empty ones, and the values the kind does not
// carry cleared.
func (p *Push) Canonical() Push {
	c := *p
	v := p.values()
	k := p.Kind
	if k == nil || !k.Known() {
		return c
	}
	c.Content, c.EventKey = "", ""
	switch {
	case k.Name == "text":
		c.Content = v.str[slotContent]
	case k.Name == "subscribe_qr":
		c.EventKey = qrScenePrefix + v.str[slotEventKey]
	case k.eventKey != "":
		c.EventKey = v.str[slotEventKey]
	}
	if !k.HasMsgID {
		c.MsgID = 0
	}
	if k.Component {
		c.FromUserName = ""
	}
	return c
}

// DedupKey is WeChat's de-duplication key for the push: "msg:" and the
// MsgId for messages, "event:" and FromUserName and CreateTime for events
// (wechat-protocol.md §5).
func (p *Push) DedupKey() string {
	if p.Kind != nil && p.Kind.Message {
		return "msg:" + strconv.FormatUint(p.MsgID, 10)
	}
	return "event:" + p.FromUserName + ":" + strconv.FormatInt(p.CreateTime, 10)
}

// String describes the push for logs and errors: kind, to, from, time.
func (p *Push) String() string {
	name := "<nil kind>"
	if p.Kind != nil {
		name = p.Kind.Name
	}
	return name + " push to " + p.ToUserName + " from " + p.FromUserName + " at " + strconv.FormatInt(p.CreateTime, 10)
}
