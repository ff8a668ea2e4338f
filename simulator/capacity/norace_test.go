//go:build !race

package capacity

// raceEnabled is true under the race detector.
const raceEnabled = false
