package wechat_test

import (
	"fmt"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// A push on the wire and the judge's verdict on two replies.
func Example() {
	codec, err := wechat.NewCodec(wechat.Account{
		AppID: "wx0123456789abcdef", OriginalID: "gh_0123456789ab", Token: "AAAAA", Mode: wechat.Plain,
	})
	if err != nil {
		panic(err)
	}
	kind, _ := wechat.LookupKind("text")
	push := &wechat.Push{Kind: kind, ToUserName: "gh_0123456789ab", FromUserName: "o_follower",
		CreateTime: 1714037059, MsgID: 1, Content: "hi"}

	body, encrypt := codec.Body(push, nil)
	query := codec.AppendQuery(nil, push.FromUserName, encrypt, "1714037059", "486452656")
	fmt.Printf("POST ?%s\n%s\n", query, body)

	reply := wechat.AppendTextReply(nil, push.FromUserName, push.ToUserName, 1714037060, "hello")
	fmt.Println(codec.Judge(200, reply, push).OK())
	v := codec.Judge(200, []byte(`{"errcode":0}`), push)
	fmt.Println(v.Reason)
	// Output:
	// POST ?signature=899cf89e464efb63f54ddac96b0a0a235f53aa78&timestamp=1714037059&nonce=486452656&openid=o_follower
	// <xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[o_follower]]></FromUserName><CreateTime>1714037059</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content><MsgId>1</MsgId></xml>
	// true
	// not_xml
}
