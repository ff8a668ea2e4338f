// Package capacity finds the highest push rate an endpoint sustains before
// WeChat would time out, alarm and block it: `wxsim capacity`.
//
// Run steps a constant rate up a ladder (Start, Start+Step, … up to
// MaxRate), one simulator.Run per step (a vegeta Attacker is single-use),
// with a short pause between steps so that one step's backlog does not
// spill into the next; or it ramps the rate (see Ramp below). Each step is
// judged:
//
//   - held: every threshold held (by default: no MarkFail, request_timeout
//     and response_failure ratios under 0.1 %, p99 under 1 s), latency did
//     not climb through the step, and the generator offered the rate;
//   - breached: the endpoint broke a threshold, or its latency climbed by
//     more than MaxGrowth from the step's first third to its last (a queue
//     building up);
//   - generator: the generator could not offer the rate (it sent under 95 %
//     of the step's pushes, or more than 10 % of them late), and nothing
//     but latency, which lateness inflates, went wrong: the endpoint was
//     not shown to be the limit. Timeouts, failures or MarkFail stay the
//     endpoint's even then.
//
// Stepping stops at the first step that does not hold. The knee is the
// rate of the last step that held; when the generator stopped the search,
// or every step held, the knee is a lower bound of the endpoint's capacity.
//
// Why latency growth: an endpoint serving N pushes a second, offered R > N
// for a step of length D, ends the step with a backlog of D·(R−N)/N
// seconds. A p99 bound B breaks only once R > N·(1 + B/D) (10 % above N
// for 10 s steps and p99 < 1 s), whereas the median latency climbs by about
// two thirds of the backlog within the step, which a bound of 50 ms catches
// within a few per cent of N. Medians of hundreds of deliveries per third
// are not moved by a stall of a shared machine.
//
// # Ramp
//
// With Config.Ramp set, Run instead climbs the rate linearly from the
// first rate to the last in one simulator.Run, with no pauses, and judges
// it in windows of Config.Window (2 s by default): window i holds the
// pushes due between i and i+1 windows after the start. Each window is
// judged as a step (thresholds, latency growth from its first third to
// its last, the generator's share), its rate being the ramp's mean over
// it, and the run stops at the first window that does not hold. The knee
// is the rate of the last window that held before it.
//
// A ramp is a quick first look: one continuous run of a known length, no
// ladder to choose. It is less precise than the steps. A queue needs time
// to show: the growth bound trips once latency has climbed enough within
// one window, by when the rate has climbed further, so the knee is early
// or late by about the ramp's slope times a window or two (100/s → 600/s
// over 16 s in 1 s windows: 31/s a window, 10 % of a 300/s knee; the same
// ramp in 2 s windows found 256/s for 300/s). The steps, each a constant
// rate held long enough to show its queue, are the precise measurement.
//
// A window is complete, and judged, only once no outcome of it can still
// come: a connect plus a response timeout (and a quarter second) after it
// ends. The run therefore goes on that long past the window that breaks
// (8.25 s with WeChat's 3 s and 5 s), offering ever more, before it
// stops; windows still open then are not judged. Windows still waiting
// when the ramp ends by itself are judged then. A last piece of the ramp
// shorter than half a window is not judged. Latency growth needs 50
// deliveries in each third of a window (150/s and up in 1 s windows, 75/s
// in 2 s windows); below that only the thresholds judge. A window's
// MarkFail blocks are those the run's breaker (the engine's, which sees
// the whole stream) started during it.
//
// Workers are capped per step (a ramp: for its top rate), at twice the
// rate times the latency budget (the largest latency bound, at least 1 s),
// so that an endpoint within its bounds never holds every worker, while
// an overloaded generator counts late pushes instead of spiralling into
// ever more goroutines and connections (vegeta-notes §1.3, §8). The
// machine's CPU load during each step (window) is reported beside it.
package capacity
