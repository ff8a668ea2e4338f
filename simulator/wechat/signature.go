package wechat

import (
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"slices"
	"sync"
)

// Signature is WeChat's signature over the token, timestamp and nonce: the
// three strings sorted, concatenated and hashed with SHA-1, in lower-case hex.
// It signs the GET handshake and the signature parameter of every push.
func Signature(token, timestamp, nonce string) string {
	return sortedSHA1(token, timestamp, nonce)
}

// MsgSignature is the signature over token, timestamp, nonce and the Encrypt
// value, used for the msg_signature parameter of encrypted pushes and the
// MsgSignature element of encrypted replies.
func MsgSignature(token, timestamp, nonce, encrypt string) string {
	return sortedSHA1(token, timestamp, nonce, encrypt)
}

// SignatureEqual compares two hex signatures in constant time.
func SignatureEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func sortedSHA1(parts ...string) string {
	var out [2 * sha1.Size]byte
	return string(appendSortedSHA1(out[:0], parts...))
}

// appendSignature appends Signature(token, timestamp, nonce) to dst.
func appendSignature(dst []byte, token, timestamp, nonce string) []byte {
	return appendSortedSHA1(dst, token, timestamp, nonce)
}

// appendMsgSignature appends MsgSignature(token, timestamp, nonce, encrypt) to dst.
func appendMsgSignature(dst []byte, token, timestamp, nonce, encrypt string) []byte {
	return appendSortedSHA1(dst, token, timestamp, nonce, encrypt)
}

// sha1Input holds the concatenated parts of a long signature input (one
// with a ciphertext), so signing allocates nothing.
var sha1Input = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// appendSortedSHA1 appends the lower-case hex SHA-1 of the parts, sorted
// and concatenated, to dst. Every push is signed once or twice, so it
// allocates nothing: at most four parts are sorted in an array on the
// stack, and the hash input is a stack buffer, or a pooled one for long
// inputs.
func appendSortedSHA1(dst []byte, parts ...string) []byte {
	var arr [4]string
	s := arr[:copy(arr[:], parts)]
	slices.Sort(s)
	n := 0
	for _, p := range s {
		n += len(p)
	}
	var sum [sha1.Size]byte
	if n <= 256 {
		var small [256]byte
		sum = sha1.Sum(concat(small[:0], s))
	} else {
		bp := sha1Input.Get().(*[]byte)
		buf := concat((*bp)[:0], s)
		sum = sha1.Sum(buf)
		if cap(buf) <= 64<<10 {
			*bp = buf[:0]
			sha1Input.Put(bp)
		}
	}
	return hex.AppendEncode(dst, sum[:])
}

func concat(dst []byte, parts []string) []byte {
	for _, p := range parts {
		dst = append(dst, p...)
	}
	return dst
}
