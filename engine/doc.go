// Package engine executes compiled projects: it loads local seed files,
// creates the views in one transaction (all or nothing) and runs queries,
// on an embedded DuckDB file or a PostgreSQL server.
//
// It does not compile anything: it takes a compiler.Compiled and runs its
// SQL as it is. It is the only package besides the CLI that touches files
// and database connections.
package engine
