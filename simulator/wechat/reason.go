package wechat

// Reason names why WeChat would count a reply as a response failure (回应失败).
// The spellings are the stable keys of the JSON summary.
type Reason string

// The reasons of product.md §2; the empty Reason means the reply is valid.
const (
	ReasonNone            Reason = ""
	ReasonHTTPStatus      Reason = "http_status"       // not HTTP 200
	ReasonNotXML          Reason = "not_xml"           // body is neither success, empty nor XML
	ReasonBadReply        Reason = "bad_reply"         // XML, but wrong or missing elements
	ReasonWrongSwap       Reason = "wrong_swap"        // ToUserName/FromUserName not swapped
	ReasonBadMsgSignature Reason = "bad_msg_signature" // encrypted reply's MsgSignature wrong
	ReasonDecryptFailed   Reason = "decrypt_failed"    // Encrypt does not decrypt
	ReasonWrongAppID      Reason = "wrong_appid"       // ciphertext for another appid
	ReasonUnencrypted     Reason = "unencrypted"       // plain passive reply in safe mode
	ReasonTooLarge        Reason = "too_large"         // body larger than the read limit
)

// Reasons lists every failure reason, in the order reports print them.
func Reasons() []Reason {
	return []Reason{ReasonHTTPStatus, ReasonNotXML, ReasonBadReply, ReasonWrongSwap,
		ReasonBadMsgSignature, ReasonDecryptFailed, ReasonWrongAppID, ReasonUnencrypted, ReasonTooLarge}
}
