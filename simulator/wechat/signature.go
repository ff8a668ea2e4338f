package wechat

import (
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"slices"
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
	// At most four parts: sorting a small array on the stack keeps the hot
	// path free of allocations beyond the hash input.
	var arr [4]string
	s := arr[:copy(arr[:], parts)]
	slices.Sort(s)
	n := 0
	for _, p := range s {
		n += len(p)
	}
	buf := make([]byte, 0, n)
	for _, p := range s {
		buf = append(buf, p...)
	}
	sum := sha1.Sum(buf)
	var out [2 * sha1.Size]byte
	hex.Encode(out[:], sum[:])
	return string(out[:])
}
