// Package base is the dialect every dialect starts from: ANSI SQL, with
// double-quoted identifiers and single-quoted strings, CREATE OR REPLACE
// VIEW and COMMENT ON, and byte order as the only order of strings.
//
// A dialect is a struct that embeds its closest relative (this one, or
// another dialect) and states only what differs: its tables (types,
// function templates, name rules, target and execution) as data, set in
// its constructor, and the few methods whose structure differs. As in
// sqlglot, where Redshift(Postgres) inherits Postgres's tables and
// overrides a few entries. docs/design.md#adding-a-dialect is the recipe.
//
// The package renders nothing and connects to nothing: sqltree prints,
// engine executes.
package base

import (
	"strings"

	"github.com/strata-analytics/strata/sqltree"
)

// Dialect holds what a dialect is: its tables as data, and the ANSI way
// of each method. Dialects embed it (directly or through a relative) and
// fill its fields in their constructor.
type Dialect struct {
	// DialectName is how projects name it: dialect = "postgres".
	DialectName string
	// Title is how its users name it in prose: "PostgreSQL".
	Title string
	// Types names the SQL types.
	Types map[sqltree.Type]string
	// Functions are the templates of the portable functions; {n} stands
	// for the n-th argument. A function missing here is one the dialect
	// cannot express, reported at the range that asked for it.
	Functions map[string]string
	// Names are the dialect's rules for identifiers.
	Names NameRules
	// Target says what a target of the dialect needs.
	Target TargetRules
	// Execution says whether and how Strata runs SQL on it.
	Execution Execution
}

// NameRules are what a dialect does with identifiers.
type NameRules struct {
	// MaxLength is the longest identifier in bytes; 0 means no limit.
	// Longer names are cut short by the engine, silently.
	MaxLength int
	// CaseInsensitive is true when two names that differ only in case
	// are one name, even quoted (DuckDB).
	CaseInsensitive bool
	// DefaultSchema is where a table named without a schema lives.
	DefaultSchema string
}

// TargetRules say what a target block of the dialect needs.
type TargetRules struct {
	// File: an embedded database, a file at the target's path, which
	// build creates and loads seed files into by default.
	File bool
	// Connection: a server, reached with the connection string in the
	// environment variable the target's connection_env names.
	Connection bool
}

// Execution is how Strata runs SQL on a dialect's databases.
type Execution int

const (
	// CompileOnly: Strata writes the SQL; the warehouse runs it.
	CompileOnly Execution = iota
	// EmbeddedDuckDB: Strata runs it on an embedded DuckDB file.
	EmbeddedDuckDB
	// PostgresWire: Strata connects to a server over PostgreSQL's protocol.
	PostgresWire
)

func (d Dialect) Name() string { return d.DialectName }

// DisplayName is the dialect's name in prose.
func (d Dialect) DisplayName() string { return d.Title }

// Rules are the dialect's rules for identifiers.
func (d Dialect) Rules() NameRules { return d.Names }

// Needs says what a target of the dialect needs.
func (d Dialect) Needs() TargetRules { return d.Target }

// Runs says whether and how Strata executes SQL on the dialect.
func (d Dialect) Runs() Execution { return d.Execution }

// QuoteIdent quotes an identifier in double quotes, doubling any inside.
func (Dialect) QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteString quotes a string literal in single quotes, doubling any
// inside. A dialect where a backslash can escape in '...' must override it.
func (Dialect) QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func (d Dialect) TypeName(t sqltree.Type) string { return d.Types[t] }

func (d Dialect) Function(name string) (string, bool) {
	t, ok := d.Functions[name]
	return t, ok
}

// ViewStatements replaces the view (or table) in place, then comments on
// it and on each of its columns.
func (Dialect) ViewStatements(v *sqltree.CreateView) []sqltree.Statement {
	var create sqltree.Statement = &sqltree.DefineView{Name: v.Name, Query: v.Query, OrReplace: true}
	if v.AsTable {
		create = &sqltree.CreateTableAs{Name: v.Name, Query: v.Query, OrReplace: true}
	}
	return append([]sqltree.Statement{create}, Comments(v)...)
}

// Comments are COMMENT ON statements for a view and its columns.
func Comments(v *sqltree.CreateView) []sqltree.Statement {
	var out []sqltree.Statement
	if v.Comment != "" {
		out = append(out, &sqltree.CommentOn{Object: v.Object(), Name: v.Name, Comment: v.Comment})
	}
	for _, c := range v.ColumnComments {
		out = append(out, &sqltree.CommentOn{Object: "COLUMN", Name: append(append([]string{}, v.Name...), c.Column), Comment: c.Comment})
	}
	return out
}

// OrderBytes is x: strings order by their bytes by default.
func (Dialect) OrderBytes(x sqltree.Expr) sqltree.Expr { return sqltree.Grouped{X: x} }

// Matches says which character escapes: PostgreSQL escapes with a
// backslash by default and DuckDB does not, so saying so makes a\_b mean
// the same everywhere.
func (Dialect) Matches(l sqltree.Like) sqltree.Expr {
	return sqltree.LikeEscape{X: l.X, Pattern: l.Pattern, Escape: `\`}
}

// Series is the "date_series" template's rows (generate_series in
// DuckDB and PostgreSQL) named with a column alias, the step an interval.
func (Dialect) Series(s sqltree.DateSeries) sqltree.From {
	return sqltree.FunctionRows{
		Call:  sqltree.Portable{Name: "date_series", Args: []sqltree.Expr{s.From, s.Through, sqltree.Str(s.Interval())}},
		Alias: s.Alias, Column: s.Column,
	}
}

// With is a copy of a table with some entries replaced, added or (with
// the value "") removed: how a dialect takes its relative's table and
// states what differs.
func With[K comparable](table map[K]string, changes map[K]string) map[K]string {
	out := make(map[K]string, len(table)+len(changes))
	for k, v := range table {
		out[k] = v
	}
	for k, v := range changes {
		if v == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}
