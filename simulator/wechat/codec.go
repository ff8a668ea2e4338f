package wechat

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/beevik/etree"
)

// Codec is everything on the wire for one account: the body and query of a
// push in the account's mode, the receiving side (Open), encrypted replies
// (SealReply) and the reply judge (Judge). It is immutable and safe for
// concurrent use.
type Codec struct {
	acct    Account
	crypter *Crypter // nil in plain mode
}

// NewCodec validates the account and prepares its crypto. In plain mode an
// EncodingAESKey, if given, is checked but not used.
func NewCodec(a Account) (*Codec, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	c := &Codec{acct: a}
	if a.Mode.Encrypted() {
		cr, err := NewCrypter(a.EncodingAESKey, a.AppID)
		if err != nil {
			return nil, fmt.Errorf("account %s: %w", a, err)
		}
		c.crypter = cr
	}
	return c, nil
}

// Account returns the account, secrets included.
func (c *Codec) Account() Account { return c.acct }

// Mode is the account's encryption mode.
func (c *Codec) Mode() Mode { return c.acct.Mode }

// Crypter returns the account's crypter, nil in plain mode.
func (c *Codec) Crypter() *Crypter { return c.crypter }

// Envelope templates, built with etree once like the push templates.
var (
	safeEnvelope = newTemplate(func(t *texts) *etree.Document {
		doc, root := newXMLDoc()
		cdataElem(root, "ToUserName", t[slotTo])
		cdataElem(root, "Encrypt", t[slotEncrypt])
		return doc
	})
	componentEnvelope = newTemplate(func(t *texts) *etree.Document {
		doc, root := newXMLDoc()
		cdataElem(root, "AppId", t[slotTo])
		cdataElem(root, "Encrypt", t[slotEncrypt])
		return doc
	})
	// encryptElement is appended to a compat-mode body in place of its
	// closing </xml>.
	encryptElement = newTemplate(func(t *texts) *etree.Document {
		doc := etree.NewDocument()
		cdataElem(&doc.Element, "Encrypt", t[slotEncrypt])
		return doc
	})
	sealedReply = newTemplate(func(t *texts) *etree.Document {
		doc, root := newXMLDoc()
		cdataElem(root, "Encrypt", t[slotEncrypt])
		cdataElem(root, "MsgSignature", t[slotSignature])
		textElem(root, "TimeStamp", t[slotTimeStamp])
		cdataElem(root, "Nonce", t[slotNonce])
		return doc
	})
)

const xmlEnd = "</xml>"

// scratch holds plaintext buffers for encryption, so that building an
// encrypted push allocates only what the crypto itself needs.
var scratch = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// Body appends the push's request body in the account's mode to dst and
// returns it with the Base64 ciphertext ("" in plain mode):
//   - plain: the plaintext XML;
//   - compat: the plaintext elements followed by <Encrypt> (the shape of the
//     official sample, KAT-5);
//   - safe: <xml><ToUserName>gh_...</ToUserName><Encrypt>...</Encrypt></xml>.
//
// Third-party platform pushes are always encrypted, with <AppId> in place of
// <ToUserName>, in compat mode too. A plain-mode account has no key, so it
// gets them in plaintext, which WeChat never sends.
func (c *Codec) Body(p *Push, dst []byte) (body []byte, encrypt string) {
	if c.crypter == nil {
		if dst == nil {
			dst = make([]byte, 0, p.Size())
		}
		return p.AppendXML(dst), ""
	}
	bp := scratch.Get().(*[]byte)
	plain := p.AppendXML((*bp)[:0])
	encrypt = c.crypter.Encrypt(plain)
	if dst == nil {
		// The envelope's literals are under 128 bytes; compat mode also
		// carries the plaintext.
		dst = make([]byte, 0, len(plain)+len(encrypt)+len(p.ToUserName)+128)
	}
	var v values
	v.str[slotTo], v.str[slotEncrypt] = p.ToUserName, encrypt
	component := p.Kind != nil && p.Kind.Component
	switch {
	case component:
		dst = componentEnvelope.append(dst, &v)
	case c.acct.Mode == Compat && bytes.HasSuffix(plain, []byte(xmlEnd)):
		dst = append(dst, plain[:len(plain)-len(xmlEnd)]...)
		dst = encryptElement.append(dst, &v)
		dst = append(dst, xmlEnd...)
	default:
		dst = safeEnvelope.append(dst, &v)
	}
	if cap(plain) <= 64<<10 { // don't keep huge buffers alive in the pool
		*bp = plain[:0]
		scratch.Put(bp)
	}
	return dst, encrypt
}

// AppendQuery appends a push's raw query string to dst:
// signature=..&timestamp=..&nonce=..&openid=.. (openid left out when ""),
// followed by &encrypt_type=aes&msg_signature=.. when encrypt is not "".
// The parameter order is the one of WeChat's documented example URL.
func (c *Codec) AppendQuery(dst []byte, openid, encrypt, timestamp, nonce string) []byte {
	dst = append(dst, "signature="...)
	dst = appendSignature(dst, c.acct.Token, timestamp, nonce)
	dst = append(dst, "&timestamp="...)
	dst = appendQueryEscape(dst, timestamp)
	dst = append(dst, "&nonce="...)
	dst = appendQueryEscape(dst, nonce)
	if openid != "" {
		dst = append(dst, "&openid="...)
		dst = appendQueryEscape(dst, openid)
	}
	if encrypt != "" {
		dst = append(dst, "&encrypt_type=aes&msg_signature="...)
		dst = appendMsgSignature(dst, c.acct.Token, timestamp, nonce, encrypt)
	}
	return dst
}

// SealReply encrypts a passive reply the way a developer's endpoint must in
// safe mode (wechat-protocol.md §4):
// <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>, signed over the
// token, timestamp, nonce and ciphertext. A plain-mode account has no key:
// the reply comes back unchanged.
func (c *Codec) SealReply(reply []byte, timestamp, nonce string) []byte {
	if c.crypter == nil {
		return reply
	}
	var v values
	v.str[slotEncrypt] = c.crypter.Encrypt(reply)
	v.str[slotSignature] = MsgSignature(c.acct.Token, timestamp, nonce, v.str[slotEncrypt])
	v.str[slotTimeStamp], v.str[slotNonce] = timestamp, nonce
	return sealedReply.append(make([]byte, 0, sealedReply.size+len(v.str[slotEncrypt])+len(timestamp)+len(nonce)+48), &v)
}

// appendQueryEscape appends s escaped for a URL query, like
// url.QueryEscape but without allocating.
func appendQueryEscape(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9',
			ch == '-', ch == '_', ch == '.', ch == '~':
			dst = append(dst, ch)
		case ch == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', hex[ch>>4], hex[ch&15])
		}
	}
	return dst
}
