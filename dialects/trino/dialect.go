package trino

import (
	"strconv"
	"strings"

	"github.com/strata-analytics/strata/dialects/base"
	"github.com/strata-analytics/strata/sqltree"
)

// Dialect is Trino.
type Dialect struct{ base.Dialect }

// New returns the Trino dialect.
func New() Dialect {
	return Dialect{base.Dialect{
		DialectName: "trino",
		Title:       "Trino",
		Types:       types,
		Functions:   functions,
		Identifiers: base.ANSIIdentifiers,
		// '...' has no backslash escapes.
		Strings: base.ANSIStrings,
		Names: base.NameRules{
			CaseInsensitive:     true,
			QuoteOnlyWhenNeeded: true,
			Reserved:            reserved,
		},
		// Strata does not connect to Trino: connection_env is optional.
		Target: base.TargetRules{Settings: []base.TargetSetting{
			{Name: "catalog", Doc: "the catalog: names are catalog.schema.view", Qualifies: true},
		}},
	}}
}

// Series unnests sequence(...) (at most 10,000 dates: a day series spans
// at most 27 years).
func (Dialect) Series(s sqltree.DateSeries) sqltree.From {
	step := sqltree.Keyword{Word: "INTERVAL '" + strconv.Itoa(s.Step) + "' " + strings.ToUpper(string(s.Unit))}
	return sqltree.FunctionRows{
		Call:  sqltree.Call{Name: "UNNEST", Args: []sqltree.Expr{sqltree.Call{Name: "sequence", Args: []sqltree.Expr{s.From, s.Through, step}}}},
		Alias: s.Alias, Column: s.Column,
	}
}
