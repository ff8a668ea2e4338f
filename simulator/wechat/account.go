package wechat

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Account is an Official Account (or a third-party platform) as configured
// on WeChat's server configuration page. Token and EncodingAESKey are
// secrets: String, Validate and every error leave them out.
type Account struct {
	AppID          string // wx...; for a third-party platform the component appid
	Nickname       string // shown in alarms
	OriginalID     string // gh_..., the ToUserName of pushes
	Token          string // secret: signs every push and encrypted reply
	EncodingAESKey string // secret: 43 characters; "" in plain mode
	Mode           Mode
}

// ErrInvalidAccount is wrapped by every error of Account.Validate.
var ErrInvalidAccount = errors.New("invalid account")

// AccountError is an error of Account.Validate: the field at fault, by its
// Go name, and what is wrong with it, so that callers can say where the
// field was set (a flag, a variable, a line of a scenario) without parsing
// the message. Problem never quotes a secret.
type AccountError struct {
	Field   string // "AppID", "OriginalID", "Token", "Mode" or "EncodingAESKey"
	Problem string // e.g. "is empty"
	Err     error  // the cause, when another check found it (DecodeAESKey's)
}

// Error reads "invalid account: Token is empty", or with a cause
// "invalid account: EncodingAESKey: <cause>".
func (e *AccountError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %s", ErrInvalidAccount, e.Field, e.Problem)
	}
	return fmt.Sprintf("%s: %s %s", ErrInvalidAccount, e.Field, e.Problem)
}

// Unwrap makes the error match ErrInvalidAccount and its cause.
func (e *AccountError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrInvalidAccount, e.Err}
	}
	return []error{ErrInvalidAccount}
}

// Validate checks the account is usable: appid and token present and free of
// whitespace, a mode wxsim knows, and in compat and safe mode an
// EncodingAESKey that decodes. Errors name the field and what is wrong,
// never a secret's value.
func (a Account) Validate() error {
	bad := func(field, format string, args ...any) error {
		return &AccountError{Field: field, Problem: fmt.Sprintf(format, args...)}
	}
	switch {
	case a.AppID == "":
		return bad("AppID", "is empty")
	case hasSpace(a.AppID):
		return bad("AppID", "%q contains whitespace or control characters", a.AppID)
	case hasSpace(a.OriginalID):
		return bad("OriginalID", "%q contains whitespace or control characters", a.OriginalID)
	case a.Token == "":
		return bad("Token", "is empty")
	case hasSpace(a.Token):
		return bad("Token", "contains whitespace or control characters (a copy-and-paste slip?)")
	case a.Mode > Safe:
		return bad("Mode", "%d is not plain, compat or safe", a.Mode)
	case a.Mode.Encrypted() && a.EncodingAESKey == "":
		return bad("EncodingAESKey", "is empty, but %s mode encrypts", a.Mode)
	}
	if a.EncodingAESKey != "" {
		if _, err := DecodeAESKey(a.EncodingAESKey); err != nil {
			// DecodeAESKey's details give lengths and positions, never the key.
			return &AccountError{Field: "EncodingAESKey", Problem: err.Error(), Err: err}
		}
	}
	return nil
}

// String describes the account without its secrets, e.g.
// `wx0123456789abcdef "Demo Account" gh_0123456789ab safe`.
func (a Account) String() string {
	var b strings.Builder
	b.WriteString(a.AppID)
	if a.Nickname != "" {
		fmt.Fprintf(&b, " %q", a.Nickname)
	}
	if a.OriginalID != "" {
		b.WriteString(" " + a.OriginalID)
	}
	b.WriteString(" " + a.Mode.String())
	return b.String()
}

// GoString keeps %#v from printing the secrets too.
func (a Account) GoString() string { return "wechat.Account{" + a.String() + "}" }

// hasSpace reports whether s contains whitespace or control characters,
// which no appid, original id or token has.
func hasSpace(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0
}
