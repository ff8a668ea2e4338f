package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator"
)

func TestReadFilesCountsExactly(t *testing.T) {
	run := mixedRun(t0, 50, 1000)
	for _, enc := range []string{"gob", "json", "csv"} {
		t.Run(enc, func(t *testing.T) {
			g := NewWithT(t)
			p := writeResults(t, t.TempDir(), "run."+enc, enc, "wxsim", run)

			m, err := ReadFiles([]string{p}, simulator.AggregatorConfig{})
			g.Expect(err).NotTo(HaveOccurred())
			s := m.Summary
			g.Expect(m.Results).To(BeEquivalentTo(1200))
			g.Expect(m.Foreign).To(BeZero())
			g.Expect(s.Pushes).To(BeEquivalentTo(1000))
			g.Expect(s.Deliveries).To(BeEquivalentTo(1150))
			g.Expect(s.Retries).To(BeEquivalentTo(200))
			g.Expect(s.Lost).To(BeEquivalentTo(200))
			g.Expect(s.Late).To(BeEquivalentTo(10))
			g.Expect(s.Outcomes).To(Equal(map[string]uint64{"ok": 800, "dns_failure": 0, "connect_timeout": 0,
				"connect_failure": 150, "request_timeout": 100, "response_failure": 100, "blocked": 50}))
			g.Expect(s.Reasons).To(HaveKeyWithValue("not_xml", BeEquivalentTo(50)))
			g.Expect(s.Reasons).To(HaveKeyWithValue("bad_reply", BeEquivalentTo(50)))
			g.Expect(sum(s.Reasons)).To(BeEquivalentTo(100))
			g.Expect(s.Kinds).To(Equal(map[string]uint64{"text": 250, "click": 250, "subscribe": 250, "image": 250}))
			g.Expect(s.Rate.Achieved).To(BeNumerically("~", 50, 0.01))

			// Blocked pushes were never sent: they are not in the histogram.
			h := m.Histogram
			g.Expect(h.Total).To(BeEquivalentTo(1150))
			g.Expect(h.Counts).To(Equal([]uint64{150, 900, 0, 0, 0, 100}))

			// Reading back is the live run, alarms and all (CSV brings
			// times back in the local zone: compare instants).
			live := aggregate(run)
			g.Expect(s.Alarms).NotTo(BeEmpty())
			g.Expect(inUTC(s)).To(Equal(inUTC(live)))

			// 20 s of pushes, the last retry due 5 s after the last push.
			g.Expect(m.Series).To(HaveLen(25))
			var pushes, blocked uint32
			for _, b := range m.Series {
				pushes += b.Pushes
				blocked += b.Count(simulator.Blocked)
			}
			g.Expect(pushes).To(BeEquivalentTo(1000))
			g.Expect(blocked).To(BeEquivalentTo(50))
			g.Expect(m.Shards).To(HaveLen(1))
			g.Expect(m.Shards[0]).To(MatchFields(p, "wxsim", 1200, 1000))
		})
	}
}

// inUTC returns a copy of s with its instants in UTC.
func inUTC(s *simulator.Summary) *simulator.Summary {
	c := *s
	c.Start, c.End = c.Start.UTC(), c.End.UTC()
	c.MarkFail = append([]simulator.Block(nil), c.MarkFail...)
	for i := range c.MarkFail {
		c.MarkFail[i].Start, c.MarkFail[i].End = c.MarkFail[i].Start.UTC(), c.MarkFail[i].End.UTC()
	}
	c.Alarms = append([]simulator.Alarm(nil), c.Alarms...)
	for i := range c.Alarms {
		c.Alarms[i].Time = c.Alarms[i].Time.UTC()
	}
	return &c
}

// MatchFields checks a ShardInfo's identity and counts.
func MatchFields(file, attack string, results, pushes uint64) OmegaMatcher {
	return SatisfyAll(
		WithTransform(func(s ShardInfo) string { return s.File }, Equal(file)),
		WithTransform(func(s ShardInfo) string { return s.Attack }, Equal(attack)),
		WithTransform(func(s ShardInfo) uint64 { return s.Results }, Equal(results)),
		WithTransform(func(s ShardInfo) uint64 { return s.Pushes }, Equal(pushes)))
}

func TestReadFilesMergesShardRates(t *testing.T) {
	const rate, seconds = 200.0, 10
	half := time.Duration(float64(time.Second) / rate)
	cases := []struct {
		name   string
		offset time.Duration // shard 2's start after shard 1's
	}{
		{"same window", half},
		{"clocks an hour apart", time.Hour + half},
		{"shard 2 first", -time.Minute},
	}
	dir := t.TempDir()
	whole := writeResults(t, dir, "whole.bin", "gob", "whole", okRun(t0, rate, rate*seconds))
	one, err := ReadFiles([]string{whole}, simulator.AggregatorConfig{})
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	NewWithT(t).Expect(one.Summary.Rate.Achieved).To(BeNumerically("~", rate, rate*0.001))

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			d := t.TempDir()
			a := writeResults(t, d, "shard-0.bin", "gob", "shard-0", okRun(t0, rate/2, rate/2*seconds))
			b := writeResults(t, d, "shard-1.bin", "json", "shard-1", okRun(t0.Add(tc.offset), rate/2, rate/2*seconds))

			m, err := ReadFiles([]string{a, b}, simulator.AggregatorConfig{})
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(m.Summary.Pushes).To(BeEquivalentTo(rate * seconds))
			g.Expect(m.Summary.Rate.Achieved).To(BeNumerically("~", one.Summary.Rate.Achieved, rate*0.05))
			g.Expect(m.Shards).To(HaveLen(2))
			for _, sh := range m.Shards {
				g.Expect(sh.Rate).To(BeNumerically("~", rate/2, rate*0.001))
			}
			var buf bytes.Buffer
			g.Expect(WriteShards(&buf, m.Shards)).To(Succeed())
			g.Expect(lines(buf.String())).To(ContainElements(
				MatchRegexp(`^  \S+shard-0\.bin +shard-0 +1000 +1000 +.* 100\.00/s$`),
				MatchRegexp(`^  \S+shard-1\.bin +shard-1 +1000 +1000 +.* 100\.00/s$`),
				MatchRegexp(`^  total +200\.00/s$`)))
		})
	}
}

func TestReadFilesTellsShardsApartByAttackName(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	var buf bytes.Buffer
	enc := vegeta.NewJSONEncoder(&buf)
	for i, run := range [][]simulator.Outcome{okRun(t0, 50, 100), okRun(t0.Add(time.Hour), 50, 100)} {
		for j := range run {
			r := simulator.ResultOf(&run[j], []string{"a", "b"}[i], "http://127.0.0.1/wx", uint64(j))
			g.Expect(enc.Encode(&r)).To(Succeed())
		}
	}
	p := filepath.Join(dir, "cat.json")
	g.Expect(os.WriteFile(p, buf.Bytes(), 0o600)).To(Succeed())

	m, err := ReadFiles([]string{p}, simulator.AggregatorConfig{})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(m.Shards).To(HaveLen(2))
	g.Expect(m.Summary.Rate.Achieved).To(BeNumerically("~", 100, 0.1))
}

func TestReadFilesRejectsWhatIsNotAResultStream(t *testing.T) {
	dir := t.TempDir()
	good := writeResults(t, dir, "good.bin", "gob", "wxsim", okRun(t0, 100, 500))
	data, err := os.ReadFile(good)
	NewWithT(t).Expect(err).NotTo(HaveOccurred())
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		NewWithT(t).Expect(os.WriteFile(p, b, 0o600)).To(Succeed())
		return p
	}
	cases := []struct {
		name, path, want string
	}{
		{"text", write("notes.txt", []byte("these are not results\njust words\n")), "not a result stream"},
		{"json object", write("config.json", []byte(`{"rate": 200}`+"\n")), "no timestamp"},
		{"truncated gob", write("cut.bin", data[:len(data)-40]), "result "},
		{"gob then garbage", write("tail.bin", append(append([]byte{}, data...), "garbage!"...)), "result 501"},
		{"missing", filepath.Join(dir, "absent.bin"), "no such file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			_, err := ReadFiles([]string{good, tc.path}, simulator.AggregatorConfig{})
			g.Expect(err).To(HaveOccurred())
			g.Expect(err.Error()).To(ContainSubstring(tc.path))
			g.Expect(err.Error()).To(ContainSubstring(tc.want))
			g.Expect(strings.Count(err.Error(), good)).To(BeZero(), "the good file is not to blame")
		})
	}
}

func TestReadFilesEmptyStreamIsAnIdleShard(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.bin")
	g.Expect(os.WriteFile(empty, nil, 0o600)).To(Succeed())
	good := writeResults(t, dir, "good.bin", "gob", "wxsim", okRun(t0, 100, 500))

	m, err := ReadFiles([]string{empty, good}, simulator.AggregatorConfig{})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(m.Summary.Pushes).To(BeEquivalentTo(500))

	_, err = ReadFiles(nil, simulator.AggregatorConfig{})
	g.Expect(err).To(MatchError(ContainSubstring("no result streams")))
}

func TestReadStreamsTakesPlainVegetaResults(t *testing.T) {
	g := NewWithT(t)
	var buf bytes.Buffer
	enc := vegeta.NewEncoder(&buf)
	for i := range 10 {
		r := vegeta.Result{Code: 200, Timestamp: t0.Add(time.Duration(i) * 100 * time.Millisecond), Latency: time.Millisecond}
		if i%5 == 4 {
			r.Code, r.Error = 0, "dial tcp: connection refused"
		}
		g.Expect(enc.Encode(&r)).To(Succeed())
	}
	m, err := ReadStreams([]Stream{{Name: "stdin", R: &buf}}, simulator.AggregatorConfig{})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(m.Foreign).To(BeEquivalentTo(10))
	g.Expect(m.Summary.Outcomes).To(HaveKeyWithValue("ok", BeEquivalentTo(8)))
	g.Expect(m.Summary.Outcomes).To(HaveKeyWithValue("connect_failure", BeEquivalentTo(2)))
}

func TestMergerYieldsResultsInOrderOfTheirEnds(t *testing.T) {
	g := NewWithT(t)
	stream := func(ends ...int) *bytes.Buffer {
		var buf bytes.Buffer
		enc := vegeta.NewJSONEncoder(&buf)
		for _, e := range ends {
			// Latency varies, so Timestamp order differs from end order.
			r := vegeta.Result{Timestamp: t0.Add(time.Duration(e-e%3) * time.Second), Latency: time.Duration(e%3) * time.Second}
			g.Expect(enc.Encode(&r)).To(Succeed())
		}
		return &buf
	}
	var m merger
	for i, b := range []*bytes.Buffer{stream(1, 4, 5, 9), stream(2, 3, 8), stream(), stream(6, 7, 10)} {
		c, err := openCursor("s", i, b)
		g.Expect(err).NotTo(HaveOccurred())
		if c != nil {
			m = append(m, c)
		}
	}
	var got []int
	g.Expect(m.each(func(_ *cursor, r *vegeta.Result) {
		got = append(got, int(r.End().Sub(t0)/time.Second))
	})).To(Succeed())
	g.Expect(got).To(Equal([]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}))
}

func TestVegetaReportReadsTheStream(t *testing.T) {
	g := NewWithT(t)
	run := mixedRun(t0, 50, 1000)
	p := writeResults(t, t.TempDir(), "run.bin", "gob", "wxsim", run)
	f, err := os.Open(p)
	g.Expect(err).NotTo(HaveOccurred())
	defer f.Close()

	var mt vegeta.Metrics
	dec := vegeta.NewDecoder(f)
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); err != nil {
			break
		}
		mt.Add(&r)
	}
	mt.Close()
	g.Expect(mt.Requests).To(BeEquivalentTo(len(run)))
	// vegeta judges by status alone: ok and response failures (a 200
	// WeChat rejects) are its successes.
	g.Expect(mt.Success).To(BeNumerically("~", 900.0/1200, 1e-9))
	g.Expect(len(mt.Errors)).To(BeNumerically("<", 10), "error strings stay few: %v", mt.Errors)
}

func TestReadFilesRunsTheBreakerInTimeOrderAcrossShards(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	// Each shard alone fails too slowly to trip MarkFail within its first
	// minute (5 failures/s: 100 in 20 s); merged, it trips in 10 s.
	a := failingRun(t0, 5, 600)
	b := failingRun(t0.Add(100*time.Millisecond), 5, 600)
	pa := writeResults(t, dir, "a.bin", "gob", "a", a)
	pb := writeResults(t, dir, "b.bin", "gob", "b", b)

	m, err := ReadFiles([]string{pa, pb}, simulator.AggregatorConfig{})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(m.Summary.MarkFail).NotTo(BeEmpty())
	first := m.Summary.MarkFail[0]
	g.Expect(first.Start.Sub(t0)).To(BeNumerically("~", 10*time.Second, time.Second))
	g.Expect(first.Failures).To(Equal(100))
}

// With Replay, the streams' recorded runs decide the replay: the first
// stream's rules, every stream's accounts, the shards' target rates summed;
// streams that record nothing get the caller's configuration.
func TestReadStreamsReplaysTheRecordedRun(t *testing.T) {
	g := NewWithT(t)
	dir := t.TempDir()
	rule := simulator.MarkFailRule{Window: 10 * time.Second, MinFailures: 20, MinRatio: 0.5, Block: time.Minute}
	record := func(name, attack, appid string, rate float64) string {
		ri := simulator.RunInfo{MarkFail: rule, Alarm: simulator.AlarmRule{Window: time.Minute, Threshold: 5},
			Retries: 1, Accounts: []simulator.AccountInfo{{AppID: appid, Nickname: "Nick " + appid}}, TargetRate: rate}
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		g.Expect(err).NotTo(HaveOccurred())
		defer f.Close()
		e := encoders["gob"](f)
		for i, o := range failingRun(t0, rate, 100) {
			o.Account = appid
			r := simulator.ResultOf(&o, attack, "http://127.0.0.1:8080/wx", uint64(i))
			if i == 0 {
				ri.Record(&r)
			}
			g.Expect(e.Encode(&r)).To(Succeed())
		}
		return p
	}
	a, b := record("a.bin", "shard-0", "wxaaaaaaaaaaaaaaaa", 40), record("b.bin", "shard-1", "wxbbbbbbbbbbbbbbbb", 60)
	var got simulator.RunInfo
	replay := Replay(func(rec simulator.RunInfo, found bool) simulator.AggregatorConfig {
		g.Expect(found).To(BeTrue())
		got = rec
		return rec.Config()
	})
	m, err := ReadFiles([]string{a, b}, simulator.AggregatorConfig{}, replay)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(got.MarkFail).To(Equal(rule))
	g.Expect(got.TargetRate).To(Equal(100.0))
	g.Expect(got.Accounts).To(HaveLen(2))
	g.Expect(m.Summary.Rate.Target).To(Equal(100.0))
	g.Expect(m.Summary.Assumption.MarkFail).To(Equal(rule.String()))
	g.Expect(m.Summary.Assumption.AlarmThreshold).To(Equal(5))

	plain := writeResults(t, dir, "plain.bin", "gob", "plain", okRun(t0, 10, 10))
	_, err = ReadFiles([]string{plain}, simulator.AggregatorConfig{}, Replay(func(_ simulator.RunInfo, found bool) simulator.AggregatorConfig {
		g.Expect(found).To(BeFalse(), "a stream without a record")
		return simulator.AggregatorConfig{}
	}))
	g.Expect(err).NotTo(HaveOccurred())
}
