package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wxsim/wxsim/simulator"
	"github.com/wxsim/wxsim/simulator/wechat"
)

// pushCommand sends one push and shows everything about it.
func (a *app) pushCommand() *cobra.Command {
	var (
		acct     accountFlags
		tf       transportFlags
		kind     string
		content  string
		eventKey string
		openid   string
	)
	c := &cobra.Command{
		Use:   "push --kind K",
		Short: "one push of kind K; prints the request, the (decrypted) reply, the outcome and the latency",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			account, u, err := acct.target(c.Flags())
			if err != nil {
				return err
			}
			k, err := wechat.LookupKind(kind)
			if err != nil {
				return usageErr("--kind: %v", err)
			}
			if err := checkKindFlags(c.Flags(), k); err != nil {
				return err
			}
			cfg, err := tf.config()
			if err != nil {
				return err
			}
			codec, err := wechat.NewCodec(account)
			if err != nil {
				return asUsage(err)
			}
			p := newPush(k, account, openid, content, eventKey)
			fmt.Fprintf(a.stdout, "push %s to %s (%s; %s)\n", k.Name, u, describe(account), tf.limitsLine())
			x := simulator.NewProber(cfg, tf.maxReply).Push(c.Context(), u, codec, p)
			a.printExchange(x, codec)
			if x.Outcome.Class != simulator.OK {
				return errVerdictFailed
			}
			return nil
		},
	}
	acct.register(c.Flags(), true)
	tf.register(c.Flags())
	c.Flags().StringVar(&kind, "kind", "text", "the push kind: "+kindNames())
	c.Flags().StringVar(&content, "content", "", "the text message's Content")
	c.Flags().StringVar(&eventKey, "event-key", "", "the EventKey of click, view, scan and subscribe_qr")
	c.Flags().StringVar(&openid, "openid", "oWxsimDemoFollower0000000001", "the follower's openid (FromUserName)")
	return c
}

// checkKindFlags refuses --content and --event-key for a kind that does
// not carry them: the push would go out without the value, and the user
// would believe the endpoint was sent it.
func checkKindFlags(fs *pflag.FlagSet, k *wechat.Kind) error {
	content, eventKey := kindCarries(k)
	if fs.Changed("content") && !content {
		return usageErr("--content: a %s push has no Content (only %s pushes do)", k.Name, carrying(true))
	}
	if fs.Changed("event-key") && !eventKey {
		return usageErr("--event-key: a %s push has no EventKey to set (only %s pushes do)", k.Name, carrying(false))
	}
	return nil
}

// carrying lists the kinds that carry a Content (content) or a settable
// EventKey, for checkKindFlags' messages.
func carrying(content bool) string {
	var names []string
	for _, k := range wechat.Kinds() {
		c, e := kindCarries(k)
		if (content && c) || (!content && e) {
			names = append(names, k.Name)
		}
	}
	return strings.Join(names, ", ")
}

// newPush fills a push of kind k as WeChat would send it now.
func newPush(k *wechat.Kind, account wechat.Account, openid, content, eventKey string) *wechat.Push {
	now := time.Now()
	p := &wechat.Push{Kind: k, ToUserName: account.OriginalID, FromUserName: openid,
		CreateTime: now.Unix(), MsgID: uint64(now.UnixNano()), Content: content, EventKey: eventKey}
	if k.Component {
		p.ToUserName, p.FromUserName = account.AppID, ""
	}
	return p
}

// printExchange shows a delivery: request, reply, verdict.
func (a *app) printExchange(x simulator.Exchange, codec *wechat.Codec) {
	w := a.stdout
	fmt.Fprintf(w, "\n> POST %s\n> Content-Type: text/xml\n> User-Agent: Mozilla/4.0\n>\n%s\n", x.URL, indent("> ", x.RequestBody))
	if cr := codec.Crypter(); cr != nil && len(x.RequestBody) > 0 {
		if p, plain, err := codec.Open(queryOf(x.URL), x.RequestBody); err == nil && p != nil {
			fmt.Fprintf(w, "> (decrypted)\n%s\n", indent(">   ", plain))
		}
	}
	o := x.Outcome
	if x.Status != 0 {
		fmt.Fprintf(w, "\n< HTTP %d\n%s\n", x.Status, indent("< ", x.Reply))
		if x.Verdict.Encrypted {
			fmt.Fprintf(w, "< (decrypted)\n%s\n", indent("<   ", x.Verdict.Reply))
		}
	}
	verdict := "OK"
	if o.Class != simulator.OK {
		verdict = "FAIL"
	}
	line := fmt.Sprintf("\nverdict: %s — outcome %s", verdict, o.Class)
	if o.Reason != "" {
		line += " (" + string(o.Reason) + ")"
	}
	if o.Class == simulator.OK && x.Verdict.ReplyType != "" {
		line += ", reply " + x.Verdict.ReplyType
	}
	if o.Detail != "" {
		line += ": " + o.Detail
	}
	fmt.Fprintf(w, "%s; latency %s\n", line, o.Latency.Round(time.Microsecond))
}

func indent(prefix string, b []byte) string {
	if len(b) == 0 {
		return prefix + "(empty body)"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return prefix + strings.Join(lines, "\n"+prefix)
}

func kindNames() string {
	var names []string
	for _, k := range wechat.Kinds() {
		names = append(names, k.Name)
	}
	return strings.Join(names, ", ")
}
