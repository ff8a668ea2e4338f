package wechat

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"slices"
	"sync"
)

// blockPad is the PKCS#7 block size WeChat pads to: 32, not AES's 16.
const blockPad = 32

// aesKeyLen is the length of an EncodingAESKey, and alnum its alphabet.
const aesKeyLen = 43

// Crypter encrypts and decrypts message bodies for one account (or one
// third-party platform): AES-256-CBC with IV = key[:16] over
// random(16) || len(4, big endian) || msg || appid, padded to 32 bytes.
// It is safe for concurrent use.
type Crypter struct {
	key   []byte
	block cipher.Block
	appid string
}

// DecodeAESKey turns a 43-character EncodingAESKey into the 32-byte AES key.
// The last character leaves padding bits set for most keys, so it decodes
// leniently (base64.StdEncoding without Strict), as every official sample does.
func DecodeAESKey(encodingAESKey string) ([]byte, error) {
	if len(encodingAESKey) != aesKeyLen {
		return nil, ErrIllegalAesKey.with("EncodingAESKey has %d characters, want %d", len(encodingAESKey), aesKeyLen)
	}
	for i := 0; i < len(encodingAESKey); i++ {
		c := encodingAESKey[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return nil, ErrIllegalAesKey.with("EncodingAESKey character %d is not a letter or digit", i+1)
		}
	}
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, ErrIllegalAesKey.with("EncodingAESKey does not decode to 32 bytes")
	}
	return key, nil
}

// NewCrypter prepares the crypto of the account whose EncodingAESKey and
// appid are given; the appid is written after each message and checked on
// decryption.
func NewCrypter(encodingAESKey, appid string) (*Crypter, error) {
	key, err := DecodeAESKey(encodingAESKey)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, ErrIllegalAesKey.with("%v", err)
	}
	return &Crypter{key: key, block: block, appid: appid}, nil
}

// AppID is the appid this crypter writes and expects.
func (c *Crypter) AppID() string { return c.appid }

// Encrypt seals msg with a fresh random 16-character prefix and returns the
// Base64 ciphertext for the Encrypt element.
func (c *Crypter) Encrypt(msg []byte) string {
	var random [16]byte
	randomAlnum(random[:])
	return c.EncryptWithRandom(msg, random[:])
}

// EncryptWithRandom seals msg with the given 16-byte random prefix; tests
// use it to reproduce the official known-answer vectors.
func (c *Crypter) EncryptWithRandom(msg, random []byte) string {
	n := 16 + 4 + len(msg) + len(c.appid)
	pad := blockPad - n%blockPad
	// Every push in safe and compat mode is encrypted: the padded
	// plaintext and its Base64 are built in one pooled buffer, so the
	// returned string is the only allocation besides the CBC state.
	bp := cryptBufs.Get().(*[]byte)
	size := n + pad
	buf := slices.Grow((*bp)[:0], size+base64.StdEncoding.EncodedLen(size))[:size]
	plain := buf[:size]
	copy(plain, random[:16])
	binary.BigEndian.PutUint32(plain[16:20], uint32(len(msg)))
	copy(plain[20:], msg)
	copy(plain[20+len(msg):], c.appid)
	for i := n; i < len(plain); i++ {
		plain[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(c.block, c.key[:16]).CryptBlocks(plain, plain)
	buf = base64.StdEncoding.AppendEncode(buf, plain)
	s := string(buf[size:])
	if cap(buf) <= 64<<10 {
		*bp = buf[:0]
		cryptBufs.Put(bp)
	}
	return s
}

// cryptBufs are scratch buffers for EncryptWithRandom.
var cryptBufs = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// Decrypt opens a Base64 ciphertext and returns the message and the appid
// found after it, without checking that appid. Errors carry the
// WXBizMsgCrypt code: DecodeBase64, DecryptAES or IllegalBuffer.
func (c *Crypter) Decrypt(encrypt string) (msg []byte, appid string, err error) {
	buf, err := base64.StdEncoding.DecodeString(encrypt)
	if err != nil {
		return nil, "", ErrDecodeBase64.with("%v", err)
	}
	if len(buf) == 0 || len(buf)%aes.BlockSize != 0 {
		return nil, "", ErrDecryptAES.with("ciphertext of %d bytes is not a whole number of AES blocks", len(buf))
	}
	cipher.NewCBCDecrypter(c.block, c.key[:16]).CryptBlocks(buf, buf)
	pad := int(buf[len(buf)-1])
	if pad < 1 || pad > blockPad || pad > len(buf) {
		return nil, "", ErrIllegalBuffer.with("padding byte %d is out of 1..32", pad)
	}
	buf = buf[:len(buf)-pad]
	if len(buf) < 20 {
		return nil, "", ErrIllegalBuffer.with("plaintext of %d bytes is shorter than its 20-byte header", len(buf))
	}
	size := binary.BigEndian.Uint32(buf[16:20])
	if uint64(size) > uint64(len(buf)-20) {
		return nil, "", ErrIllegalBuffer.with("message length %d exceeds the %d bytes left", size, len(buf)-20)
	}
	return buf[20 : 20+size], string(buf[20+size:]), nil
}

// Open decrypts like Decrypt and also checks that the trailing appid is this
// crypter's (ValidateAppid_Error otherwise).
func (c *Crypter) Open(encrypt string) ([]byte, error) {
	msg, appid, err := c.Decrypt(encrypt)
	if err != nil {
		return nil, err
	}
	if appid != c.appid {
		return nil, ErrValidateAppid.with("ciphertext is for appid %q, want %q", appid, c.appid)
	}
	return msg, nil
}

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomAlnum fills b with random letters and digits, as the official
// samples' random prefixes are.
func randomAlnum(b []byte) {
	rand.Read(b)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
}
