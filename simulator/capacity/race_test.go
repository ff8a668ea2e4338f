//go:build race

package capacity

// raceEnabled is true under the race detector, whose 5–10× CPU cost per
// push puts the faster knee tests beyond a 2-core machine.
const raceEnabled = true
