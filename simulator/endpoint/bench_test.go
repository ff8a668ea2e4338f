package endpoint

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// discard is a ResponseWriter that keeps nothing, so the benchmark
// measures the handler rather than a recorder.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkServeHTTP measures the handler's cost per push, without
// net/http's: verify, decrypt, parse, de-duplicate, reply, encrypt.
func BenchmarkServeHTTP(b *testing.B) {
	for _, c := range []struct {
		mode wechat.Mode
		kind string
	}{{wechat.Plain, "text"}, {wechat.Plain, "click"}, {wechat.Safe, "text"}, {wechat.Safe, "click"}} {
		b.Run(c.mode.String()+"/"+c.kind, func(b *testing.B) {
			// The clock jumps a minute a call, so the de-duplication memory
			// rotates and the cycled pushes are never re-deliveries.
			now := time.Unix(1_700_000_000, 0)
			e, err := New(Config{Account: account(c.mode), Now: func() time.Time { now = now.Add(time.Minute); return now }})
			if err != nil {
				b.Fatal(err)
			}
			codec, _ := wechat.NewCodec(account(c.mode))
			k, _ := wechat.LookupKind(c.kind)
			const n = 1024
			reqs := make([]*http.Request, n)
			bodies := make([][]byte, n)
			for i := range reqs {
				p := &wechat.Push{Kind: k, ToUserName: "gh_0123456789ab", FromUserName: "o-" + strconv.Itoa(i),
					CreateTime: 1_700_000_000, MsgID: uint64(i + 1), Content: "hello"}
				body, enc := codec.Body(p, nil)
				q := codec.AppendQuery(nil, p.FromUserName, enc, "1700000000", strconv.Itoa(100000000+i))
				reqs[i], _ = http.NewRequest(http.MethodPost, "/?"+string(q), nil)
				bodies[i] = body
			}
			w := &discard{h: make(http.Header)}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				r := reqs[i%n]
				r.Body = io.NopCloser(bytes.NewReader(bodies[i%n]))
				e.ServeHTTP(w, r)
			}
			if s := e.Stats(); s.Pushes == 0 || s.Duplicates != 0 || s.BadSignature != 0 {
				b.Fatalf("unexpected stats %+v", s)
			}
		})
	}
}
