package simulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

func TestSinkConsole(t *testing.T) {
	g := NewWithT(t)
	var buf bytes.Buffer
	s := NewConsoleSink(&buf, "zh")
	al := productExample()
	g.Expect(s.Send(al)).To(Succeed())
	g.Expect(s.Send(al)).To(Succeed())
	g.Expect(buf.String()).To(Equal(strings.Repeat(RenderAlarm(al, "zh")+"\n", 2)))
}

func TestSinkJSONLines(t *testing.T) {
	g := NewWithT(t)
	var buf bytes.Buffer
	s := NewJSONLinesSink(&buf)
	al := productExample()
	mf := NewAlarms(AlarmRule{}, Limits{}, "wx1", "").MarkFail(Block{Start: aggT0, End: aggT0.Add(time.Minute), Failures: 100, Deliveries: 100, Window: "60s"})
	g.Expect(s.Send(al)).To(Succeed())
	g.Expect(s.Send(mf)).To(Succeed())

	sc := bufio.NewScanner(&buf)
	var got []Alarm
	for sc.Scan() {
		var a Alarm
		g.Expect(json.Unmarshal(sc.Bytes(), &a)).To(Succeed(), sc.Text())
		got = append(got, a)
	}
	g.Expect(got).To(HaveLen(2))
	g.Expect(got[0].Type).To(Equal(AlarmRequestTimeout))
	g.Expect(got[0].Count).To(Equal(1272))
	g.Expect(got[0].Time.Equal(al.Time)).To(BeTrue())
	g.Expect(got[0].Sample).To(Equal(al.Sample))
	g.Expect(got[0].Advice).To(Equal(al.Advice))
	g.Expect(got[1].Type).To(Equal(AlarmMarkFail))
	g.Expect(buf.Len()).To(BeZero())
}

// weComRobot is a stand-in WeCom group robot on loopback recording the bodies.
func weComRobot(t *testing.T, status int, reply string) (*httptest.Server, func() []map[string]any) {
	t.Helper()
	var mu sync.Mutex
	var bodies []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" ||
			r.URL.Query().Get("key") != "SECRETKEY" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var m map[string]any
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &m); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		bodies = append(bodies, m)
		mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, reply)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []map[string]any {
		mu.Lock()
		defer mu.Unlock()
		return append([]map[string]any(nil), bodies...)
	}
}

func TestSinkWebhookPostsWeComText(t *testing.T) {
	g := NewWithT(t)
	srv, bodies := weComRobot(t, http.StatusOK, `{"errcode":0,"errmsg":"ok"}`)
	s := NewWebhookSink(srv.URL+"/cgi-bin/webhook/send?key=SECRETKEY", srv.Client(), "en")
	al := productExample()
	g.Expect(s.Send(al)).To(Succeed())
	g.Expect(bodies()).To(Equal([]map[string]any{{
		"msgtype": "text",
		"text":    map[string]any{"content": RenderAlarm(al, "en")},
	}}))
}

func TestSinkWebhookErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		reply  string
		want   string
	}{
		{"non-2xx", http.StatusBadGateway, "down", "status 502"},
		{"robot refuses", http.StatusOK, `{"errcode":93000,"errmsg":"invalid webhook url"}`, "errcode 93000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			srv, _ := weComRobot(t, tc.status, tc.reply)
			err := NewWebhookSink(srv.URL+"/send?key=SECRETKEY", nil, "zh").Send(productExample())
			g.Expect(err).To(MatchError(ContainSubstring(tc.want)))
			g.Expect(err.Error()).NotTo(ContainSubstring("SECRETKEY"))
		})
	}
}

func TestSinkWebhookTimesOutWithoutLeakingTheKey(t *testing.T) {
	g := NewWithT(t)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	defer srv.Close()
	defer close(release)
	client := &http.Client{Timeout: 100 * time.Millisecond}
	start := time.Now()
	err := NewWebhookSink(srv.URL+"/send?key=SECRETKEY", client, "en").Send(productExample())
	g.Expect(err).To(HaveOccurred())
	g.Expect(time.Since(start)).To(BeNumerically("<", 2*time.Second))
	g.Expect(err.Error()).To(HavePrefix("alarm webhook 127.0.0.1:"))
	g.Expect(err.Error()).NotTo(ContainSubstring("SECRETKEY"))

	err = NewWebhookSink("http://127.0.0.1:1/send?key=SECRETKEY", client, "en").Send(productExample())
	g.Expect(err).To(HaveOccurred(), "nothing listens on port 1")
	g.Expect(err.Error()).NotTo(ContainSubstring("SECRETKEY"))
}

func TestSinkWebhookCutsLongContent(t *testing.T) {
	g := NewWithT(t)
	srv, bodies := weComRobot(t, http.StatusOK, `{"errcode":0}`)
	al := productExample()
	al.Advice = []string{strings.Repeat("错", 1000)}
	g.Expect(NewWebhookSink(srv.URL+"/?key=SECRETKEY", nil, "en").Send(al)).To(Succeed())
	content := bodies()[0]["text"].(map[string]any)["content"].(string)
	g.Expect(len(content)).To(BeNumerically("<=", webhookContentMax))
	g.Expect(len(content)).To(BeNumerically(">", webhookContentMax-3))
	g.Expect(strings.ToValidUTF8(content, "?")).To(Equal(content))
}
