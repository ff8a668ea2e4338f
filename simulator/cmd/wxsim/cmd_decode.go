package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"

	"github.com/beevik/etree"
	"github.com/spf13/cobra"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// decodeCommand verifies and decrypts a captured push or encrypted reply.
func (a *app) decodeCommand() *cobra.Command {
	var acct accountFlags
	c := &cobra.Command{
		Use:   "decode --url 'URL?signature=…' < body",
		Short: "verify and decrypt a captured push (URL with its query, body on stdin) or an encrypted reply (body on stdin)",
		Long: `Reads a captured body on standard input. A push is given with its URL and
query (--url), and every signature present is checked (signature, and
msg_signature when the body is encrypted). An encrypted reply
(<Encrypt>, <MsgSignature>, <TimeStamp>, <Nonce>) needs no URL: its
MsgSignature is checked and it is decrypted. Failures print the
WXBizMsgCrypt error code (e.g. -40001) and exit 1.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			acct.fromEnv(c.Flags())
			if acct.token == "" {
				return usageErr("--token (or WXSIM_TOKEN) is required to check signatures")
			}
			if acct.mode == "" {
				acct.mode = "plain"
				if acct.aesKey != "" {
					acct.mode = "safe"
				}
			}
			account, err := acct.account(c.Flags())
			if err != nil {
				return err
			}
			codec, err := wechat.NewCodec(account)
			if err != nil {
				return asUsage(err)
			}
			body, err := io.ReadAll(io.LimitReader(a.stdin, 4<<20))
			if err != nil {
				return usageErr("standard input: %v", err)
			}
			if len(bytes.TrimSpace(body)) == 0 {
				return usageErr("decode: nothing on standard input: pipe the captured push or reply body in")
			}
			return a.decode(acct.url, body, codec)
		},
	}
	acct.register(c.Flags(), true)
	return c
}

func (a *app) decode(rawURL string, body []byte, codec *wechat.Codec) error {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(body); err != nil || doc.Root() == nil {
		fmt.Fprintf(a.stdout, "not XML: %s\n", wechat.ErrParseXML)
		return errVerdictFailed
	}
	if doc.Root().SelectElement("MsgSignature") != nil {
		return a.decodeReply(doc, codec)
	}
	if rawURL == "" {
		return usageErr("--url: a captured push needs its URL with the query WeChat sent (signature, timestamp, nonce…)")
	}
	p, plain, err := codec.Open(queryOf(rawURL), body)
	if err != nil {
		return a.cryptFailure("push", err)
	}
	fmt.Fprintf(a.stdout, "push %s: signatures valid\n%s\n", p.Kind.Name, plain)
	return nil
}

// decodeReply checks an encrypted reply's MsgSignature and decrypts it.
func (a *app) decodeReply(doc *etree.Document, codec *wechat.Codec) error {
	text := func(name string) string {
		if e := doc.Root().SelectElement(name); e != nil {
			return e.Text()
		}
		return ""
	}
	enc, sig, ts, nonce := text("Encrypt"), text("MsgSignature"), text("TimeStamp"), text("Nonce")
	cr := codec.Crypter()
	if cr == nil {
		return usageErr("--aes-key is required to decrypt an encrypted reply")
	}
	if !wechat.SignatureEqual(sig, wechat.MsgSignature(codec.Account().Token, ts, nonce, enc)) {
		return a.cryptFailure("reply", wechat.ErrValidateSignature)
	}
	msg, err := cr.Open(enc)
	if err != nil {
		return a.cryptFailure("reply", err)
	}
	fmt.Fprintf(a.stdout, "encrypted reply: MsgSignature valid, appid %s\n%s\n", cr.AppID(), msg)
	return nil
}

func (a *app) cryptFailure(what string, err error) error {
	var ce *wechat.CryptError
	if errors.As(err, &ce) {
		fmt.Fprintf(a.stdout, "%s rejected: %s\n", what, ce)
	} else {
		fmt.Fprintf(a.stdout, "%s rejected: %v\n", what, err)
	}
	return errVerdictFailed
}

// queryOf returns the query of a URL (empty when it has none or is bad).
func queryOf(rawURL string) url.Values {
	u, err := url.Parse(rawURL)
	if err != nil {
		return url.Values{}
	}
	return u.Query()
}
