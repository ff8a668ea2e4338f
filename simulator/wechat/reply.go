package wechat

import (
	"errors"
	"fmt"
	"strings"

	"github.com/beevik/etree"
)

// Reply types: the MsgType values of passive replies (wechat-protocol.md
// §4), and the two acknowledgements that are not XML. Verdict.ReplyType is
// one of them.
const (
	ReplySuccess                 = "success"
	ReplyEmpty                   = "empty"
	ReplyText                    = "text"
	ReplyImage                   = "image"
	ReplyVoice                   = "voice"
	ReplyVideo                   = "video"
	ReplyMusic                   = "music"
	ReplyNews                    = "news"
	ReplyTransferCustomerService = "transfer_customer_service"
)

// ReplyTypes lists every reply type, acknowledgements first.
func ReplyTypes() []string {
	return []string{ReplySuccess, ReplyEmpty, ReplyText, ReplyImage, ReplyVoice, ReplyVideo,
		ReplyMusic, ReplyNews, ReplyTransferCustomerService}
}

// ErrNotXML is wrapped by ParseReply when the body is not an XML document
// (JSON, an HTML error page, plain text).
var ErrNotXML = errors.New("not XML")

// textReplyDoc builds a text reply afresh; AppendTextReply's template comes
// from it.
func textReplyDoc(t *texts) *etree.Document {
	doc, root := newXMLDoc()
	cdataElem(root, "ToUserName", t[slotTo])
	cdataElem(root, "FromUserName", t[slotFrom])
	textElem(root, "CreateTime", t[slotCreateTime])
	cdataElem(root, "MsgType", ReplyText)
	cdataElem(root, "Content", t[slotContent])
	return doc
}

var textReply = newTemplate(textReplyDoc)

// AppendTextReply appends a passive text reply to dst. to is the push's
// FromUserName (the follower) and from its ToUserName (the account): a reply
// swaps them. It fills a byte template and allocates nothing when dst has room.
func AppendTextReply(dst []byte, to, from string, createTime int64, content string) []byte {
	var v values
	v.str[slotTo], v.str[slotFrom], v.str[slotContent] = to, from, content
	v.createTime = createTime
	return textReply.append(dst, &v)
}

// Reply is a passive reply as WeChat reads it: the header every reply has
// and the elements each MsgType requires. Values are as written (CDATA or
// bare text alike); CreateTime stays text so seconds and milliseconds can be
// told apart.
type Reply struct {
	ToUserName, FromUserName, CreateTime, MsgType string

	Content      string // text: Content
	MediaID      string // image, voice, video: Image/MediaId, Voice/MediaId or Video/MediaId
	ThumbMediaID string // music: Music/ThumbMediaId
	ArticleCount string // news: ArticleCount, as written
	Articles     int    // news: the number of Articles/item elements
}

// ParseReply reads a plaintext passive reply. It fails (wrapping ErrNotXML)
// only when the body is not an XML document; missing elements are left
// empty for the judge to report. An encrypted envelope parses too, with
// every field empty: open it first (Codec.Judge does).
func ParseReply(xml []byte) (*Reply, error) {
	root, err := readXML(xml)
	if err != nil {
		return nil, fmt.Errorf("reply: %w: %w", ErrNotXML, err)
	}
	r := parseReplyElement(root)
	return &r, nil
}

func parseReplyElement(root *etree.Element) Reply {
	var r Reply
	r.ToUserName, _ = childText(root, "ToUserName")
	r.FromUserName, _ = childText(root, "FromUserName")
	r.CreateTime, _ = childText(root, "CreateTime")
	r.MsgType, _ = childText(root, "MsgType")
	r.MsgType = strings.TrimSpace(r.MsgType)
	switch r.MsgType {
	case ReplyText:
		r.Content, _ = childText(root, "Content")
	case ReplyImage:
		r.MediaID = grandchildText(root, "Image", "MediaId")
	case ReplyVoice:
		r.MediaID = grandchildText(root, "Voice", "MediaId")
	case ReplyVideo:
		r.MediaID = grandchildText(root, "Video", "MediaId")
	case ReplyMusic:
		r.ThumbMediaID = grandchildText(root, "Music", "ThumbMediaId")
	case ReplyNews:
		r.ArticleCount, _ = childText(root, "ArticleCount")
		if a := root.SelectElement("Articles"); a != nil {
			r.Articles = len(a.SelectElements("item"))
		}
	}
	return r
}

// grandchildText returns the text of root/parent/tag, "" when absent.
func grandchildText(root *etree.Element, parent, tag string) string {
	p := root.SelectElement(parent)
	if p == nil {
		return ""
	}
	s, _ := childText(p, tag)
	return s
}
