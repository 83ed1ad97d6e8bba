package duckdb

import (
	"github.com/strata-analytics/strata/dialects/ansi"
	"github.com/strata-analytics/strata/sqltree"
)

// Dialect is DuckDB.
type Dialect struct{}

func (Dialect) Name() string                  { return "duckdb" }
func (Dialect) QuoteIdent(name string) string { return ansi.QuoteIdent(name) }
func (Dialect) QuoteString(s string) string   { return ansi.QuoteString(s) }

func (Dialect) Capabilities() sqltree.Capabilities {
	return sqltree.Capabilities{
		ViewComments:         true,
		ColumnComments:       true,
		CaseInsensitiveNames: true,
		DefaultSchema:        "main",
	}
}
