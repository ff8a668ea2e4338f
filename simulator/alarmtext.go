package simulator

import (
	"strconv"
	"strings"
	"time"
)

// The languages alarms render in.
const (
	langEN = "en"
	langZH = "zh"
)

// alarmTimeLayout is how WeChat's alarms print the time (local time).
const alarmTimeLayout = "2006-01-02 15:04:05"

// alarmLabels are the field names of WeChat's alarm message, in order:
// Appid, nickname, time, content, number of times, error example; then the
// header of wxsim's advice.
var alarmLabels = map[string][7]string{
	langEN: {"Appid", "Nickname", "Time", "Content", "Number of times", "Error example", "Advice"},
	langZH: {"Appid", "昵称", "时间", "内容", "次数", "错误样例", "处理建议"},
}

// RenderAlarm renders al field for field as WeChat's interface-alarm message
// does, in lang "en" or "zh" (anything else is "en"), followed by the advice
// lines. English uses al.Content and al.Advice; Chinese words them anew from
// al.Type and al.Limit.
func RenderAlarm(al Alarm, lang string) string {
	if lang != langZH {
		lang = langEN
	}
	content, advice := al.Content, al.Advice
	if lang != langEN || content == "" {
		content = alarmContent(al.Type, alarmLimit(al), lang)
	}
	if lang != langEN || len(advice) == 0 {
		advice = alarmAdvice(al.Type, lang)
	}
	l := alarmLabels[lang]
	var b strings.Builder
	for i, v := range []string{al.Account, al.Nickname, al.Time.Local().Format(alarmTimeLayout),
		content, alarmTimes(al, lang), al.Sample} {
		b.WriteString(l[i] + ": " + v + "\n")
	}
	b.WriteString(l[6] + ":\n")
	for _, a := range advice {
		b.WriteString("- " + a + "\n")
	}
	return b.String()
}

// alarmTimes renders "Number of times": "1272 times in 5 minutes" or
// "5分钟 1272次", saying so when the run ended before the window closed.
func alarmTimes(al Alarm, lang string) string {
	span := windowWords(al.Window, lang)
	if lang == langZH {
		s := span + " " + strconv.Itoa(al.Count) + "次"
		if al.Partial {
			s += "（运行结束时窗口尚未关闭）"
		}
		return s
	}
	s := strconv.Itoa(al.Count) + " times in " + span
	if al.Count == 1 {
		s = "1 time in " + span
	}
	if al.Partial {
		s += " (partial: the run ended before the window closed)"
	}
	return s
}

// windowWords spells a window such as "5m" or "30s" in words: "5 minutes",
// "30 seconds", "5分钟", "30秒". It keeps the unit the window was written in,
// so "60s" stays "60 seconds"; other forms are returned as they are.
func windowWords(w string, lang string) string {
	d, err := time.ParseDuration(w)
	if err != nil || d <= 0 {
		return w
	}
	units := []struct {
		suffix string
		unit   time.Duration
		en, zh string
	}{
		{"h", time.Hour, "hour", "小时"},
		{"m", time.Minute, "minute", "分钟"},
		{"s", time.Second, "second", "秒"},
	}
	for _, u := range units {
		// A single unit only: "1h30m" and "500ms" are returned as written.
		if !strings.HasSuffix(w, u.suffix) || d%u.unit != 0 || strings.ContainsAny(w[:len(w)-1], "hms") {
			continue
		}
		n := int64(d / u.unit)
		if lang == langZH {
			return strconv.FormatInt(n, 10) + u.zh
		}
		if n == 1 {
			return "1 " + u.en
		}
		return strconv.FormatInt(n, 10) + " " + u.en + "s"
	}
	return w
}

// alarmLimit reads al.Limit back, falling back to the defaults.
func alarmLimit(al Alarm) time.Duration {
	if d, err := time.ParseDuration(al.Limit); err == nil && d > 0 {
		return d
	}
	switch al.Type {
	case AlarmConnectTimeout:
		return DefaultLimits().ConnectTimeout
	case AlarmMarkFail:
		return DefaultMarkFailRule().Block
	}
	return DefaultLimits().ResponseTimeout
}

// limitWords spells a limit in seconds: "5 seconds", "1 second", "0.5秒".
func limitWords(d time.Duration, lang string) string {
	n := strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
	switch {
	case lang == langZH:
		return n + "秒"
	case n == "1":
		return "1 second"
	}
	return n + " seconds"
}

// alarmContent returns an alarm type's content line with its limit: the
// guide's wording for its three worked examples, the same style for the
// others.
func alarmContent(typ AlarmType, limit time.Duration, lang string) string {
	s := limitWords(limit, lang)
	if lang == langZH {
		return alarmContentZH(typ, s)
	}
	const pushed = "After the WeChat server pushed a message or event to the official account, "
	switch typ {
	case AlarmDNSFailure:
		return "When the WeChat server pushed a message or event to the official account, resolving the domain name of the developer's URL failed"
	case AlarmConnectTimeout:
		return "A timeout occurred when the WeChat server connected to the public account developer server. The timeout period is " + s
	case AlarmRequestTimeout:
		return pushed + "the developer did not return within " + s
	case AlarmResponseFailure:
		return pushed + "the response received was illegal"
	case AlarmMarkFail:
		return "After many failures, the WeChat server temporarily stopped pushing messages and events to the official account (MarkFail); the block is lifted after " + s
	case AlarmTicketTimeout:
		return "After the WeChat server pushed component_verify_ticket to the third-party platform, the developer did not return within " + s
	case AlarmTicketFailure:
		return "After the WeChat server pushed component_verify_ticket to the third-party platform, the response received was not success"
	case AlarmComponentTimeout:
		return "After the WeChat server pushed a component message to the third-party platform, the developer did not return within " + s
	case AlarmComponentFailure:
		return "After the WeChat server pushed a component message to the third-party platform, the response received was not success"
	}
	return string(typ)
}

// alarmContentZH is alarmContent in Chinese; s is the limit in words.
func alarmContentZH(typ AlarmType, s string) string {
	const pushed = "微信服务器向公众号推送消息或事件后，"
	switch typ {
	case AlarmDNSFailure:
		return "微信服务器向公众号推送消息或事件时，解析开发者URL的域名失败"
	case AlarmConnectTimeout:
		return "微信服务器连接公众号开发者服务器时发生超时，超时时间为" + s
	case AlarmRequestTimeout:
		return pushed + "开发者" + s + "内没有返回"
	case AlarmResponseFailure:
		return pushed + "得到的回应不合法"
	case AlarmMarkFail:
		return "多次失败后，微信服务器暂时停止向公众号推送消息和事件（MarkFail自动屏蔽），" + s + "后解除屏蔽"
	case AlarmTicketTimeout:
		return "微信服务器向第三方平台推送component_verify_ticket后，开发者" + s + "内没有返回"
	case AlarmTicketFailure:
		return "微信服务器向第三方平台推送component_verify_ticket后，得到的回应不是success"
	case AlarmComponentTimeout:
		return "微信服务器向第三方平台推送组件消息后，开发者" + s + "内没有返回"
	case AlarmComponentFailure:
		return "微信服务器向第三方平台推送组件消息后，得到的回应不是success"
	}
	return string(typ)
}

// trimDuration formats a duration compactly: whole seconds up to a minute as
// seconds ("30s", "60s"), whole minutes up to an hour as minutes ("5m"),
// whole hours as hours, anything else as Go prints it without zero units
// ("1m30s", "1.5s").
func trimDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return d.String()
	case d%time.Second == 0 && d <= time.Minute:
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	case d%time.Minute == 0 && d <= time.Hour:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// alarmAdvice returns the troubleshooting guide's checks and fixes for an
// alarm type (wechat-protocol.md §12).
func alarmAdvice(typ AlarmType, lang string) []string {
	table := adviceEN
	if lang == langZH {
		table = adviceZH
	}
	switch typ {
	case AlarmTicketTimeout, AlarmComponentTimeout:
		return append([]string{table[adviceThirdPartyTimeout][0]}, table[AlarmRequestTimeout]...)
	case AlarmTicketFailure, AlarmComponentFailure:
		return append([]string{table[adviceThirdPartyFailure][0]}, table[AlarmResponseFailure]...)
	}
	return append([]string(nil), table[typ]...)
}

// The keys of the third-party platform's own advice lines.
const (
	adviceThirdPartyTimeout AlarmType = "third_party_timeout"
	adviceThirdPartyFailure AlarmType = "third_party_failure"
)

var adviceEN = map[AlarmType][]string{
	AlarmDNSFailure: {
		"Check that the URL and its domain are spelled right in the server configuration",
		"Check that the domain has not expired or been changed",
		"Resolve the domain yourself (dig DOMAIN) and against a public resolver (dig @8.8.8.8 DOMAIN)",
		"Fix the records at your DNS host",
	},
	AlarmConnectTimeout: {
		"Check that the URL points at the right IP address",
		"Check that the server is not overloaded and not out of connections or file descriptors",
		"Check that the hosting provider and the network operator are healthy; ping WeChat's callback IPs (getcallbackip) from the server",
		"Check the access layer's connection limits (nginx worker_connections, worker_rlimit_nofile) and its error log for \"Connection reset by peer\" or \"Connection timed out\"",
		"Monitor load, connections, processes and processing time with a heartbeat",
	},
	AlarmRequestTimeout: {
		"Check that the URL points at the right IP address and that this server handles this message type",
		"Log the time spent in each module for every request to find what is slow",
		"If the load is too high, optimise or add capacity; take a faulty machine whose requests get lost or stuck out of rotation and fix the bug",
		"The structural fix: store the message, answer success at once, process the message asynchronously and reply through the customer-service message API",
	},
	AlarmResponseFailure: {
		"Check that the URL points at the right IP address and that there is no network error on the way",
		"Check that the business logic replies success, an empty body or a passive reply in the documented format (encrypted in safe mode)",
		"Check that the request did not fall into an error path: an HTTP 500 page counts as a response failure",
	},
	AlarmMarkFail: {
		"MarkFail is the highest-level alarm: WeChat stopped pushing to the account for about a minute and the pushes due meanwhile are lost",
		"It is always preceded by connect timeout, request timeout or response failure alarms: fix those at once",
	},
	adviceThirdPartyTimeout: {"Answer every third-party platform push within the response timeout, as for a request timeout"},
	adviceThirdPartyFailure: {"Answer every third-party platform push with the plain string success, as for a response failure"},
}

var adviceZH = map[AlarmType][]string{
	AlarmDNSFailure: {
		"检查服务器配置中的URL和域名是否拼写正确",
		"检查域名是否过期或被更改",
		"自行解析域名（dig 域名），并用公共DNS解析（dig @8.8.8.8 域名）对照",
		"到DNS服务商处修正解析记录",
	},
	AlarmConnectTimeout: {
		"检查URL指向的IP是否正确",
		"检查服务器是否负载过高、连接数或文件描述符是否耗尽",
		"检查主机服务商和网络运营商是否正常；在服务器上ping微信回调IP（getcallbackip）",
		"检查接入层的连接数限制（nginx worker_connections、worker_rlimit_nofile），并在其错误日志中查找\"Connection reset by peer\"或\"Connection timed out\"",
		"用心跳监控负载、连接数、进程数和处理耗时",
	},
	AlarmRequestTimeout: {
		"检查URL指向的IP是否正确，该服务器是否处理这类消息",
		"为每个请求记录各模块的耗时，找出慢的环节",
		"负载过高时优化或扩容；请求丢失或卡住的故障机器先下线，再修复问题",
		"根本的解决办法：保存消息后立即回复success，异步处理消息，再通过客服消息接口回复用户",
	},
	AlarmResponseFailure: {
		"检查URL指向的IP是否正确，网络是否有错误",
		"检查业务逻辑是否按文档格式回复success、空串或被动回复（安全模式下须加密）",
		"检查请求是否走进了错误分支：HTTP 500错误页也算回应失败",
	},
	AlarmMarkFail: {
		"MarkFail是最高级别的报警：微信暂停向该账号推送约1分钟，期间的推送全部丢失",
		"它之前总有连接超时、请求超时或回应失败报警：立即修复这些问题",
	},
	adviceThirdPartyTimeout: {"第三方平台的推送须在响应超时内回复，处理方法同请求超时"},
	adviceThirdPartyFailure: {"第三方平台的推送须回复纯文本success，处理方法同回应失败"},
}
