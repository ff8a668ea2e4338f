package wechat

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// ParsePush reads a push's plaintext XML, the inverse of AppendXML: for
// p.AppendXML's output it returns p.Canonical(). It accepts CDATA or bare
// text for every element, whitespace and an XML declaration, and element
// order does not matter. A push of a kind wxsim does not send still parses,
// with a Kind that is not Known, so captured pushes can always be decoded.
func ParsePush(body []byte) (*Push, error) {
	root, err := readXML(body)
	if err != nil {
		return nil, fmt.Errorf("push: not XML: %w", err)
	}
	return parsePushElement(root)
}

func parsePushElement(root *etree.Element) (*Push, error) {
	msgType, _ := childText(root, "MsgType")
	infoType, _ := childText(root, "InfoType")
	msgType, infoType = strings.TrimSpace(msgType), strings.TrimSpace(infoType)
	if msgType == "" && infoType == "" {
		return nil, fmt.Errorf("push: neither MsgType nor InfoType")
	}
	event, _ := childText(root, "Event")
	eventKey, _ := childText(root, "EventKey")
	p := &Push{Kind: lookupPushKind(msgType, strings.TrimSpace(event), infoType, eventKey), EventKey: eventKey}
	if p.Kind.Component {
		p.ToUserName, _ = childText(root, "AppId")
	} else {
		p.ToUserName, _ = childText(root, "ToUserName")
		p.FromUserName, _ = childText(root, "FromUserName")
	}
	p.Content, _ = childText(root, "Content")
	if err := p.parseNumbers(root); err != nil {
		return nil, err
	}
	return p, nil
}

// parseNumbers reads CreateTime and the message id, which WeChat spells
// MsgId in messages and MsgID in job-finish events.
func (p *Push) parseNumbers(root *etree.Element) error {
	s, ok := childText(root, "CreateTime")
	if !ok {
		return fmt.Errorf("push: no CreateTime")
	}
	t, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return fmt.Errorf("push: CreateTime %q is not an integer", s)
	}
	p.CreateTime = t
	s, ok = childText(root, "MsgId")
	if !ok {
		s, ok = childText(root, "MsgID")
	}
	if !ok {
		return nil
	}
	id, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return fmt.Errorf("push: MsgId %q is not an unsigned integer", s)
	}
	p.MsgID = id
	return nil
}
