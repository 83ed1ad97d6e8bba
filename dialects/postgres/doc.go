// Package postgres renders Strata's SQL trees for PostgreSQL (11 and later).
// It does not open connections; engine does.
package postgres
