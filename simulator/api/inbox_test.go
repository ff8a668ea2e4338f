package api

import (
	"fmt"
	"testing"

	. "github.com/onsi/gomega"
)

// Accepted customer-service messages are remembered in order with what a
// follower would see; refused ones are not.
func TestCustomMessagesRecordsAcceptedMessages(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	tok := r.mustToken()
	r.post(PathCustomSend, tok, `{"touser":"o-first","msgtype":"text","text":{"content":"hello"}}`)
	r.post(PathCustomSend, tok, `{"touser":"o-second","msgtype":"image","image":{"media_id":"M"}}`)
	r.post(PathCustomSend, tok, `{"touser":"","msgtype":"text","text":{"content":"refused"}}`)
	r.post(PathCustomSend, "not-a-token", `{"touser":"o-third","msgtype":"text","text":{"content":"refused"}}`)
	g.Expect(r.srv.CustomMessages()).To(Equal([]CustomMessage{
		{AppID: testAppID, ToUser: "o-first", MsgType: "text", Content: "hello", At: epoch},
		{AppID: testAppID, ToUser: "o-second", MsgType: "image", At: epoch},
	}))
}

// The inbox keeps the last InboxCap messages, oldest first.
func TestInboxIsBounded(t *testing.T) {
	g := NewWithT(t)
	var in inbox
	for i := range InboxCap + 10 {
		in.add(CustomMessage{Content: fmt.Sprint(i)})
	}
	all := in.all()
	g.Expect(all).To(HaveLen(InboxCap))
	g.Expect(all[0].Content).To(Equal("10"))
	g.Expect(all[InboxCap-1].Content).To(Equal(fmt.Sprint(InboxCap + 9)))
}

// InvalidateTokens stops both lineages' tokens at once with 40001; the next
// token request issues a working one.
func TestInvalidateTokens(t *testing.T) {
	g := NewWithT(t)
	r := newRig(t, Config{})
	old := r.mustToken()
	oldStable := r.stable(false).token()
	g.Expect(r.use(old)).To(Equal(0))
	g.Expect(r.srv.InvalidateTokens(testAppID)).To(Succeed())
	g.Expect(r.use(old)).To(Equal(CodeInvalidCredential))
	g.Expect(r.use(oldStable)).To(Equal(CodeInvalidCredential))
	fresh := r.mustToken()
	g.Expect(fresh).NotTo(Equal(old))
	g.Expect(r.use(fresh)).To(Equal(0))
	freshStable := r.stable(false).token()
	g.Expect(freshStable).NotTo(Equal(oldStable))
	g.Expect(r.use(freshStable)).To(Equal(0))
	g.Expect(r.srv.InvalidateTokens("wx-unknown")).To(MatchError(ContainSubstring("wx-unknown is not configured")))
}
