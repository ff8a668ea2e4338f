package endpoint

import (
	"net/http"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// serveHandshake answers the GET WeChat sends when the developer saves the
// server configuration: the echostr, unchanged, as the whole body when the
// signature over token, timestamp and nonce is right; 401 and no echo
// otherwise. The handshake is the same in every mode: echostr is never
// encrypted for Official Accounts.
func (e *Endpoint) serveHandshake(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	echo := q.Get("echostr")
	signed := e.b.Name == Unsigned ||
		wechat.SignatureEqual(wechat.Signature(e.account.Token, q.Get("timestamp"), q.Get("nonce")), q.Get("signature"))
	if !e.hold(w, r) {
		return
	}
	switch {
	case !signed:
		e.stats.badSignature.Add(1)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
	case echo == "":
		e.stats.badRequest.Add(1)
		http.Error(w, "missing echostr", http.StatusBadRequest)
	default:
		e.stats.handshakes.Add(1)
		writeBody(w, http.StatusOK, contentPlain, []byte(echo))
	}
}
