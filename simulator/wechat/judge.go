package wechat

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// Verdict is the judge's decision on one reply: accepted by WeChat, or the
// reason it would count a response failure (回应失败).
type Verdict struct {
	Reason    Reason // ReasonNone when WeChat accepts the reply
	Detail    string // what exactly was wrong (short, no secrets); "" when accepted
	Reply     []byte // the reply as WeChat reads it: the body, or the decrypted plaintext
	ReplyType string // one of ReplyTypes, "" when it could not be told
	Encrypted bool   // the reply was an encrypted envelope
}

// OK reports whether WeChat accepts the reply.
func (v Verdict) OK() bool { return v.Reason == ReasonNone }

// Judge decides whether WeChat accepts a reply (status and body) to the
// push p, following product.md §2 and §6 and wechat-protocol.md §4. It never
// fails what WeChat accepts: millisecond CreateTime, extra elements, CDATA
// or bare text, an XML declaration and whitespace are all fine. "success"
// and empty bodies take a fast path that neither parses nor allocates.
// Size limits (too_large) are the transport's business. p may be nil, which
// skips the checks that need the push (swap, third-party platform rules).
func (c *Codec) Judge(status int, body []byte, p *Push) Verdict {
	if status != http.StatusOK {
		return Verdict{Reason: ReasonHTTPStatus, Detail: statusDetail(status), Reply: body}
	}
	component := p != nil && p.Kind != nil && p.Kind.Component
	if v, done := judgeAck(body, component); done {
		v.Reply = body
		return v
	}
	root, err := readXML(body)
	if err != nil {
		return Verdict{Reason: ReasonNotXML, Detail: "not XML: " + err.Error(), Reply: body}
	}
	if root.Tag != "xml" && root.SelectElement("MsgType") == nil && root.SelectElement("Encrypt") == nil {
		// Well-formed, but no WeChat message: an XHTML error page, say.
		return Verdict{Reason: ReasonNotXML, Detail: "root element <" + root.Tag + "> is not a WeChat <xml> message", Reply: body}
	}
	if root.SelectElement("Encrypt") != nil {
		return c.judgeEncrypted(root, p)
	}
	if c.acct.Mode == Safe {
		return Verdict{Reason: ReasonUnencrypted, Detail: "a plaintext passive reply in safe mode; encrypt it (only success and empty need no encryption)", Reply: body}
	}
	v := judgePassive(root, p)
	v.Reply = body
	return v
}

// judgeAck handles "success" (surrounding whitespace tolerated) and the
// empty body before any parsing. Third-party platform pushes must be
// answered with exactly success; everything else there is a bad reply.
func judgeAck(body []byte, component bool) (Verdict, bool) {
	t := bytes.TrimSpace(body)
	switch {
	case string(t) == ReplySuccess:
		return Verdict{ReplyType: ReplySuccess}, true
	case component && len(t) == 0:
		return Verdict{Reason: ReasonBadReply, Detail: `third-party platform pushes must be answered with "success", got an empty body`, ReplyType: ReplyEmpty}, true
	case component:
		return Verdict{Reason: ReasonBadReply, Detail: `third-party platform pushes must be answered with "success", got something else`}, true
	case len(t) == 0:
		return Verdict{ReplyType: ReplyEmpty}, true
	}
	return Verdict{}, false
}

// judgeEncrypted checks an encrypted envelope: signature, decryption, appid,
// then the plaintext inside as a reply of its own.
func (c *Codec) judgeEncrypted(root *etree.Element, p *Push) Verdict {
	v := Verdict{Encrypted: true}
	if c.crypter == nil {
		v.Reason, v.Detail = ReasonBadReply, "an encrypted reply, but the account is in plain mode"
		return v
	}
	enc, sig, ts, nonce := envelopeFields(root)
	if sig == "" {
		v.Reason, v.Detail = ReasonBadMsgSignature, "no MsgSignature element"
		return v
	}
	if !SignatureEqual(MsgSignature(c.acct.Token, ts, nonce, enc), sig) {
		v.Reason, v.Detail = ReasonBadMsgSignature, "MsgSignature is not sha1(sort(token, TimeStamp, Nonce, Encrypt))"
		return v
	}
	msg, appid, err := c.crypter.Decrypt(enc)
	if err != nil {
		v.Reason, v.Detail = ReasonDecryptFailed, err.Error()
		return v
	}
	if appid != c.crypter.AppID() {
		v.Reason, v.Detail = ReasonWrongAppID, fmt.Sprintf("ciphertext ends with appid %q, want %q", appid, c.crypter.AppID())
		return v
	}
	v.Reply = msg
	if ack, done := judgeAck(msg, false); done {
		// An encrypted empty plaintext is an empty reply, and valid.
		ack.Reply, ack.Encrypted = msg, true
		return ack
	}
	inner, err := readXML(msg)
	if err != nil {
		v.Reason, v.Detail = ReasonNotXML, "decrypted reply is not XML: "+err.Error()
		return v
	}
	pv := judgePassive(inner, p)
	pv.Reply, pv.Encrypted = msg, true
	return pv
}

// envelopeFields reads an encrypted reply's four elements.
func envelopeFields(root *etree.Element) (enc, sig, ts, nonce string) {
	enc, _ = childText(root, "Encrypt")
	sig, _ = childText(root, "MsgSignature")
	ts, _ = childText(root, "TimeStamp")
	nonce, _ = childText(root, "Nonce")
	return strings.TrimSpace(enc), strings.TrimSpace(sig), strings.TrimSpace(ts), strings.TrimSpace(nonce)
}

// judgePassive checks a plaintext passive reply: header, per-type elements,
// then the To/From swap against the push.
func judgePassive(root *etree.Element, p *Push) Verdict {
	r := parseReplyElement(root)
	if reason, detail := checkReply(&r); reason != ReasonNone {
		v := Verdict{Reason: reason, Detail: detail}
		if knownReplyType(r.MsgType) {
			v.ReplyType = r.MsgType
		}
		return v
	}
	v := Verdict{ReplyType: r.MsgType}
	if p != nil {
		to, from := strings.TrimSpace(r.ToUserName), strings.TrimSpace(r.FromUserName)
		switch {
		case to != p.FromUserName:
			v.Reason, v.Detail = ReasonWrongSwap, fmt.Sprintf("ToUserName is %q, want the push's FromUserName %q", to, p.FromUserName)
		case from != p.ToUserName:
			v.Reason, v.Detail = ReasonWrongSwap, fmt.Sprintf("FromUserName is %q, want the push's ToUserName %q", from, p.ToUserName)
		}
	}
	return v
}

// checkReply finds a missing or wrong element of a passive reply
// (wechat-protocol.md §4). Optional elements and extra ones are ignored.
func checkReply(r *Reply) (Reason, string) {
	switch {
	case blank(r.ToUserName):
		return ReasonBadReply, "no ToUserName"
	case blank(r.FromUserName):
		return ReasonBadReply, "no FromUserName"
	case blank(r.CreateTime):
		return ReasonBadReply, "no CreateTime"
	case r.MsgType == "":
		return ReasonBadReply, "no MsgType"
	}
	switch r.MsgType {
	case ReplyText:
		if blank(r.Content) {
			// The documented empty acknowledgement is a zero-byte body, not
			// an XML reply with an empty Content.
			return ReasonBadReply, "text reply with no or empty Content"
		}
	case ReplyImage, ReplyVoice, ReplyVideo:
		if blank(r.MediaID) {
			return ReasonBadReply, r.MsgType + " reply with no " + mediaParent(r.MsgType) + "/MediaId"
		}
	case ReplyMusic:
		if blank(r.ThumbMediaID) {
			return ReasonBadReply, "music reply with no Music/ThumbMediaId"
		}
	case ReplyNews:
		return checkNews(r)
	case ReplyTransferCustomerService:
	default:
		return ReasonBadReply, fmt.Sprintf("unknown MsgType %q", r.MsgType)
	}
	return ReasonNone, ""
}

// checkNews requires ArticleCount to count the Articles/item elements, at
// least one. More than WeChat shows (1 or 8) are dropped, not refused.
func checkNews(r *Reply) (Reason, string) {
	n, err := strconv.Atoi(strings.TrimSpace(r.ArticleCount))
	switch {
	case err != nil:
		return ReasonBadReply, fmt.Sprintf("news reply with ArticleCount %q, want a number", r.ArticleCount)
	case r.Articles == 0:
		return ReasonBadReply, "news reply with no Articles/item"
	case n != r.Articles:
		return ReasonBadReply, fmt.Sprintf("news reply with ArticleCount %d but %d Articles/item", n, r.Articles)
	}
	return ReasonNone, ""
}

func mediaParent(msgType string) string {
	switch msgType {
	case ReplyImage:
		return "Image"
	case ReplyVoice:
		return "Voice"
	}
	return "Video"
}

func knownReplyType(t string) bool {
	switch t {
	case ReplyText, ReplyImage, ReplyVoice, ReplyVideo, ReplyMusic, ReplyNews, ReplyTransferCustomerService:
		return true
	}
	return false
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// statusDetail renders a non-200 status, e.g. "HTTP 500 Internal Server Error".
func statusDetail(status int) string {
	d := "HTTP " + strconv.Itoa(status)
	if t := http.StatusText(status); t != "" {
		d += " " + t
	}
	return d + ", want 200"
}
