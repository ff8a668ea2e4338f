package endpoint

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The behaviour names, as written on the command line.
const (
	Correct    = "correct"    // the zero value: a correct endpoint
	Slow       = "slow"       // slow=DURATION: answers correctly after DURATION
	Error500   = "error500"   // status 500, body "Error 500:"
	BadXML     = "badxml"     // 200 with a body that is not XML
	WrongSwap  = "wrongswap"  // text replies with To/From not swapped
	JSON       = "json"       // 200 with a JSON body
	Unsigned   = "unsigned"   // accepts bad signatures, otherwise correct
	PlainReply = "plainreply" // unencrypted passive replies in safe mode
	Flaky      = "flaky"      // flaky=P: a fraction P of pushes get Error500
	Hang       = "hang"       // never answers
	Reset      = "reset"      // TCP reset instead of an answer
	Blackhole  = "blackhole"  // a listener whose connects time out
	Capacity   = "capacity"   // capacity=N: at most N requests a second

	// The asynchronous behaviours answer every push "success" at once and
	// answer text messages through WeChat's server API (Config.API).
	Async        = "async"        // correct: cached token, custom/send in the background
	TokenPerPush = "tokenperpush" // a new access_token for every message
	NoRefresh    = "norefresh"    // never refetches the token, even after 40001
	DropAsync    = "dropasync"    // answers "success" and never sends anything
)

// behaviourSyntax lists every behaviour as the user writes it; errors and
// help texts print it, so it is the one place the syntax is spelled out.
var behaviourSyntax = []string{
	Correct, Slow + "=DURATION", Error500, BadXML, WrongSwap, JSON, Unsigned, PlainReply,
	Flaky + "=P", Hang, Reset, Blackhole, Capacity + "=N",
	Async, TokenPerPush, NoRefresh, DropAsync,
}

// Behaviours lists the valid behaviour spellings, e.g. "slow=DURATION".
func Behaviours() []string { return append([]string(nil), behaviourSyntax...) }

// Behaviour is how the reference endpoint answers. The zero value is a
// correct endpoint; the other behaviours are faults for drills.
type Behaviour struct {
	Name     string        // one of the behaviour names; "" means Correct
	Delay    time.Duration // slow: how long each answer waits
	P        float64       // flaky: the fraction of pushes answered with Error 500
	Capacity int           // capacity: the requests served per second
}

// IsCorrect reports whether b is the correct endpoint.
func (b Behaviour) IsCorrect() bool { return b.Name == "" || b.Name == Correct }

// UsesAPI reports whether b answers through WeChat's server API, and so
// needs Config.API: async, tokenperpush, norefresh and dropasync.
func (b Behaviour) UsesAPI() bool {
	switch b.Name {
	case Async, TokenPerPush, NoRefresh, DropAsync:
		return true
	}
	return false
}

// String returns b as ParseBehaviour reads it, e.g. "slow=200ms".
func (b Behaviour) String() string {
	switch {
	case b.IsCorrect():
		return Correct
	case b.Name == Slow:
		return Slow + "=" + b.Delay.String()
	case b.Name == Flaky:
		return Flaky + "=" + strconv.FormatFloat(b.P, 'g', -1, 64)
	case b.Name == Capacity:
		return Capacity + "=" + strconv.Itoa(b.Capacity)
	}
	return b.Name
}

// ParseBehaviour reads a behaviour: "" or "correct", a bare name such as
// "error500", or a name with its parameter: "slow=6s", "flaky=0.1",
// "capacity=200". Errors name the input and list the valid behaviours.
func ParseBehaviour(s string) (Behaviour, error) {
	name, arg, hasArg := strings.Cut(strings.TrimSpace(s), "=")
	if name == "" && !hasArg {
		return Behaviour{}, nil
	}
	b, err := parseBehaviour(name, arg, hasArg)
	if err != nil {
		return Behaviour{}, fmt.Errorf("behaviour %q: %w (valid: %s)", s, err, strings.Join(behaviourSyntax, ", "))
	}
	return b, nil
}

func parseBehaviour(name, arg string, hasArg bool) (Behaviour, error) {
	switch name {
	case Slow:
		return parseSlow(arg, hasArg)
	case Flaky:
		return parseFlaky(arg, hasArg)
	case Capacity:
		return parseCapacity(arg, hasArg)
	case Correct, Error500, BadXML, WrongSwap, JSON, Unsigned, PlainReply, Hang, Reset, Blackhole,
		Async, TokenPerPush, NoRefresh, DropAsync:
		if hasArg {
			return Behaviour{}, fmt.Errorf("%s takes no parameter", name)
		}
		if name == Correct {
			return Behaviour{}, nil
		}
		return Behaviour{Name: name}, nil
	}
	return Behaviour{}, fmt.Errorf("unknown behaviour %q", name)
}

func parseSlow(arg string, hasArg bool) (Behaviour, error) {
	if !hasArg {
		return Behaviour{}, fmt.Errorf("slow needs a duration, e.g. slow=6s")
	}
	d, err := time.ParseDuration(arg)
	if err != nil || d <= 0 {
		return Behaviour{}, fmt.Errorf("slow=%s: want a positive duration, e.g. slow=6s", arg)
	}
	return Behaviour{Name: Slow, Delay: d}, nil
}

func parseFlaky(arg string, hasArg bool) (Behaviour, error) {
	if !hasArg {
		return Behaviour{}, fmt.Errorf("flaky needs a fraction, e.g. flaky=0.1")
	}
	p, err := strconv.ParseFloat(arg, 64)
	if err != nil || !(p >= 0 && p <= 1) {
		return Behaviour{}, fmt.Errorf("flaky=%s: want a fraction from 0 to 1, e.g. flaky=0.1", arg)
	}
	return Behaviour{Name: Flaky, P: p}, nil
}

func parseCapacity(arg string, hasArg bool) (Behaviour, error) {
	if !hasArg {
		return Behaviour{}, fmt.Errorf("capacity needs a rate, e.g. capacity=200")
	}
	n, err := strconv.Atoi(arg)
	if err != nil || n < 1 {
		return Behaviour{}, fmt.Errorf("capacity=%s: want a whole number of requests a second, at least 1", arg)
	}
	return Behaviour{Name: Capacity, Capacity: n}, nil
}

// validate checks a Behaviour built by hand rather than parsed: its
// String form must parse, which rejects unknown names and parameters out of
// range (slow=0s, flaky=NaN, capacity=0).
func (b Behaviour) validate() error {
	_, err := ParseBehaviour(b.String())
	return err
}
