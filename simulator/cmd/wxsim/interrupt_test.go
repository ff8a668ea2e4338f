package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wxsim/wxsim/simulator/wechat"
)

// An interrupted attack stops sending, flushes the result stream and the
// summary, and exits 130.
func TestInterruptedAttackFlushesAndExits130(t *testing.T) {
	t.Parallel()
	g := NewWithT(t)
	url := serveEndpoint(t, wechat.Plain, "correct")
	out := filepath.Join(t.TempDir(), "r.bin")
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	args := append(accountArgs(url, wechat.Plain), "attack", "--rate", "100/s", "--duration", "30s", "--output", out)
	code := run(ctx, args, strings.NewReader(""), &stdout, &stderr)
	g.Expect(code).To(Equal(exitInterrupted), stdout.String()+stderr.String())
	g.Expect(stdout.String()).To(MatchRegexp(`Pushes\s+\[total`))
	g.Expect(stderr.String()).To(ContainSubstring("sent "), "plain progress lines when not a terminal")

	fh, err := os.Open(out)
	g.Expect(err).NotTo(HaveOccurred())
	defer fh.Close()
	dec := vegeta.NewDecoder(fh)
	n := 0
	for {
		var r vegeta.Result
		if dec.Decode(&r) != nil {
			break
		}
		n++
	}
	g.Expect(n).To(BeNumerically("~", 100, 25), "about a second of pushes flushed to the result stream")
}
