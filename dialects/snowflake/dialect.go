package snowflake

import (
	"strconv"

	"github.com/strata-analytics/strata/dialects/base"
	"github.com/strata-analytics/strata/sqltree"
)

// Dialect is Snowflake.
type Dialect struct{ base.Dialect }

// New returns the Snowflake dialect.
func New() Dialect {
	return Dialect{base.Dialect{
		DialectName: "snowflake",
		Title:       "Snowflake",
		Types:       types,
		Functions:   functions,
		Identifiers: base.ANSIIdentifiers,
		// A backslash escapes in '...': \\ is one backslash.
		Strings: base.BackslashStrings,
		Names: base.NameRules{
			MaxLength:           255,
			DefaultSchema:       "PUBLIC",
			QuoteOnlyWhenNeeded: true,
			Reserved:            reserved,
			FoldUnquoted:        base.FoldUpper,
		},
		// Strata does not connect to Snowflake: connection_env is optional,
		// for the tools that apply the compiled SQL.
		Target: base.TargetRules{Settings: []base.TargetSetting{
			{Name: "account", Doc: "the account identifier (orgname-accountname)"},
			{Name: "database", Doc: "the database the views' schema is in: names are database.schema.view", Qualifies: true},
			{Name: "warehouse", Doc: "the virtual warehouse that runs the SQL"},
			{Name: "role", Doc: "the role the SQL runs as"},
		}},
	}}
}

// ViewStatements replaces the view (or table) in place and comments on
// it with COMMENT ON; a column's comment is set by ALTER VIEW ... ALTER
// COLUMN ... COMMENT, which views accept where COMMENT ON COLUMN is
// documented for tables only.
func (Dialect) ViewStatements(v *sqltree.CreateView) []sqltree.Statement {
	out := []sqltree.Statement{base.Define(v)}
	if v.Comment != "" {
		out = append(out, &sqltree.CommentOn{Object: v.Object(), Name: v.Name, Comment: v.Comment})
	}
	for _, c := range v.ColumnComments {
		out = append(out, &sqltree.AlterColumn{Object: v.Object(), Name: v.Name, Column: c.Column,
			Change: sqltree.Words{sqltree.Keyword{Word: "COMMENT"}, sqltree.Str(c.Comment)}})
	}
	return out
}

// Series numbers GENERATOR's rows with ROW_NUMBER (SEQ4 may have gaps)
// and adds them to the first date. GENERATOR takes a constant row count,
// hence MaxRows rows, filtered.
func (Dialect) Series(s sqltree.DateSeries) sqltree.From {
	const alias = "strata_numbers"
	numbers := sqltree.Derived{Alias: alias, Query: &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Binary{Op: "-",
			Left:  sqltree.Window{Call: sqltree.Call{Name: "ROW_NUMBER"}, OrderBy: []sqltree.OrderItem{{X: sqltree.Call{Name: "SEQ4"}}}},
			Right: sqltree.Num("1")}, Alias: "k"}},
		From: sqltree.TableCall{Name: "TABLE", Args: []sqltree.Expr{sqltree.Keyword{Word: "GENERATOR(ROWCOUNT => " + strconv.Itoa(s.MaxRows) + ")"}}},
	}}
	return base.NumberedSeries(s, numbers, sqltree.Column{Table: alias, Name: "k"}, func(n sqltree.Expr) sqltree.Expr {
		return sqltree.Cast{X: sqltree.Call{Name: "DATEADD", Args: []sqltree.Expr{sqltree.Keyword{Word: string(s.Unit)}, n, s.From}}, Type: sqltree.Date}
	})
}
