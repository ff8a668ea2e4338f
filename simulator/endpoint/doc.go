// Package endpoint is the reference developer endpoint: the callback server
// an Official Account developer would write, served by `wxsim endpoint`
// and embedded by tests as an http.Handler.
//
// By default it is correct, by the rules of wechat-protocol.md:
//
//   - GET is the handshake: the echostr, unchanged, as the whole body when
//     the signature is right; 401 and no echo otherwise.
//   - POST is a push: signature and msg_signature are checked (401 when
//     wrong), the body is decrypted and its appid checked (400 when it
//     cannot be opened), then a text message gets a text reply echoing its
//     content with ToUserName and FromUserName swapped and CreateTime in
//     seconds; every other push, and every third-party platform push
//     (component_verify_ticket, authorized…), gets exactly "success".
//   - In compat and safe mode passive replies are encrypted, echoing the
//     request's timestamp and nonce.
//   - Re-delivered pushes (same MsgId for messages; same event, FromUserName
//     and CreateTime for events) are acknowledged with "success" without
//     being processed again; the memory of seen pushes is bounded in time
//     and size.
//   - Other methods get 405; bodies over MaxBody get 413.
//
// A Behaviour turns it into a faulty endpoint for drills. The timing and
// connection faults hit every request, handshake included: slow=DURATION,
// capacity=N (a queue served N a second), hang, reset (a TCP RST) and
// blackhole (Listen returns a listener whose connects time out; on another
// listener it hangs). The answer faults hit pushes once they are verified
// and counted: error500, flaky=P, badxml, json, wrongswap, plainreply;
// unsigned accepts bad signatures and is otherwise correct.
//
// The asynchronous behaviours answer every verified push with "success" at
// once, the structural fix of the alarm guide for request timeouts, and
// answer text messages through WeChat's server API (Config.API, usually
// wxsim's mock): a background send echoes the text to the follower with
// POST /cgi-bin/message/custom/send. async does it correctly: one cached
// access_token shared by every send, fetched by one send at a time,
// refreshed 5 minutes before it expires, and on 40001, 40014 or 42001
// refetched once and the message sent again. Sends are bounded (32 at
// once, a queue of 1024; a message that finds the queue full is dropped
// and counted) and each call times out after 5 s. Three faulty variants:
// tokenperpush fetches a new token for every message, norefresh never
// refetches its token (nothing arrives once the API revokes it), and
// dropasync never sends anything.
//
// Stats counts what arrived, so tests can check what got through.
package endpoint
