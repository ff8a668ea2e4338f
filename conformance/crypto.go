package conformance

import (
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2" //nolint:revive // the Ginkgo DSL reads best unqualified

	"github.com/wxsim/wxsim/simulator/wechat"
)

// cryptoCases: encrypted replies (wechat-protocol.md §4, §6). Both judge
// the basic set's deliveries by WeChat's own judge in the account's mode;
// the case of the other mode is skipped.
func cryptoCases() {
	Describe("crypto", func() {
		// "safe → encrypted reply required (except bare success/empty)"; "MsgSignature … WeChat verifies it".
		Case("crypto/1", Must, "In safe mode every passive reply is encrypted: its MsgSignature verifies and it decrypts to a reply for the account's appid; success and the empty body may stay unencrypted.",
			func(sc SpecContext) { cryptoCase(sc, wechat.Safe) })
		// "compatible → plaintext or encrypted both accepted".
		Case("crypto/2", Must, "In compat mode a passive reply may be plaintext or encrypted; an encrypted one has a MsgSignature that verifies and decrypts to a reply for the account's appid.",
			func(sc SpecContext) { cryptoCase(sc, wechat.Compat) })
	})
}

const fixCrypto = "Encrypt passive replies as <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>: AES-256-CBC with the EncodingAESKey " +
	"over random(16) + length + reply + your appid, MsgSignature = sha1(sort(token, TimeStamp, Nonce, Encrypt)); " +
	"in safe mode only success and the empty body may stay plaintext."

// cryptoCase judges the encryption of every basic-set reply that came back
// with HTTP 200, for an account in mode m.
func cryptoCase(sc SpecContext, m wechat.Mode) {
	s, ctx, done := begin(sc)
	defer done()
	if s.cfg.Account.Mode != m {
		Skip(fmt.Sprintf("not applicable: the account is in %s mode, this case is for %s mode", s.cfg.Account.Mode, m))
	}
	var judged int
	var bad []string
	var first, shown *delivery
	for _, k := range basicKinds() {
		d := s.delivered(ctx, k)
		if !d.answered() || d.x.Status != http.StatusOK {
			continue
		}
		judged++
		if first == nil || d.x.Verdict.Encrypted {
			first = d
		}
		if r := d.x.Outcome.Reason; isCryptoReason(r) {
			bad = append(bad, fmt.Sprintf("%s: %s (%s)", k.Name, r, d.x.Outcome.Detail))
			if shown == nil {
				shown = d
			}
		}
	}
	if judged == 0 {
		Skip("no push of the basic set was answered with HTTP 200: see reply/1")
	}
	if shown == nil {
		shown = first
	}
	attachExchange(shown.x, shown.push, s.codec)
	if len(bad) > 0 {
		failCase(finding{
			expected: fmt.Sprintf("passive replies WeChat accepts in %s mode", m),
			seen:     strings.Join(bad, "; "),
			fix:      fixCrypto,
		})
	}
}
