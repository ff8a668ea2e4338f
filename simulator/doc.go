// Package simulator is wxsim's push engine: it plays WeChat's servers against
// a developer's callback URL. A Plan (account, mix, followers, stages, rules)
// drives vegeta through a Targeter that yields one signed push per hit and a
// transport that enforces WeChat's connect and response timeouts and judges
// every reply with the protocol core. Each delivery attempt becomes an
// Outcome; one aggregator goroutine counts them, runs the MarkFail breaker
// and the alarm windows, and feeds the reporters.
//
// Library code here never prints to the user or exits; the command does.
package simulator
