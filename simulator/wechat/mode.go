package wechat

import "fmt"

// Mode is an account's message encryption mode, as chosen on the WeChat
// platform's server configuration page.
type Mode uint8

const (
	// Plain (明文模式): plaintext bodies, only the signature parameter.
	Plain Mode = iota
	// Compat (兼容模式): plaintext elements plus an Encrypt element; replies
	// may be plain or encrypted.
	Compat
	// Safe (安全模式): only ToUserName and Encrypt; replies must be encrypted
	// unless they are "success" or empty.
	Safe
)

var modeNames = [...]string{Plain: "plain", Compat: "compat", Safe: "safe"}

// String returns the mode's flag spelling.
func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("mode(%d)", uint8(m))
}

// Encrypted reports whether pushes in this mode carry an Encrypt element and
// the encrypt_type and msg_signature query parameters.
func (m Mode) Encrypted() bool { return m == Compat || m == Safe }

// ParseMode reads a mode's flag spelling: plain, compat or safe.
func ParseMode(s string) (Mode, error) {
	for i, n := range modeNames {
		if n == s {
			return Mode(i), nil
		}
	}
	return Plain, fmt.Errorf("mode %q: want plain, compat or safe", s)
}

// Modes lists every mode, in order.
func Modes() []Mode { return []Mode{Plain, Compat, Safe} }
