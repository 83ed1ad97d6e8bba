package bigquery

import (
	"regexp"
	"strconv"

	"github.com/strata-analytics/strata/dialects/base"
	"github.com/strata-analytics/strata/sqltree"
)

// Dialect is BigQuery.
type Dialect struct{ base.Dialect }

// New returns the BigQuery dialect.
func New() Dialect {
	return Dialect{base.Dialect{
		DialectName: "bigquery",
		Title:       "BigQuery",
		Types:       types,
		Functions:   functions,
		// A backslash escapes inside backticks too.
		Identifiers: base.Quoting{Open: "`", Close: "`", Escapes: map[rune]string{'`': "\\`", '\\': `\\`, '\n': `\n`, '\r': `\r`}},
		// '...' cannot hold a line break, and a quote is escaped with a
		// backslash ('' would end the string).
		Strings: base.BackslashStrings,
		// No ESCAPE clause: a backslash escapes % and _ already. A bare
		// UNION is an error.
		LikeBackslash: true,
		UnionDistinct: true,
		Names: base.NameRules{
			// Column names are at most 300 characters.
			MaxLength: 300,
			// "Column names are case-insensitive" (BigQuery's schema
			// docs); dataset and table names are case-sensitive.
			ColumnsIgnoreCase:   true,
			QuoteOnlyWhenNeeded: true,
			Reserved:            reserved,
			Schemas:             datasetNames,
			Objects:             tableNames,
		},
		// Strata does not connect to BigQuery: connection_env is optional.
		Target: base.TargetRules{Settings: []base.TargetSetting{
			{Name: "project", Doc: "the Google Cloud project: names are project.dataset.view", Qualifies: true},
			{Name: "dataset", Doc: "the dataset the views are created in (the project's schema by default)", IsSchema: true},
			{Name: "location", Doc: "where the dataset is (US, EU, a region)"},
		}},
	}}
}

// datasetNames and tableNames are the names BigQuery allows for a
// dataset (the schema), and for a table or view
// (cloud.google.com/bigquery/docs/datasets#dataset-naming, /tables#table_naming).
var (
	datasetNames = &base.NameShape{
		Valid: regexp.MustCompile(`^[A-Za-z0-9_]+$`),
		Says:  "BigQuery allows only letters, digits and underscores in a dataset's name",
	}
	tableNames = &base.NameShape{
		Valid: regexp.MustCompile(`^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]+$`),
		Says:  "BigQuery allows only letters, marks, numbers, underscores and other connectors, dashes and spaces in the name of a table or view",
	}
)

// ViewStatements replaces the view (or table) in place, its description
// in OPTIONS and each column's set by ALTER ... ALTER COLUMN.
func (Dialect) ViewStatements(v *sqltree.CreateView) []sqltree.Statement {
	var options []sqltree.Expr
	if v.Comment != "" {
		options = append(options, description(v.Comment))
	}
	out := []sqltree.Statement{base.Define(v, options...)}
	for _, c := range v.ColumnComments {
		out = append(out, &sqltree.AlterColumn{Object: v.Object(), Name: v.Name, Column: c.Column,
			Change: sqltree.Words{sqltree.Keyword{Word: "SET"}, description(c.Comment)}})
	}
	return out
}

func description(text string) sqltree.Expr {
	return sqltree.Call{Name: "OPTIONS", Args: []sqltree.Expr{sqltree.NamedArg{Name: "description", Value: sqltree.Str(text)}}}
}

// Series unnests GENERATE_DATE_ARRAY, whose elements are named by a
// derived table (UNNEST ... AS x names a value, not a column).
func (Dialect) Series(s sqltree.DateSeries) sqltree.From {
	step := sqltree.Keyword{Word: "INTERVAL " + strconv.Itoa(s.Step) + " " + unitWords[s.Unit]}
	return sqltree.Derived{Alias: s.Alias, Query: &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: "strata_date"}, Alias: s.Column}},
		From: sqltree.TableCall{Name: "UNNEST", Alias: "strata_date", Args: []sqltree.Expr{
			sqltree.Call{Name: "GENERATE_DATE_ARRAY", Args: []sqltree.Expr{s.From, s.Through, step}}}},
	}}
}

var unitWords = map[sqltree.DateUnit]string{sqltree.Day: "DAY", sqltree.Month: "MONTH", sqltree.Year: "YEAR"}
