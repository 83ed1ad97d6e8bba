package databricks

import (
	"regexp"
	"strconv"

	"github.com/strata-analytics/strata/dialects/base"
	"github.com/strata-analytics/strata/sqltree"
)

// Dialect is Databricks SQL.
type Dialect struct{ base.Dialect }

// New returns the Databricks dialect.
func New() Dialect {
	return Dialect{base.Dialect{
		DialectName: "databricks",
		Title:       "Databricks",
		Types:       types,
		Functions:   functions,
		Identifiers: base.Quoting{Open: "`", Close: "`", Escapes: map[rune]string{'`': "``"}},
		// A backslash escapes in '...', and '' is not a quote: 'a''b' is
		// two literals run together.
		Strings: base.BackslashStrings,
		Names: base.NameRules{
			MaxLength:           255,
			CaseInsensitive:     true,
			DefaultSchema:       "default",
			QuoteOnlyWhenNeeded: true,
			Reserved:            reserved,
			Schemas:             unityCatalogNames,
			Objects:             unityCatalogNames,
		},
		// Strata does not connect to Databricks: connection_env is optional.
		Target: base.TargetRules{Settings: []base.TargetSetting{
			{Name: "catalog", Doc: "the Unity Catalog catalog: names are catalog.schema.view", Qualifies: true},
		}},
	}}
}

// unityCatalogNames are the names Unity Catalog allows for schemas,
// tables and views: no period, space, slash or control character, quoted
// or not (docs.databricks.com/en/sql/language-manual/sql-ref-names.html).
var unityCatalogNames = &base.NameShape{
	Valid: regexp.MustCompile(`^[^. /\x00-\x1f\x7f]+$`),
	Says:  "Databricks (Unity Catalog) refuses a period, a space, a slash or a control character in the name of a schema, table or view, even quoted",
}

// ViewStatements replaces the view (or table) in place, its description
// in an inline COMMENT clause and each column's with COMMENT ON COLUMN.
func (Dialect) ViewStatements(v *sqltree.CreateView) []sqltree.Statement {
	var options []sqltree.Expr
	if v.Comment != "" {
		options = append(options, comment(v.Comment))
	}
	return append([]sqltree.Statement{base.Define(v, options...)}, base.ColumnComments(v)...)
}

func comment(text string) sqltree.Expr {
	return sqltree.Words{sqltree.Keyword{Word: "COMMENT"}, sqltree.Str(text)}
}

// Series explodes sequence(...), a generator Spark accepts in FROM.
func (Dialect) Series(s sqltree.DateSeries) sqltree.From {
	step := sqltree.Keyword{Word: "INTERVAL " + strconv.Itoa(s.Step) + " " + string(s.Unit) + "S"}
	return sqltree.FunctionRows{
		Call:  sqltree.Call{Name: "explode", Args: []sqltree.Expr{sqltree.Call{Name: "sequence", Args: []sqltree.Expr{s.From, s.Through, step}}}},
		Alias: s.Alias, Column: s.Column,
	}
}
