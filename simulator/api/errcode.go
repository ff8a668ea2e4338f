package api

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// The errcodes the mock answers, from wechat-protocol.md §8 and WeChat's
// global return-code page.
const (
	CodeOK                = 0
	CodeInvalidCredential = 40001 // access_token superseded ("not latest")
	CodeInvalidGrantType  = 40002
	CodeInvalidOpenID     = 40003
	CodeInvalidMsgType    = 40008
	CodeInvalidAppID      = 40013
	CodeInvalidToken      = 40014 // access_token never issued (or long forgotten)
	CodeInvalidSecret     = 40125
	CodeIPNotAllowed      = 40164
	CodeInvalidURL        = 40201
	CodeInvalidAction     = 40202
	CodeInvalidOperator   = 40203
	CodeMissingToken      = 41001
	CodeMissingAppID      = 41002
	CodeMissingSecret     = 41004
	CodeTokenExpired      = 42001
	CodeRequireGET        = 43001
	CodeRequirePOST       = 43002
	CodeEmptyPostData     = 44002
	CodeEmptyContent      = 44004
	CodeDailyQuota        = 45009
	CodeMinuteQuota       = 45011
	CodeDataFormat        = 47001
)

// errmsgs are WeChat's texts for each code; the request id is appended.
var errmsgs = map[int]string{
	CodeInvalidCredential: "invalid credential, access_token is invalid or not latest",
	CodeInvalidGrantType:  "invalid grant_type",
	CodeInvalidOpenID:     "invalid openid",
	CodeInvalidMsgType:    "invalid message type",
	CodeInvalidAppID:      "invalid appid",
	CodeInvalidToken:      "invalid access_token",
	CodeInvalidSecret:     "invalid appsecret",
	CodeInvalidURL:        "invalid url",
	CodeInvalidAction:     "invalid action",
	CodeInvalidOperator:   "invalid check operator",
	CodeMissingToken:      "access_token missing",
	CodeMissingAppID:      "appid missing",
	CodeMissingSecret:     "appsecret missing",
	CodeTokenExpired:      "access_token expired",
	CodeRequireGET:        "require GET method",
	CodeRequirePOST:       "require POST method",
	CodeEmptyPostData:     "empty post data",
	CodeEmptyContent:      "empty content",
	CodeDailyQuota:        "reach max api daily quota limit",
	CodeMinuteQuota:       "api minute-quota reach limit, must slower, retry next minute",
	CodeDataFormat:        "data format error",
}

// apiError is a WeChat error answer: errcode and errmsg, without the rid,
// which is added when it is written.
type apiError struct {
	code int
	msg  string
}

// fail returns the error for code with WeChat's text.
func fail(code int) *apiError {
	return &apiError{code: code, msg: errmsgs[code]}
}

// ipNotAllowed is 40164, which names the caller's address twice, as
// WeChat does: the IPv4 form and its IPv4-mapped IPv6 form.
func ipNotAllowed(ip, ip6 string) *apiError {
	return &apiError{code: CodeIPNotAllowed, msg: fmt.Sprintf("invalid ip %s ipv6 %s, not in whitelist", ip, ip6)}
}

// contentType is what WeChat's API sends (a real capture of /cgi-bin/token).
const contentType = "application/json; encoding=utf-8"

// writeJSON answers v with HTTP 200, as WeChat answers errors too.
func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil { // only our own types are written; this is a bug
		http.Error(w, "api: encoding the answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	w.Write(append(b, '\n'))
}

// writeError answers e with a fresh request id.
func writeError(w http.ResponseWriter, e *apiError, now time.Time) {
	writeJSON(w, struct {
		Errcode int    `json:"errcode"`
		Errmsg  string `json:"errmsg"`
	}{e.code, e.msg + " rid: " + rid(now)})
}

// writeOK answers {"errcode":0,"errmsg":"ok"}.
func writeOK(w http.ResponseWriter) {
	writeJSON(w, struct {
		Errcode int    `json:"errcode"`
		Errmsg  string `json:"errmsg"`
	}{CodeOK, "ok"})
}

// rid is a request id shaped like WeChat's, xxxxxxxx-xxxxxxxx-xxxxxxxx;
// the first part of real ones is the Unix time in hex, so ours is too.
func rid(now time.Time) string {
	return fmt.Sprintf("%08x-%08x-%08x", uint32(now.Unix()), rand.Uint32(), rand.Uint32())
}
