// Package duckdb is the DuckDB dialect, the embedded engine that `strata
// build` runs locally: the base dialect with DuckDB's types and functions,
// names that ignore case, and a database file as its target. It does not
// open databases; engine does.
package duckdb
