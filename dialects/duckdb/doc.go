// Package duckdb renders Strata's SQL trees for DuckDB, the embedded engine
// that `strata build` runs locally. It does not open databases; engine does.
package duckdb
