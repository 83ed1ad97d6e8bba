// Command strata compiles segments, cohorts and metrics declared in HCL to
// warehouse SQL views, and builds them on an embedded DuckDB.
//
// This package is the command line only: it reads the project directory,
// calls the compiler and the engine, and prints. See run.go for the commands.
package main

import "os"

func main() {
	os.Exit(Run(os.Args[1:], os.Stdout, os.Stderr))
}
