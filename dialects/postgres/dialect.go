package postgres

import (
	"github.com/strata-analytics/strata/dialects/ansi"
	"github.com/strata-analytics/strata/sqltree"
)

// Dialect is PostgreSQL.
type Dialect struct{}

func (Dialect) Name() string                  { return "postgres" }
func (Dialect) QuoteIdent(name string) string { return ansi.QuoteIdent(name) }

// QuoteString relies on standard_conforming_strings (on by default since
// PostgreSQL 9.1): a backslash in a '...' literal is an ordinary character.
func (Dialect) QuoteString(s string) string { return ansi.QuoteString(s) }

func (Dialect) Capabilities() sqltree.Capabilities {
	return sqltree.Capabilities{
		ViewComments:            true,
		ColumnComments:          true,
		ReplaceViewKeepsColumns: true,
		MaxIdentifierLength:     63, // NAMEDATALEN - 1; longer names are silently truncated
	}
}
