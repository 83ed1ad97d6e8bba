package duckdb

import "github.com/strata-analytics/strata/dialects/base"

// Dialect is DuckDB: the base dialect with DuckDB's types and functions,
// names that ignore case, and an embedded database file that Strata runs.
type Dialect struct{ base.Dialect }

// New returns the DuckDB dialect.
func New() Dialect {
	return Dialect{base.Dialect{
		DialectName: "duckdb",
		Title:       "DuckDB",
		Types:       types,
		Functions:   functions,
		Identifiers: base.ANSIIdentifiers,
		Strings:     base.ANSIStrings,
		// Names that differ only in case are one name, even quoted; there
		// is no length limit.
		Names:     base.NameRules{CaseInsensitive: true, DefaultSchema: "main"},
		Target:    base.TargetRules{File: true},
		Execution: base.EmbeddedDuckDB,
	}}
}
