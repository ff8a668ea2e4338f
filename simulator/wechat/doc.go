// Package wechat is the protocol core of wxsim: the pushes WeChat sends to an
// Official Account's callback URL, their signatures, the AES envelope of the
// compat and safe modes, and the judge that decides whether a developer's
// reply is one WeChat accepts.
//
// It knows nothing of load, schedules or reports; the engine, the reference
// endpoint and the conformance suite all build on it, so they can never
// disagree about the wire format.
package wechat
