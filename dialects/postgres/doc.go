// Package postgres is the PostgreSQL dialect (11 and later): the base
// dialect with PostgreSQL's types and functions, names cut to 63 bytes,
// escape strings (E'...') for a backslash, views dropped and created, and strings
// ordered by byte. It does not open connections; engine does.
package postgres
