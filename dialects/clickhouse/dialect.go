package clickhouse

import (
	"strconv"
	"strings"

	"github.com/strata-analytics/strata/dialects/base"
	"github.com/strata-analytics/strata/sqltree"
)

// Dialect is ClickHouse.
type Dialect struct{ base.Dialect }

// New returns the ClickHouse dialect.
func New() Dialect {
	return Dialect{base.Dialect{
		DialectName: "clickhouse",
		Title:       "ClickHouse",
		Types:       types,
		Functions:   functions,
		// A backslash escapes inside "..." as it does inside '...'.
		Identifiers: base.Quoting{Open: `"`, Close: `"`, Escapes: map[rune]string{
			'\\': `\\`, '"': `\"`, '\n': `\n`, '\r': `\r`, 0: `\0`,
		}},
		Strings: base.BackslashStrings,
		// No ESCAPE clause: a backslash escapes % and _ already. A bare
		// UNION is an error unless a setting says which it means.
		LikeBackslash: true,
		UnionDistinct: true,
		Names: base.NameRules{
			// Names of tables are names of files: 255 bytes.
			MaxLength:           255,
			DefaultSchema:       "default",
			QuoteOnlyWhenNeeded: true,
			Reserved:            reserved,
		},
		// Strata does not connect to ClickHouse: connection_env is optional.
		Target: base.TargetRules{Settings: []base.TargetSetting{
			{Name: "database", Doc: "the database the views are created in (the project's schema by default)", IsSchema: true},
		}},
	}}
}

// settings are the ones every view and table query runs with, written in
// the statement so that they hold whoever queries it: unmatched rows of
// an outer join are NULL, not the type's default, and the toStartOf...
// functions return Date32 rather than a Date that stops at 1970.
var settings = sqltree.Keyword{Word: "SETTINGS join_use_nulls = 1, enable_extended_results_for_datetime_functions = 1"}

// ViewStatements replaces the view (or table) in place, with the settings
// and the description after the query (a table needs an engine, and its
// description goes before AS), then describes each column with ALTER
// TABLE ... COMMENT COLUMN, which views accept too.
func (d Dialect) ViewStatements(v *sqltree.CreateView) []sqltree.Statement {
	out := d.define(v)
	for _, c := range v.ColumnComments {
		out = append(out, &sqltree.AlterColumn{Object: "TABLE", Name: v.Name, Action: "COMMENT COLUMN", Column: c.Column, Change: sqltree.Str(c.Comment)})
	}
	return out
}

func (Dialect) define(v *sqltree.CreateView) []sqltree.Statement {
	var comment []sqltree.Expr
	if v.Comment != "" {
		comment = []sqltree.Expr{sqltree.Words{sqltree.Keyword{Word: "COMMENT"}, sqltree.Str(v.Comment)}}
	}
	if v.AsTable {
		options := append([]sqltree.Expr{sqltree.Keyword{Word: Dialect{}.TableOptions()}}, comment...)
		return []sqltree.Statement{&sqltree.CreateTableAs{Name: v.Name, Query: v.Query, OrReplace: true,
			Options: options, Trailing: []sqltree.Expr{settings}}}
	}
	return []sqltree.Statement{&sqltree.DefineView{Name: v.Name, Query: v.Query, OrReplace: true,
		Trailing: append([]sqltree.Expr{settings}, comment...)}}
}

// TableOptions name MergeTree, ClickHouse's table engine for data that
// lasts, with no sorting key: Strata's tables are read whole.
func (Dialect) TableOptions() string { return "ENGINE = MergeTree ORDER BY tuple()" }

// SchemaObject is DATABASE: ClickHouse has no schemas.
func (Dialect) SchemaObject() string { return "DATABASE" }

// Project names every qualified column (in a subquery with a join, t.c
// is named "t.c") and casts predicates to Bool: a comparison gives a
// UInt8, 1 or 0, which BI tools would show as a number.
func (Dialect) Project(item sqltree.SelectItem) sqltree.SelectItem {
	if col, ok := item.X.(sqltree.Column); ok && col.Table != "" {
		if item.Alias == "" {
			item.Alias = col.Name
		}
		item.AlwaysAlias = true
	}
	if sqltree.IsPredicate(item.X) {
		item.X = sqltree.Cast{X: item.X, Type: sqltree.Boolean}
	}
	if w, ok := item.X.(sqltree.Window); ok && offsetFunctions[strings.ToUpper(w.Call.Name)] && len(w.Call.Args) > 0 {
		args := append([]sqltree.Expr{sqltree.Call{Name: "toNullable", Args: w.Call.Args[:1]}}, w.Call.Args[1:]...)
		w.Call.Args = args
		item.X = w
	}
	return item
}

// offsetFunctions read another row of the window. Past the partition's
// edge they give the type's default, 0 for a number that cannot be NULL
// (a ROW_NUMBER), where SQL gives NULL: toNullable makes it NULL.
var offsetFunctions = map[string]bool{"LAG": true, "LEAD": true}

// Series adds numbers() rows to the first date with addDays, addMonths or
// addYears. numbers() takes a constant, hence MaxRows rows, filtered.
func (Dialect) Series(s sqltree.DateSeries) sqltree.From {
	const alias = "strata_numbers"
	numbers := sqltree.Derived{Alias: alias, Query: &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: "number"}, Alias: "k"}},
		From:    sqltree.TableCall{Name: "numbers", Args: []sqltree.Expr{sqltree.Num(strconv.Itoa(s.MaxRows))}},
	}}
	add := map[sqltree.DateUnit]string{sqltree.Day: "addDays", sqltree.Month: "addMonths", sqltree.Year: "addYears"}[s.Unit]
	return base.NumberedSeries(s, numbers, sqltree.Column{Table: alias, Name: "k"}, func(n sqltree.Expr) sqltree.Expr {
		return sqltree.Cast{X: sqltree.Call{Name: add, Args: []sqltree.Expr{sqltree.Cast{X: s.From, Type: sqltree.Date}, n}}, Type: sqltree.Date}
	})
}
