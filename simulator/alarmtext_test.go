package simulator

import (
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

// productExample is the alarm of product.md §2, as the windows build it.
func productExample() Alarm {
	a := NewAlarms(AlarmRule{}, Limits{}, "wx0123456789abcdef", "Demo Account")
	at := time.Date(2026, 12, 4, 20, 12, 0, 0, time.Local)
	for i := range 1272 {
		a.Record(failedOutcome(RequestTimeout, "unsubscribe", at.Add(time.Duration(i)*200*time.Millisecond)))
	}
	return a.Record(&Outcome{Class: OK, Start: at.Add(5 * time.Minute)})[0]
}

func TestRenderAlarmEnglishMatchesWeChatLayout(t *testing.T) {
	g := NewWithT(t)
	got := RenderAlarm(productExample(), "en")
	g.Expect(got).To(Equal(`Appid: wx0123456789abcdef
Nickname: Demo Account
Time: 2026-12-04 20:12:00
Content: After the WeChat server pushed a message or event to the official account, the developer did not return within 5 seconds
Number of times: 1272 times in 5 minutes
Error example: [IP=127.0.0.1][Event=unsubscribe]
Advice:
- Check that the URL points at the right IP address and that this server handles this message type
- Log the time spent in each module for every request to find what is slow
- If the load is too high, optimise or add capacity; take a faulty machine whose requests get lost or stuck out of rotation and fix the bug
- The structural fix: store the message, answer success at once, process the message asynchronously and reply through the customer-service message API
`))
}

func TestRenderAlarmChinese(t *testing.T) {
	g := NewWithT(t)
	al := productExample()
	al.Partial = true
	g.Expect(RenderAlarm(al, "zh")).To(Equal(`Appid: wx0123456789abcdef
昵称: Demo Account
时间: 2026-12-04 20:12:00
内容: 微信服务器向公众号推送消息或事件后，开发者5秒内没有返回
次数: 5分钟 1272次（运行结束时窗口尚未关闭）
错误样例: [IP=127.0.0.1][Event=unsubscribe]
处理建议:
- 检查URL指向的IP是否正确，该服务器是否处理这类消息
- 为每个请求记录各模块的耗时，找出慢的环节
- 负载过高时优化或扩容；请求丢失或卡住的故障机器先下线，再修复问题
- 根本的解决办法：保存消息后立即回复success，异步处理消息，再通过客服消息接口回复用户
`))
}

func TestRenderAlarmUsesTheLimitsInForce(t *testing.T) {
	at := time.Date(2026, 12, 4, 20, 12, 0, 0, time.Local)
	limits := Limits{ConnectTimeout: 1500 * time.Millisecond, ResponseTimeout: time.Second}
	for _, tc := range []struct {
		class      Class
		kind       string
		en, zh     string
		timesEN    string
		adviceLine string
	}{
		{ConnectTimeout, "text", "The timeout period is 1.5 seconds", "超时时间为1.5秒", "30 times in 5 minutes", "worker_connections"},
		{RequestTimeout, "text", "did not return within 1 second", "开发者1秒内没有返回", "30 times in 5 minutes", "customer-service message API"},
		{ResponseFailure, "text", "the response received was illegal", "得到的回应不合法", "30 times in 5 minutes", "HTTP 500"},
		{DNSFailure, "text", "resolving the domain name of the developer's URL failed", "解析开发者URL的域名失败", "30 times in 5 minutes", "dig"},
		{RequestTimeout, "component_verify_ticket", "pushed component_verify_ticket to the third-party platform, the developer did not return within 1 second",
			"开发者1秒内没有返回", "30 times in 5 minutes", "third-party platform push"},
		{ResponseFailure, "authorized", "the response received was not success", "得到的回应不是success", "30 times in 5 minutes", "plain string success"},
	} {
		t.Run(tc.class.String()+"/"+tc.kind, func(t *testing.T) {
			g := NewWithT(t)
			a := NewAlarms(AlarmRule{}, limits, "wx1", "n")
			for range 30 {
				a.Record(failedOutcome(tc.class, tc.kind, at))
			}
			al := a.Close(at.Add(time.Hour))[0]
			en, zh := RenderAlarm(al, "en"), RenderAlarm(al, "zh")
			g.Expect(en).To(ContainSubstring(tc.en))
			g.Expect(en).To(ContainSubstring("Number of times: " + tc.timesEN + "\n"))
			g.Expect(en).To(ContainSubstring(tc.adviceLine))
			g.Expect(zh).To(ContainSubstring(tc.zh))
			g.Expect(zh).To(ContainSubstring("次数: 5分钟 30次\n"))
		})
	}
}

func TestRenderAlarmMarkFail(t *testing.T) {
	g := NewWithT(t)
	at := time.Date(2026, 12, 4, 20, 12, 0, 0, time.Local)
	a := NewAlarms(AlarmRule{}, Limits{}, "wx1", "n")
	al := a.MarkFail(Block{Start: at, End: at.Add(time.Minute), Failures: 120, Deliveries: 200, Window: "60s"})
	en := RenderAlarm(al, "en")
	g.Expect(en).To(ContainSubstring("Content: After many failures, the WeChat server temporarily stopped pushing messages and events to the official account (MarkFail); the block is lifted after 60 seconds\n"))
	g.Expect(en).To(ContainSubstring("Number of times: 120 times in 60 seconds\n"))
	g.Expect(en).To(ContainSubstring("Error example: [failures=120][deliveries=200]\n"))
	g.Expect(en).To(ContainSubstring("highest-level alarm"))
	zh := RenderAlarm(al, "zh")
	g.Expect(zh).To(ContainSubstring("内容: 多次失败后，微信服务器暂时停止向公众号推送消息和事件（MarkFail自动屏蔽），60秒后解除屏蔽\n"))
	g.Expect(zh).To(ContainSubstring("次数: 60秒 120次\n"))
}

func TestRenderAlarmFromDecodedJSONWithoutContent(t *testing.T) {
	g := NewWithT(t)
	// An alarm read back without Content or Advice is worded from its type.
	al := Alarm{Type: AlarmConnectTimeout, Account: "wx1", Count: 1, Window: "30s", Limit: "3s", Time: time.Unix(0, 0)}
	en := RenderAlarm(al, "fr")
	g.Expect(en).To(ContainSubstring("The timeout period is 3 seconds\n"))
	g.Expect(en).To(ContainSubstring("Number of times: 1 time in 30 seconds\n"))
	g.Expect(strings.Count(en, "\n- ")).To(Equal(5))
}

func TestRenderAlarmDurationWords(t *testing.T) {
	g := NewWithT(t)
	for d, want := range map[time.Duration]string{
		5 * time.Minute: "5m", 30 * time.Second: "30s", time.Minute: "60s", 90 * time.Second: "1m30s",
		time.Hour: "60m", 2 * time.Hour: "2h", 1500 * time.Millisecond: "1.5s", 500 * time.Millisecond: "500ms",
		61 * time.Minute: "1h1m", 3*time.Hour + 5*time.Second: "3h0m5s",
	} {
		g.Expect(trimDuration(d)).To(Equal(want), "%v", d)
	}
	for w, want := range map[string][2]string{
		"5m": {"5 minutes", "5分钟"}, "1m": {"1 minute", "1分钟"}, "60s": {"60 seconds", "60秒"},
		"30m": {"30 minutes", "30分钟"}, "2h": {"2 hours", "2小时"}, "1m30s": {"1m30s", "1m30s"},
		"500ms": {"500ms", "500ms"}, "junk": {"junk", "junk"},
	} {
		g.Expect(windowWords(w, "en")).To(Equal(want[0]), w)
		g.Expect(windowWords(w, "zh")).To(Equal(want[1]), w)
	}
}
