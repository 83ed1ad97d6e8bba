package redshift

import (
	"github.com/strata-analytics/strata/dialects/base"
	"github.com/strata-analytics/strata/dialects/postgres"
	"github.com/strata-analytics/strata/sqltree"
)

// Dialect is Amazon Redshift: PostgreSQL 8.0's descendant.
type Dialect struct{ postgres.Dialect }

// New returns the Redshift dialect.
func New() Dialect {
	d := Dialect{postgres.New()}
	d.DialectName, d.Title = "redshift", "Amazon Redshift"
	d.Types = base.With(d.Types, map[sqltree.Type]string{
		// TEXT is VARCHAR(256) in Redshift, which would cut longer values.
		sqltree.String: "VARCHAR(65535)",
	})
	d.Functions = base.With(d.Functions, functions)
	// A backslash escapes in '...' (there is no E'...'): doubling it
	// and the quote keeps the string whole under either reading.
	d.Strings = base.Quoting{Open: "'", Close: "'", Escapes: map[rune]string{'\'': "''", '\\': `\\`}}
	d.Names = base.NameRules{
		MaxLength: 127,
		// Names are stored in lower case, quoted or not, unless
		// enable_case_sensitive_identifier is on.
		CaseInsensitive:     true,
		DefaultSchema:       "public",
		QuoteOnlyWhenNeeded: true,
		Reserved:            reserved,
	}
	d.Execution = base.CompileOnly
	// Strata does not connect to Redshift: connection_env is optional.
	d.Target = base.TargetRules{Settings: []base.TargetSetting{
		{Name: "database", Doc: "the database the views' schema is in: names are database.schema.view", Qualifies: true},
	}}
	return d
}

// QuoteString is the base dialect's: Redshift has no escape strings.
func (d Dialect) QuoteString(s string) string { return d.Strings.Quote(s) }

// OrderBytes is x: Redshift compares strings by their bytes unless a
// column is declared case-insensitive.
func (Dialect) OrderBytes(x sqltree.Expr) sqltree.Expr { return sqltree.Grouped{X: x} }

// Series adds rows of digits to the first date with DATEADD.
func (Dialect) Series(s sqltree.DateSeries) sqltree.From {
	numbers, k := base.DigitRows(s.MaxRows)
	return base.NumberedSeries(s, numbers, k, func(n sqltree.Expr) sqltree.Expr {
		return sqltree.Cast{X: sqltree.Call{Name: "DATEADD", Args: []sqltree.Expr{sqltree.Keyword{Word: string(s.Unit)}, n, s.From}}, Type: sqltree.Date}
	})
}
