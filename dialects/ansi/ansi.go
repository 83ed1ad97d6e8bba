// Package ansi holds the SQL-standard spellings that several dialects share,
// such as double-quoted identifiers. Dialects call it; it is not a dialect.
package ansi

import "strings"

// QuoteIdent quotes an identifier in double quotes, doubling any inside.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteString quotes a string literal in single quotes, doubling any inside.
func QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
