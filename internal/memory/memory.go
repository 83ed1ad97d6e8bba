// Package memory tunes the Go garbage collector for Strata's commands. It
// does nothing else.
package memory

import (
	"os"
	"runtime/debug"
)

// Tune trades memory for speed. Compiling allocates much more than it
// keeps (parse trees, SQL trees, text): collecting garbage when the heap
// has grown fivefold instead of twofold makes a project of 100,000
// definitions compile about a third faster. The memory limit, half the
// machine's memory, keeps a very large project from taking more: near it
// the collector runs as often as it must. GOGC and GOMEMLIMIT, when set,
// win.
func Tune() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit())
	}
}
