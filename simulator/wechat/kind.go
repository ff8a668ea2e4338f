package wechat

import (
	"errors"
	"fmt"
	"strings"

	"github.com/beevik/etree"
)

// Kind is one kind of push WeChat sends to a callback URL: a normal message,
// an event, or a third-party platform notification (wechat-protocol.md §3, §7).
// The kinds of Kinds are the only ones wxsim sends; ParsePush also returns
// kinds it does not know, built on the fly (see Known).
type Kind struct {
	Name      string // flag spelling, e.g. "text", "click", "component_verify_ticket"
	MsgType   string // "text", "image", ..., or "event"; "" for third-party platform pushes
	Event     string // for events, as WeChat spells it: "subscribe", "SCAN", "CLICK", ...
	InfoType  string // third-party platform pushes: "component_verify_ticket", "authorized", ...
	Component bool   // a third-party platform push: the reply must be exactly "success"
	Message   bool   // a normal message (de-duplicated by MsgId) rather than an event (FromUserName+CreateTime)
	HasMsgID  bool   // carries MsgId (messages) or MsgID (job-finish events)

	index    int                                 // position in kinds; -1 for a kind read from an unknown push
	eventKey string                              // sample EventKey when the kind carries a per-push one
	body     func(root *etree.Element, t *texts) // the elements after the header
	tmpl     *template                           // nil for unknown kinds
}

// ErrUnknownKind is returned (wrapped) by LookupKind for a name that is not
// a kind wxsim sends.
var ErrUnknownKind = errors.New("unknown push kind")

// kinds is every kind wxsim sends, in the stable order of Kinds; the element
// layouts live in elements.go.
var kinds = []*Kind{
	{Name: "text", MsgType: "text", Message: true, HasMsgID: true, body: textBody},
	{Name: "image", MsgType: "image", Message: true, HasMsgID: true, body: imageBody},
	{Name: "voice", MsgType: "voice", Message: true, HasMsgID: true, body: voiceBody},
	{Name: "video", MsgType: "video", Message: true, HasMsgID: true, body: videoBody},
	{Name: "shortvideo", MsgType: "shortvideo", Message: true, HasMsgID: true, body: videoBody},
	{Name: "location", MsgType: "location", Message: true, HasMsgID: true, body: locationBody},
	{Name: "link", MsgType: "link", Message: true, HasMsgID: true, body: linkBody},
	{Name: "subscribe", MsgType: "event", Event: "subscribe", body: emptyEventKeyBody},
	{Name: "subscribe_qr", MsgType: "event", Event: "subscribe", eventKey: SampleScene, body: subscribeQRBody},
	{Name: "unsubscribe", MsgType: "event", Event: "unsubscribe", body: emptyEventKeyBody},
	{Name: "scan", MsgType: "event", Event: "SCAN", eventKey: SampleScene, body: scanBody},
	{Name: "location_event", MsgType: "event", Event: "LOCATION", body: locationEventBody},
	{Name: "click", MsgType: "event", Event: "CLICK", eventKey: SampleMenuKey, body: eventKeyBody},
	{Name: "view", MsgType: "event", Event: "VIEW", eventKey: SampleMenuURL, body: eventKeyBody},
	{Name: "templatesendjobfinish", MsgType: "event", Event: "TEMPLATESENDJOBFINISH", HasMsgID: true, body: templateJobBody},
	{Name: "masssendjobfinish", MsgType: "event", Event: "MASSSENDJOBFINISH", HasMsgID: true, body: massJobBody},
	{Name: "component_verify_ticket", InfoType: "component_verify_ticket", Component: true, body: ticketBody},
	{Name: "authorized", InfoType: "authorized", Component: true, body: authorizedBody},
	{Name: "unauthorized", InfoType: "unauthorized", Component: true, body: unauthorizedBody},
	{Name: "updateauthorized", InfoType: "updateauthorized", Component: true, body: authorizedBody},
}

// kindNames is the comma-separated list error messages print.
var kindNames string

func init() {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		k.index = i
		k.tmpl = newTemplate(k.document)
		names[i] = k.Name
	}
	kindNames = strings.Join(names, ", ")
}

// Kinds returns every kind wxsim sends, in a stable order: the seven
// messages, the events, then the third-party platform pushes. The pointers
// are shared and stable, so callers may key maps by them; do not modify them.
func Kinds() []*Kind { return append([]*Kind(nil), kinds...) }

// KindNames returns the flag spelling of every kind, in the order of Kinds.
func KindNames() []string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	return names
}

// LookupKind returns the kind with the given flag spelling (case does not
// matter). The error names the bad input and lists the valid names.
func LookupKind(name string) (*Kind, error) {
	for _, k := range kinds {
		if strings.EqualFold(k.Name, name) {
			return k, nil
		}
	}
	return nil, fmt.Errorf("%w %q (valid: %s)", ErrUnknownKind, name, kindNames)
}

// Known reports whether k is one of Kinds, rather than a kind ParsePush made
// up for a push wxsim does not send (such as the "debug_demo" event of
// WeChat's own examples).
func (k *Kind) Known() bool {
	return k != nil && k.index >= 0 && k.index < len(kinds) && kinds[k.index] == k
}

// String returns the kind's flag spelling.
func (k *Kind) String() string { return k.Name }

// IsEvent reports whether the kind is an event (MsgType "event").
func (k *Kind) IsEvent() bool { return k.MsgType == "event" }

// unknownKind describes a push whose MsgType, Event or InfoType wxsim does
// not send, so that decoding a captured push never fails on its kind.
func unknownKind(msgType, event, infoType string) *Kind {
	k := &Kind{MsgType: msgType, Event: event, InfoType: infoType, index: -1}
	switch {
	case infoType != "":
		k.Name, k.Component = infoType, true
	case msgType == "event" && event != "":
		k.Name = strings.ToLower(event)
	case msgType == "event":
		k.Name = "event"
	default:
		k.Name, k.Message, k.HasMsgID = msgType, true, true
	}
	return k
}

// lookupPushKind finds the kind of a parsed push by its type elements.
// Event names are matched without regard to case, as receivers do.
func lookupPushKind(msgType, event, infoType, eventKey string) *Kind {
	for _, k := range kinds {
		switch {
		case infoType != "" || k.Component:
			if k.InfoType == infoType {
				return k
			}
		case k.MsgType != msgType:
		case msgType != "event":
			return k
		case !strings.EqualFold(k.Event, event):
		case k.Event == "subscribe":
			// A subscribe through a parameter QR code carries its scene.
			if qr := strings.HasPrefix(eventKey, qrScenePrefix); qr == (k.Name == "subscribe_qr") {
				return k
			}
		default:
			return k
		}
	}
	return unknownKind(msgType, event, infoType)
}
