package wechat

import (
	"net/url"
	"strings"
)

// Open is the receiving side of a push, as a developer's endpoint (the
// reference endpoint, `wxsim decode`) must do it: verify the signature (and
// msg_signature when present), find and decrypt the Encrypt element, check
// the appid inside, and parse the push. It returns the push and its
// plaintext XML. Errors are *CryptError with the WXBizMsgCrypt code
// (possibly wrapped): ErrValidateSignature for a bad signature or
// msg_signature, ErrParseXML for a body that is not a push, ErrValidateAppid
// for a ciphertext of another appid, and the decryption codes.
//
// A safe-mode account requires the Encrypt element; compat takes either
// shape and trusts the ciphertext when there is one; a plain-mode account
// has no key and reads the plaintext elements.
func (c *Codec) Open(query url.Values, body []byte) (p *Push, plain []byte, err error) {
	if err := c.verifySignature(query); err != nil {
		return nil, nil, err
	}
	root, err := readXML(body)
	if err != nil {
		return nil, nil, ErrParseXML.with("body is not XML: %v", err)
	}
	encElem := root.SelectElement("Encrypt")
	enc := strings.TrimSpace(elemText(encElem))
	if err := c.verifyMsgSignature(query, encElem != nil, enc); err != nil {
		return nil, nil, err
	}
	switch {
	case encElem != nil && c.crypter != nil:
		if plain, err = c.crypter.Open(enc); err != nil {
			return nil, nil, err
		}
		p, err = ParsePush(plain)
	case c.acct.Mode == Safe:
		return nil, nil, ErrParseXML.with("safe mode, but the body has no Encrypt element")
	default:
		// Plaintext elements (plain mode, or compat without a ciphertext):
		// the document is already read, don't parse it twice.
		plain = body
		p, err = parsePushElement(root)
	}
	if err != nil {
		return nil, nil, ErrParseXML.with("%v", err)
	}
	return p, plain, nil
}

// verifySignature checks the signature parameter every push carries.
func (c *Codec) verifySignature(query url.Values) error {
	sig := query.Get("signature")
	if sig == "" {
		return ErrValidateSignature.with("no signature parameter")
	}
	if !SignatureEqual(Signature(c.acct.Token, query.Get("timestamp"), query.Get("nonce")), sig) {
		return ErrValidateSignature.with("signature is not sha1(sort(token, timestamp, nonce))")
	}
	return nil
}

// verifyMsgSignature checks msg_signature over the Encrypt element when the
// query says the body is encrypted.
func (c *Codec) verifyMsgSignature(query url.Values, hasEncrypt bool, enc string) error {
	msgSig := query.Get("msg_signature")
	if msgSig == "" && c.acct.Mode == Safe && hasEncrypt {
		// In safe mode the body is only a ciphertext: without msg_signature
		// nothing vouches for it (the plain signature covers no body).
		return ErrValidateSignature.with("safe mode: the query has no msg_signature")
	}
	if msgSig == "" && query.Get("encrypt_type") != "aes" {
		return nil
	}
	if !hasEncrypt {
		return ErrParseXML.with("encrypt_type=aes or msg_signature given, but the body has no Encrypt element")
	}
	if !SignatureEqual(MsgSignature(c.acct.Token, query.Get("timestamp"), query.Get("nonce"), enc), msgSig) {
		return ErrValidateSignature.with("msg_signature is not sha1(sort(token, timestamp, nonce, Encrypt))")
	}
	return nil
}
