package wechat

import "fmt"

// CryptError is a failure of the message crypto, carrying the code the
// official WXBizMsgCrypt samples return for it (the same numbers in every
// language's sample), so users can match them against their SDK's logs.
type CryptError struct {
	Code   int    // e.g. -40001
	Name   string // e.g. ValidateSignature_Error
	Detail string // what exactly was wrong, never a secret
}

func (e *CryptError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("%s (%d)", e.Name, e.Code)
	}
	return fmt.Sprintf("%s (%d): %s", e.Name, e.Code, e.Detail)
}

// Is matches any CryptError with the same code, so callers can write
// errors.Is(err, wechat.ErrValidateAppid) whatever the detail.
func (e *CryptError) Is(target error) bool {
	t, ok := target.(*CryptError)
	return ok && t.Code == e.Code
}

// with returns a copy of the sentinel carrying a detail.
func (e *CryptError) with(format string, args ...any) *CryptError {
	return &CryptError{Code: e.Code, Name: e.Name, Detail: fmt.Sprintf(format, args...)}
}

// The WXBizMsgCrypt error codes (ierror.py of the official samples).
var (
	ErrValidateSignature = &CryptError{Code: -40001, Name: "ValidateSignature_Error"}
	ErrParseXML          = &CryptError{Code: -40002, Name: "ParseXml_Error"}
	ErrComputeSignature  = &CryptError{Code: -40003, Name: "ComputeSignature_Error"}
	ErrIllegalAesKey     = &CryptError{Code: -40004, Name: "IllegalAesKey"}
	ErrValidateAppid     = &CryptError{Code: -40005, Name: "ValidateAppid_Error"}
	ErrEncryptAES        = &CryptError{Code: -40006, Name: "EncryptAES_Error"}
	ErrDecryptAES        = &CryptError{Code: -40007, Name: "DecryptAES_Error"}
	ErrIllegalBuffer     = &CryptError{Code: -40008, Name: "IllegalBuffer"}
	ErrEncodeBase64      = &CryptError{Code: -40009, Name: "EncodeBase64_Error"}
	ErrDecodeBase64      = &CryptError{Code: -40010, Name: "DecodeBase64_Error"}
	ErrGenReturnXML      = &CryptError{Code: -40011, Name: "GenReturnXml_Error"}
)
