// Command strata compiles segments, cohorts and metrics declared in HCL to
// warehouse SQL views, and builds them on an embedded DuckDB.
//
// This package is the command line only: it reads the project directory,
// calls the compiler and the engine, and prints. See run.go for the commands.
package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/strata-analytics/strata/internal/memory"
)

func main() {
	memory.Tune()
	// STRATA_CPUPROFILE=FILE writes a CPU profile of the command, for
	// `go tool pprof` (see the README's speed section).
	if path := os.Getenv("STRATA_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "strata: STRATA_CPUPROFILE:", err)
			os.Exit(exitUsage)
		}
		code := Run(os.Args[1:], os.Stdout, os.Stderr)
		pprof.StopCPUProfile()
		f.Close()
		os.Exit(code)
	}
	os.Exit(Run(os.Args[1:], os.Stdout, os.Stderr))
}
