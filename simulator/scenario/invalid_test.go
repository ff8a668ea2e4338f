package scenario

import (
	"errors"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
)

// validHead is the start of a valid scenario; the cases add to it or
// change one line of it.
const validHead = `name: t
url: http://127.0.0.1:8080/wechat
account:
  appid: wx0123456789abcdef
  token: ${WXSIM_TOKEN}
`

// TestInvalidScenarios: every problem names the file, the line and the
// field, exactly.
func TestInvalidScenarios(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown field", validHead + "rate: 10/s\nduration: 1s\nrtae: 5\n",
			`bad.yaml:8: rtae: unknown field (known: name, description, url, account, accounts, rate, every, stages, duration, mix, followers, workers, max_workers, timeouts, keepalive, insecure, source_ips, max_reply_bytes, retries, markfail, alarms, thresholds)`},
		{"unknown field in an account", validHead + "  apid: wx1\nrate: 10/s\nduration: 1s\n",
			`bad.yaml:6: account.apid: unknown field (known: appid, nickname, original_id, token, aes_key, mode)`},
		{"bad duration", validHead + "rate: 10/s\nduration: 10\n",
			`bad.yaml:7: duration: "10" is not a duration (want e.g. 30s, 5m or 1h30m)`},
		{"negative duration", validHead + "rate: 10/s\nduration: -5s\n",
			`bad.yaml:7: duration: must be above 0, got -5s`},
		{"bad rate", validHead + "rate: fast\nduration: 1s\n",
			`bad.yaml:6: rate: "fast" is not a rate (want e.g. 200/s, 12000/m or 0.5/s)`},
		{"zero rate", validHead + "rate: 0/s\nduration: 1s\n",
			`bad.yaml:6: rate: must be above 0 (a closed loop at full speed is wxsim attack --rate 0 --workers N)`},
		{"bad mix kind", validHead + "rate: 10/s\nduration: 1s\nmix: text=6,clik=2\n",
			`bad.yaml:8: mix: unknown push kind "clik" (valid: text, image, voice, video, shortvideo, location, link, subscribe, subscribe_qr, unsubscribe, scan, location_event, click, view, templatesendjobfinish, masssendjobfinish, component_verify_ticket, authorized, unauthorized, updateauthorized)`},
		{"bad mix kind in a mapping", validHead + "rate: 10/s\nduration: 1s\nmix:\n  text: 6\n  clik: 2\n",
			`bad.yaml:10: mix.clik: unknown push kind "clik" (valid: text, image, voice, video, shortvideo, location, link, subscribe, subscribe_qr, unsubscribe, scan, location_event, click, view, templatesendjobfinish, masssendjobfinish, component_verify_ticket, authorized, unauthorized, updateauthorized)`},
		{"bad mix weight", validHead + "rate: 10/s\nduration: 1s\nmix: {text: 6, click: lots}\n",
			`bad.yaml:8: mix.click: weight of click: "lots" is not a whole number`},
		{"mix with no weight", validHead + "rate: 10/s\nduration: 1s\nmix: text=0\n",
			`bad.yaml:8: mix: no kind with a weight above 0`},
		{"ramp with a negative target", validHead + "stages:\n  - {kind: ramp, duration: 10s, target: 100/s}\n  - kind: ramp\n    duration: 10s\n    target: -50/s\n",
			`bad.yaml:10: stages[1].target: must be 0 or more, got -50/s`},
		{"sine amp at the mean", validHead + "stages:\n  - {kind: sine, duration: 1m, target: 100/s, amp: 100/s, period: 10s}\n",
			`bad.yaml:7: stages[0].amp: must be < target (100), got 100`},
		{"sine without a period", validHead + "stages:\n  - kind: sine\n    duration: 1m\n    target: 100/s\n    amp: 50/s\n",
			`bad.yaml:7: stages[0].period: must be > 0, got 0s`},
		{"from on a hold", validHead + "stages:\n  - {kind: hold, duration: 1m, target: 100/s, from: 10/s}\n",
			`bad.yaml:7: stages[0].from: a hold stage has no from (only a ramp does)`},
		{"stage without a duration", validHead + "stages:\n  - {kind: hold, target: 100/s}\n",
			`bad.yaml:7: stages[0].duration: required: how long the stage lasts, such as 30s`},
		{"unknown stage kind", validHead + "stages:\n  - {kind: jump, duration: 1m, target: 100/s}\n",
			`bad.yaml:7: stages[0].kind: unknown stage kind "jump" (want ramp, hold, sine or step)`},
		{"unknown stage field", validHead + "stages:\n  - {kind: hold, duration: 1m, rate: 100/s}\n",
			`bad.yaml:7: stages[0].rate: unknown field (known: kind, duration, from, target, amp, period)`},
		{"missing url", strings.Replace(validHead, "url: http://127.0.0.1:8080/wechat\n", "", 1) + "rate: 10/s\nduration: 1s\n",
			`bad.yaml:1: url: required: the endpoint's callback URL, such as http://127.0.0.1:8080/wechat`},
		{"url with a query", strings.Replace(validHead, "/wechat", "/wechat?a=1", 1) + "rate: 10/s\nduration: 1s\n",
			`bad.yaml:2: url: "http://127.0.0.1:8080/wechat?a=1": give the callback URL without a query; wxsim adds WeChat's parameters`},
		{"missing token", strings.Replace(validHead, "  token: ${WXSIM_TOKEN}\n", "", 1) + "rate: 10/s\nduration: 1s\n",
			`bad.yaml:3: account.token: required: the Token of the server configuration (write ${WXSIM_TOKEN} to keep it out of the file)`},
		{"token from an unset variable", strings.Replace(validHead, "${WXSIM_TOKEN}", "${WXSIM_NO_TOKEN}", 1) + "rate: 10/s\nduration: 1s\n",
			`bad.yaml:5: account.token: ${WXSIM_NO_TOKEN}: the environment variable WXSIM_NO_TOKEN is not set (export it, or give a default: ${WXSIM_NO_TOKEN:-value})`},
		{"bad mode", validHead + "  mode: secure\nrate: 10/s\nduration: 1s\n",
			`bad.yaml:6: account.mode: "secure": want plain, compat or safe`},
		{"safe mode without a key", validHead + "  mode: safe\nrate: 10/s\nduration: 1s\n",
			`bad.yaml:6: account.mode: safe mode needs aes_key (the EncodingAESKey, 43 characters)`},
		{"short AES key", validHead + "  aes_key: tooShort\nrate: 10/s\nduration: 1s\n",
			`bad.yaml:6: account.aes_key: IllegalAesKey (-40004): EncodingAESKey has 8 characters, want 43`},
		{"threshold with an unknown metric", validHead + "rate: 10/s\nduration: 1s\nthresholds:\n  - p99 < 1s\n  - p98 < 1s\n",
			`bad.yaml:10: thresholds[1]: "p98 < 1s": unknown metric "p98" (known: p50, p90, p95, p99, max, ok_ratio, dns_failure_ratio, connect_timeout_ratio, connect_failure_ratio, request_timeout_ratio, response_failure_ratio, blocked_ratio, http_status_ratio, not_xml_ratio, bad_reply_ratio, wrong_swap_ratio, bad_msg_signature_ratio, decrypt_failed_ratio, wrong_appid_ratio, unencrypted_ratio, too_large_ratio, markfail, alarms, lost, late, unsent, retries, achieved_rate)`},
		{"no rate", validHead + "duration: 1s\n",
			`bad.yaml:1: rate: required: give rate (e.g. 200/s), every (e.g. 10m) or stages`},
		{"rate and stages", validHead + "rate: 10/s\nstages:\n  - {duration: 1s, target: 5/s}\n",
			`bad.yaml:7: stages: give one of rate, every and stages, not rate and stages`},
		{"rate without a duration", validHead + "rate: 10/s\n",
			`bad.yaml:1: duration: required with rate or every: how long to push (e.g. 30s), or give stages instead`},
		{"a list where a mapping belongs", validHead + "rate: 10/s\nduration: 1s\nmarkfail: [60s, 100]\n",
			`bad.yaml:8: markfail: want a mapping (field: value lines), got a list`},
		{"a mapping where a value belongs", validHead + "rate: {per: 10s}\nduration: 1s\n",
			`bad.yaml:6: rate: want a single value, got a mapping (field: value lines)`},
		{"markfail window under a second", validHead + "rate: 10/s\nduration: 1s\nmarkfail:\n  window: 500ms\n",
			`bad.yaml:9: markfail.window: must be at least 1s (failures are counted per second), got 500ms`},
		{"markfail ratio", validHead + "rate: 10/s\nduration: 1s\nmarkfail: {ratio: 1.5}\n",
			`bad.yaml:8: markfail.ratio: want a ratio between 0 and 1 such as 0.5, got "1.5"`},
		{"retries", validHead + "rate: 10/s\nduration: 1s\nretries: two\n",
			`bad.yaml:8: retries: "two" is not a whole number`},
		{"keepalive", validHead + "rate: 10/s\nduration: 1s\nkeepalive: yes\n",
			`bad.yaml:8: keepalive: want true or false, got "yes"`},
		{"source address", validHead + "rate: 10/s\nduration: 1s\nsource_ips: [127.0.0.2, localhost]\n",
			`bad.yaml:8: source_ips[1]: "localhost" is not an IP address`},
		{"key given twice", validHead + "rate: 10/s\nduration: 1s\nrate: 20/s\n",
			`bad.yaml:8: rate: given twice (first on line 6)`},
		{"syntax", validHead + "rate: '10/s\nduration: 1s\n",
			`bad.yaml:6: not valid YAML: could not find end character of single-quoted text`},
		{"empty", "# nothing but a comment\n",
			`bad.yaml: empty: a scenario needs at least url, account (with appid and token), a rate and a duration`},
		{"two documents", validHead + "rate: 10/s\nduration: 1s\n---\nname: u\n",
			`bad.yaml:9: a second YAML document: give one scenario per file`},
		{"a list at the top", "- url: http://x/\n",
			`bad.yaml:1: want a mapping of fields (url: …, account: …) at the top, got a list`},
		{"account and accounts", validHead + "rate: 10/s\nduration: 1s\naccounts:\n  - {name: b, appid: wx1, token: t}\n",
			`bad.yaml:8: accounts: give either account (one account) or accounts (several), not both`},
		{"no account", "url: http://127.0.0.1:8080/wechat\nrate: 10/s\nduration: 1s\n",
			`bad.yaml:1: account: required: the account that pushes (appid and token at least), or accounts for several`},
		{"accounts not a list", "url: http://x/\nrate: 10/s\nduration: 1s\naccounts:\n  name: a\n",
			`bad.yaml:5: accounts: want a list, got a mapping (field: value lines)`},
		{"account without a name", "url: http://x/\nrate: 10/s\nduration: 1s\naccounts:\n  - {appid: wx1, token: t}\n",
			`bad.yaml:5: accounts[0].name: required: a name for the account, unique in the scenario`},
		{"two accounts of one appid", "url: http://x/\nrate: 10/s\nduration: 1s\naccounts:\n  - {name: a, appid: wx1, token: t}\n  - {name: b, appid: wx1, token: u}\n",
			`bad.yaml:6: accounts[1].appid: wx1 is already the appid of accounts[0], with other settings: one appid is one account (same token, key, mode and ids)`},
		{"an account's bad rate", "url: http://x/\nduration: 1s\naccounts:\n  - name: a\n    appid: wx1\n    token: t\n    rate: 5 per second\n",
			`bad.yaml:7: accounts[0].rate: "5 per second" is not a rate (want e.g. 200/s, 12000/m or 0.5/s)`},
		{"an account without a url", "rate: 10/s\nduration: 1s\naccounts:\n  - name: a\n    appid: wx1\n    token: t\n",
			`bad.yaml:4: accounts[0].url: required: the endpoint's callback URL, such as http://127.0.0.1:8080/wechat`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			s, err := Parse("bad.yaml", []byte(tc.yaml), testOptions)
			g.Expect(s).To(BeNil())
			g.Expect(err).To(MatchError(tc.want))
			g.Expect(errors.Is(err, ErrInvalid)).To(BeTrue())
			g.Expect(err.Error()).NotTo(ContainSubstring(testEnv["WXSIM_TOKEN"]))
		})
	}
}
