package api

import "net/http"

// customMessage is the part of a customer-service message the mock checks;
// the other msgtypes' payloads (image, news, …) are accepted unread.
type customMessage struct {
	ToUser  string `json:"touser"`
	MsgType string `json:"msgtype"`
	Text    *struct {
		Content string `json:"content"`
	} `json:"text"`
}

// customMsgTypes are the msgtypes of the customer-service message API.
var customMsgTypes = map[string]bool{
	"text": true, "image": true, "voice": true, "video": true, "music": true,
	"news": true, "mpnews": true, "mpnewsarticle": true, "msgmenu": true,
	"wxcard": true, "miniprogrampage": true,
}

// customSend serves POST /cgi-bin/message/custom/send: how a developer
// answers a user after acknowledging the push with "success", the
// structural fix for request timeouts of the alarm guide.
//
// WeChat also refuses messages 48 h after the user's last interaction
// (45015) and past a per-user count (45047); the mock does not track
// users, so it never answers those.
func (s *Server) customSend(r *http.Request, c *call) (any, *apiError) {
	var m customMessage
	if e := decodeBody(r, &m); e != nil {
		return nil, e
	}
	switch {
	case m.ToUser == "":
		return nil, fail(CodeInvalidOpenID)
	case !customMsgTypes[m.MsgType]:
		return nil, fail(CodeInvalidMsgType)
	case m.MsgType == "text" && (m.Text == nil || m.Text.Content == ""):
		return nil, fail(CodeEmptyContent)
	}
	s.stats.sent(c.grant.appid)
	in := CustomMessage{AppID: c.grant.appid, ToUser: m.ToUser, MsgType: m.MsgType, At: c.now}
	if m.Text != nil {
		in.Content = m.Text.Content
	}
	s.inbox.add(in)
	return okAnswer{}, nil
}
