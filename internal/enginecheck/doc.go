// Package enginecheck runs compiled projects on real engines that Strata
// compiles for but does not connect to: ClickHouse (chDB, embedded), Apache
// Spark (local, for the Databricks dialect), a Trino server and ZetaSQL's
// reference implementation (for BigQuery; internal/zetasqlcheck's
// evaluate.mjs runs it), and on fakesnow, an emulator of Snowflake over
// DuckDB that is a secondary signal only (Engine.Secondary,
// Engine.Departures). runner.py executes the statements with each
// engine's own Python client; this
// package writes its request (seed tables and rows as literals of the
// dialect, then the compiled views) and reads each view's rows back,
// typed, into the form dbtest prints DuckDB's in, so that the tests
// compare them with ==.
//
// It is for tests only. It neither installs the engines (`make checkers`
// and .ci/run do) nor judges the results (the tests do).
package enginecheck
