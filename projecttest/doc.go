// Package projecttest runs the test blocks of a user's project: for each
// test, a new in-memory DuckDB with every source's table, empty but for
// the rows the test gives (inline, or a file loaded as a seed), the
// project compiled as of the test's as_of and built there, and every
// expectation (a view's rows, a segment's members, a metric's values per
// entity) read back and compared, with a line diff when they differ.
//
// It does not check the test blocks (compiler.Tests does, with
// file:line:col diagnostics) nor print anything (the CLI does); it runs
// SQL only through the engine package.
package projecttest
