// Package pacing holds wxsim's open-model pacers: vegeta Pacers that also
// know when each hit was due.
//
// vegeta dispatches hit n when its Pacer says so, but it timestamps a result
// when a worker picks the hit up. When the generator falls behind (a capped
// worker pool, a saturated CPU) that delay vanishes from the measured latency:
// coordinated omission. Each Pacer here describes its schedule as a
// cumulative-hits curve H(t) = ∫rate, and Due(n) = H⁻¹(n) is the moment hit n
// should have been sent. The engine measures latency from Due (as wrk2 does)
// and counts pushes sent later than Due as late.
//
// Shapes: Constant, Linear (ramp), Sine, and Staged (k6-style stages run one
// after another: hold, ramp, sine, step); Closed is the closed loop at full
// speed for benchmarks. ParseRate reads rates such as "200/s" or "12000/m".
//
// Hit n (0-based) is due at the first instant the curve exceeds n, so a hold
// at 200/s for 10s offers 2000 hits at 0, 5ms, … 9.995s, and a stage at rate
// 0 is a pause: the next hit waits for the next stage with a positive rate.
package pacing
