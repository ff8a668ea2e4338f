package report

import (
	"bufio"
	"container/heap"
	"errors"
	"fmt"
	"io"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// cursor is one stream being read: its decoder and the result at its head.
type cursor struct {
	name string
	file int // index among the streams, the shard key with the attack name
	dec  vegeta.Decoder
	head vegeta.Result
	n    uint64 // results decoded so far
}

// openCursor sniffs the encoding of r (gob, JSON or CSV, as vegeta writes
// them) and reads its first result. An empty stream yields no cursor and
// no error: a shard that sent nothing is still a shard that ran.
func openCursor(name string, file int, r io.Reader) (*cursor, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if _, err := br.Peek(1); errors.Is(err, io.EOF) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	dec := vegeta.DecoderFor(br)
	if dec == nil {
		return nil, fmt.Errorf("%s: not a result stream: neither vegeta's gob, JSON nor CSV encoding", name)
	}
	c := &cursor{name: name, file: file, dec: dec}
	if ok, err := c.next(); err != nil || !ok {
		return nil, err
	}
	return c, nil
}

// next decodes the following result into head; false at the end of the
// stream. The head is cleared first: gob leaves fields absent from the
// stream (zero values) untouched, which would leak the previous result's.
func (c *cursor) next() (bool, error) {
	c.head = vegeta.Result{}
	err := c.dec(&c.head)
	switch {
	case errors.Is(err, io.EOF):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("%s: result %d: %w", c.name, c.n+1, err)
	case c.head.Timestamp.IsZero():
		return false, fmt.Errorf("%s: result %d has no timestamp: not a result stream", c.name, c.n+1)
	}
	c.n++
	return true, nil
}

// merger yields the results of several streams in order of their ends
// (Timestamp + Latency), a k-way merge of streams each in roughly that
// order already: a run writes its results as deliveries end, and the
// aggregator's breaker needs them in that order, as it saw them live.
type merger []*cursor

func (m merger) Len() int { return len(m) }
func (m merger) Less(i, j int) bool {
	ei, ej := m[i].head.End(), m[j].head.End()
	if ei.Equal(ej) {
		return m[i].file < m[j].file
	}
	return ei.Before(ej)
}
func (m merger) Swap(i, j int) { m[i], m[j] = m[j], m[i] }
func (m *merger) Push(x any)   { *m = append(*m, x.(*cursor)) }
func (m *merger) Pop() any {
	old := *m
	c := old[len(old)-1]
	*m = old[:len(old)-1]
	return c
}

// each calls f with every result of every cursor, earliest end first. The
// result passed to f is reused: f must not keep it.
func (m *merger) each(f func(c *cursor, r *vegeta.Result)) error {
	heap.Init(m)
	for m.Len() > 0 {
		c := (*m)[0]
		f(c, &c.head)
		ok, err := c.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(m, 0)
		} else {
			heap.Pop(m)
		}
	}
	return nil
}
