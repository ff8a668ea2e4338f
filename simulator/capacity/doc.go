// Package capacity finds the highest push rate an endpoint sustains before
// WeChat would time out, alarm and block it: `wxsim capacity`.
//
// Run steps a constant rate up a ladder (Start, Start+Step, … up to
// MaxRate), one simulator.Run per step (a vegeta Attacker is single-use),
// with a short pause between steps so that one step's backlog does not
// spill into the next. Each step is judged:
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
// Workers are capped per step, at twice the rate times the latency budget
// (the largest latency bound, at least 1 s), so that an endpoint within its
// bounds never holds every worker, while an overloaded generator counts
// late pushes instead of spiralling into ever more goroutines and
// connections (vegeta-notes §1.3, §8). The machine's CPU load during each
// step is reported beside it.
package capacity
