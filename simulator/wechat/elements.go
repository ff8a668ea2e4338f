package wechat

import "github.com/beevik/etree"

// The element layout of every push kind (wechat-protocol.md §3 and §7), in
// the order WeChat writes them: strings in CDATA, numbers bare. Values that
// vary per push come from slots; the rest are fixed samples taken from real
// captures and WeChat's documents.

// Sample values written where a push leaves a per-push value empty, and the
// fixed values of the other elements a developer's endpoint may look at.
const (
	SampleContent         = "hello from wxsim"   // text Content
	SampleScene           = "1000000"            // scan EventKey; subscribe_qr gets "qrscene_" + scene
	SampleMenuKey         = "V1001_TODAY_MUSIC"  // click EventKey (the menu key of WeChat's docs)
	SampleMenuURL         = "http://www.qq.com/" // view EventKey (the target URL)
	SampleVerifyTicket    = "ticket@@@wxsim-sample-component-verify-ticket"
	SampleAuthorizerAppID = "wxba5fad812f8e6fb9" // authorized/unauthorized AuthorizerAppid
	sampleQRTicket        = "gQHr8ToAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xLzMwT19GN2ZsSkkxZFBGTkpkMjEzAAIEIYnjVgMECAcAAA=="
	sampleMediaID         = "MJ3Ed5jRUTGh7rNQe-t1ow0qsxOXh8X-GiJ4qY6xYMSQmrVJlmtjQGAYdJGZVmYl"
	sampleThumbMediaID    = "kDwbMfXHf3aBH0HTTlwIMOKFRcIAQrOb4TQ_-vaKgBXLGDLxHnzQnMwJ7A7KJgKh"
	sampleURL             = "https://mp.weixin.qq.com/s/wxsim-sample"
)

// qrScenePrefix starts the EventKey of a subscribe through a parameter QR code.
const qrScenePrefix = "qrscene_"

// document builds the kind's push afresh from texts: the header, then the
// kind's own elements. Templates and Push.Document both come from here.
func (k *Kind) document(t *texts) *etree.Document {
	doc, root := newXMLDoc()
	if k.Component {
		cdataElem(root, "AppId", t[slotTo])
		textElem(root, "CreateTime", t[slotCreateTime])
		cdataElem(root, "InfoType", k.InfoType)
	} else {
		cdataElem(root, "ToUserName", t[slotTo])
		cdataElem(root, "FromUserName", t[slotFrom])
		textElem(root, "CreateTime", t[slotCreateTime])
		cdataElem(root, "MsgType", k.MsgType)
		if k.MsgType == "event" {
			cdataElem(root, "Event", k.Event)
		}
	}
	if k.body != nil {
		k.body(root, t)
	}
	return doc
}

func textBody(root *etree.Element, t *texts) {
	cdataElem(root, "Content", t[slotContent])
	textElem(root, "MsgId", t[slotMsgID])
}

func imageBody(root *etree.Element, t *texts) {
	cdataElem(root, "PicUrl", "http://mmbiz.qpic.cn/mmbiz_jpg/wxsim-sample/0")
	cdataElem(root, "MediaId", sampleMediaID)
	textElem(root, "MsgId", t[slotMsgID])
}

func voiceBody(root *etree.Element, t *texts) {
	cdataElem(root, "MediaId", sampleMediaID)
	cdataElem(root, "Format", "amr")
	textElem(root, "MsgId", t[slotMsgID])
}

// videoBody serves video and shortvideo, which differ only in MsgType.
func videoBody(root *etree.Element, t *texts) {
	cdataElem(root, "MediaId", sampleMediaID)
	cdataElem(root, "ThumbMediaId", sampleThumbMediaID)
	textElem(root, "MsgId", t[slotMsgID])
}

func locationBody(root *etree.Element, t *texts) {
	textElem(root, "Location_X", "23.134521")
	textElem(root, "Location_Y", "113.358803")
	textElem(root, "Scale", "20")
	cdataElem(root, "Label", "广州市海珠区新港中路397号")
	textElem(root, "MsgId", t[slotMsgID])
}

func linkBody(root *etree.Element, t *texts) {
	cdataElem(root, "Title", "wxsim sample link")
	cdataElem(root, "Description", "a link message pushed by wxsim")
	cdataElem(root, "Url", sampleURL)
	textElem(root, "MsgId", t[slotMsgID])
}

// emptyEventKeyBody is subscribe and unsubscribe: no element is documented,
// but real pushes carry an empty EventKey.
func emptyEventKeyBody(root *etree.Element, _ *texts) {
	cdataElem(root, "EventKey", "")
}

func subscribeQRBody(root *etree.Element, t *texts) {
	cdataElem(root, "EventKey", qrScenePrefix+t[slotEventKey])
	cdataElem(root, "Ticket", sampleQRTicket)
}

func scanBody(root *etree.Element, t *texts) {
	cdataElem(root, "EventKey", t[slotEventKey])
	cdataElem(root, "Ticket", sampleQRTicket)
}

func locationEventBody(root *etree.Element, _ *texts) {
	textElem(root, "Latitude", "23.137466")
	textElem(root, "Longitude", "113.352425")
	textElem(root, "Precision", "119.385040")
}

// eventKeyBody is click (the menu key) and view (the target URL).
func eventKeyBody(root *etree.Element, t *texts) {
	cdataElem(root, "EventKey", t[slotEventKey])
}

func templateJobBody(root *etree.Element, t *texts) {
	textElem(root, "MsgID", t[slotMsgID])
	cdataElem(root, "Status", "success")
}

func massJobBody(root *etree.Element, t *texts) {
	textElem(root, "MsgID", t[slotMsgID])
	cdataElem(root, "Status", "send success")
	textElem(root, "TotalCount", "100")
	textElem(root, "FilterCount", "80")
	textElem(root, "SentCount", "75")
	textElem(root, "ErrorCount", "5")
	check := root.CreateElement("CopyrightCheckResult")
	textElem(check, "Count", "0")
	check.CreateElement("ResultList")
	textElem(check, "CheckState", "1")
	urls := root.CreateElement("ArticleUrlResult")
	textElem(urls, "Count", "1")
	item := urls.CreateElement("ResultList").CreateElement("item")
	textElem(item, "ArticleIdx", "1")
	cdataElem(item, "ArticleUrl", sampleURL)
}

func ticketBody(root *etree.Element, _ *texts) {
	cdataElem(root, "ComponentVerifyTicket", SampleVerifyTicket)
}

// authorizedBody serves authorized and updateauthorized.
func authorizedBody(root *etree.Element, _ *texts) {
	cdataElem(root, "AuthorizerAppid", SampleAuthorizerAppID)
	cdataElem(root, "AuthorizationCode", "queryauthcode@@@wxsim-sample-authorization-code")
	textElem(root, "AuthorizationCodeExpiredTime", "600")
	cdataElem(root, "PreAuthCode", "preauthcode@@@wxsim-sample-pre-auth-code")
}

func unauthorizedBody(root *etree.Element, _ *texts) {
	cdataElem(root, "AuthorizerAppid", SampleAuthorizerAppID)
}
