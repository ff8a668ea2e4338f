// Package api is a mock of WeChat's server API (https://api.weixin.qq.com),
// served by `wxsim api` and embedded by tests as an http.Handler. Developers
// point their SDK's API base at it on loopback to test how their code gets,
// shares and refreshes the access_token, and how it answers through the
// customer-service message API.
//
// It reproduces the rules of wechat-protocol.md §8:
//
//   - GET /cgi-bin/token issues a new access_token on every call. The
//     previous one keeps working for Overlap (5 minutes) and every older one
//     fails at once with 40001, which is how many servers each refreshing
//     the token invalidate one another. Calls count against a daily quota
//     (45009) and the caller's IP against the account's whitelist (40164).
//   - POST /cgi-bin/stable_token is a separate lineage: it returns the same
//     token until its last Overlap, then a new one; force_refresh issues a new
//     one and revokes the old at once, at most 20 times a day and no more
//     often than every 30 s (sooner, the current token comes back unchanged,
//     as the docs say).
//   - GET /cgi-bin/getcallbackip and /cgi-bin/get_api_domain_ip list the
//     configured IPs; POST /cgi-bin/callback/check resolves and probes the
//     configured callback URL; POST /cgi-bin/message/custom/send accepts a
//     customer-service message.
//
// Every call that needs an access_token checks it: 41001 missing, 40014
// unknown, 40001 superseded, 42001 expired. Answers are JSON with HTTP 200,
// as WeChat's are, and errors end with a " rid: " request id.
//
// GET /wxsim/stats is not a WeChat API: it returns the mock's Stats (tokens
// issued per appid, calls per path, errors per errcode), so a drill can show
// how many tokens a fleet of servers burned and how many calls they lost.
//
// App secrets are compared in constant time and never appear in an answer,
// in Stats or in an error.
package api
