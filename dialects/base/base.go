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
	"regexp"
	"strconv"
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
	// Identifiers and Strings say how names and string literals are
	// written between quotes.
	Identifiers, Strings Quoting
	// Target says what a target of the dialect needs.
	Target TargetRules
	// Execution says whether and how Strata runs SQL on it.
	Execution Execution
	// LikeBackslash: a backslash escapes % and _ in LIKE already and
	// there is no ESCAPE clause (BigQuery, ClickHouse).
	LikeBackslash bool
	// UnionDistinct: a bare UNION is an error; UNION DISTINCT says it
	// (BigQuery, ClickHouse).
	UnionDistinct bool
}

// NameRules are what a dialect does with identifiers.
type NameRules struct {
	// MaxLength is the longest identifier in bytes; 0 means no limit.
	// Longer names are cut short by the engine, silently.
	MaxLength int
	// CaseInsensitive is true when two names that differ only in case
	// are one name, even quoted (DuckDB).
	CaseInsensitive bool
	// ColumnsIgnoreCase is true when column names that differ only in
	// case are one column, even quoted, while table names keep their case
	// (BigQuery).
	ColumnsIgnoreCase bool
	// DefaultSchema is where a table named without a schema lives.
	DefaultSchema string
	// QuoteOnlyWhenNeeded writes a plain name (lower-case letters,
	// digits and _, not starting with a digit, not Reserved) without
	// quotes, as the warehouse's users write it.
	QuoteOnlyWhenNeeded bool
	// Reserved are the words (in lower case, as Words makes them) that
	// are always quoted.
	Reserved map[string]bool
	// FoldUnquoted is how the warehouse stores a name written without
	// quotes: as written, or in upper case (Snowflake) or lower case.
	FoldUnquoted Fold
	// Schemas and Objects, where set, say which names of schemas, and of
	// tables and views, the warehouse refuses even quoted.
	Schemas, Objects *NameShape
}

// NameShape is what a warehouse allows in a kind of name: a name that
// Valid rejects is refused, for the reason Says gives.
type NameShape struct {
	Valid *regexp.Regexp
	Says  string
}

// Problem is why name is refused, or "".
func (s *NameShape) Problem(name string) string {
	if s == nil || s.Valid.MatchString(name) {
		return ""
	}
	return s.Says
}

// Fold is what a warehouse does to the case of an unquoted name.
type Fold int

const (
	KeepCase Fold = iota
	FoldUpper
	FoldLower
)

// Quoting is how text is written between quotes: the opening and
// closing quote, and how each character that needs it is escaped.
type Quoting struct {
	Open, Close string
	Escapes     map[rune]string
}

// Quote writes s between the quotes, escaping what needs it. Every
// identifier the printer writes goes through it: a name of letters,
// digits and _ only, the usual case, is not looked up character by
// character.
func (q Quoting) Quote(s string) string {
	if plainText(s) {
		return q.Open + s + q.Close
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteString(q.Open)
	for _, r := range s {
		if esc, ok := q.Escapes[r]; ok {
			b.WriteString(esc)
		} else {
			b.WriteRune(r)
		}
	}
	b.WriteString(q.Close)
	return b.String()
}

// plainText reports whether s has only ASCII letters, digits and _,
// which no quoting escapes.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// ANSI quoting: "name" and 'text', a quote inside doubled.
var (
	ANSIIdentifiers = Quoting{Open: `"`, Close: `"`, Escapes: map[rune]string{'"': `""`}}
	ANSIStrings     = Quoting{Open: "'", Close: "'", Escapes: map[rune]string{'\'': "''"}}
)

// BackslashStrings are string literals in which a backslash escapes
// (Snowflake, BigQuery, Spark, ClickHouse, Redshift): a backslash and a
// quote are escaped with one, and so are line breaks, which some of them
// do not allow inside '...'.
var BackslashStrings = Quoting{Open: "'", Close: "'", Escapes: map[rune]string{
	'\\': `\\`, '\'': `\'`, '\n': `\n`, '\r': `\r`, 0: `\0`,
}}

// Plain reports whether a name can be written without quotes under
// these rules.
func (r NameRules) Plain(name string) bool {
	if !r.QuoteOnlyWhenNeeded || name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	// A plain name is in lower case already, as the reserved words are.
	return !r.Reserved[name]
}

// TargetRules say what a target block of the dialect needs.
type TargetRules struct {
	// File: an embedded database, a file at the target's path, which
	// build creates and loads seed files into by default.
	File bool
	// Connection: a server, reached with the connection string in the
	// environment variable the target's connection_env names.
	Connection bool
	// Settings are the attributes a target of the dialect may set
	// besides dialect, schema, path and connection_env.
	Settings []TargetSetting
}

// TargetSetting is a dialect's setting of a target. None is a secret:
// credentials stay in the environment variable connection_env names.
type TargetSetting struct {
	Name string
	// Doc says what it is, for messages and the reference.
	Doc      string
	Required bool
	// Qualifies: the setting's value is written before the schema in
	// every name of a view (a Snowflake database, a BigQuery project, a
	// catalog).
	Qualifies bool
	// IsSchema: the setting is the dialect's word for the schema (a
	// BigQuery dataset, a ClickHouse database); it takes the place of
	// the project's schema.
	IsSchema bool
}

// Place is the path of the schema that a target puts the views in: the
// setting that is the schema (or the target's schema, or the project's),
// after the settings that qualify it.
func (r TargetRules) Place(schema string, settings map[string]string) []string {
	var path []string
	for _, s := range r.Settings {
		if v := settings[s.Name]; v != "" {
			switch {
			case s.Qualifies:
				path = append(path, v)
			case s.IsSchema:
				schema = v
			}
		}
	}
	return append(path, schema)
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

// QuoteIdent writes an identifier as the dialect's Identifiers quoting
// says, or plain where the name rules allow it.
func (d Dialect) QuoteIdent(name string) string {
	if d.Names.Plain(name) {
		return name
	}
	return d.Identifiers.Quote(name)
}

// QuoteString writes a string literal as the dialect's Strings quoting
// says. Analyse the warehouse's string syntax: a dialect where a
// backslash can escape in '...' must escape it.
func (d Dialect) QuoteString(s string) string { return d.Strings.Quote(s) }

// StoredName is the name the warehouse stores for an identifier as
// QuoteIdent writes it: folded when written plain, in lower case where
// names ignore case.
func (d Dialect) StoredName(name string) string {
	if d.Names.CaseInsensitive {
		return strings.ToLower(name)
	}
	if d.Names.Plain(name) && d.Names.FoldUnquoted == FoldUpper {
		return strings.ToUpper(name)
	}
	// A plain name is in lower case already: folding it to lower case
	// keeps it.
	return name
}

func (d Dialect) TypeName(t sqltree.Type) string { return d.Types[t] }

func (d Dialect) Function(name string) (string, bool) {
	t, ok := d.Functions[name]
	return t, ok
}

// ViewStatements replaces the view (or table) in place, then comments on
// it and on each of its columns.
func (Dialect) ViewStatements(v *sqltree.CreateView) []sqltree.Statement {
	return append([]sqltree.Statement{Define(v)}, Comments(v)...)
}

// Define is the statement that replaces the view (or table) in place,
// with options written before AS (an inline description).
func Define(v *sqltree.CreateView, options ...sqltree.Expr) sqltree.Statement {
	if v.AsTable {
		return &sqltree.CreateTableAs{Name: v.Name, Query: v.Query, OrReplace: true, Options: options}
	}
	return &sqltree.DefineView{Name: v.Name, Query: v.Query, OrReplace: true, Options: options}
}

// Comments are COMMENT ON statements for a view and its columns.
func Comments(v *sqltree.CreateView) []sqltree.Statement {
	var out []sqltree.Statement
	if v.Comment != "" {
		out = append(out, &sqltree.CommentOn{Object: v.Object(), Name: v.Name, Comment: v.Comment})
	}
	return append(out, ColumnComments(v)...)
}

// ColumnComments are COMMENT ON COLUMN statements for a view's columns.
func ColumnComments(v *sqltree.CreateView) []sqltree.Statement {
	var out []sqltree.Statement
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
func (d Dialect) Matches(l sqltree.Like) sqltree.Expr {
	if d.LikeBackslash {
		return sqltree.LikeBackslash{X: l.X, Pattern: l.Pattern}
	}
	return sqltree.LikeEscape{X: l.X, Pattern: l.Pattern, Escape: `\`}
}

// SchemaObject is SCHEMA.
func (Dialect) SchemaObject() string { return "SCHEMA" }

// TableOptions are none: the warehouse's default storage.
func (Dialect) TableOptions() string { return "" }

// Project is the item as it is: t.c is named c, and predicates are
// booleans.
func (Dialect) Project(item sqltree.SelectItem) sqltree.SelectItem { return item }

// Union is UNION ALL, or UNION (DISTINCT where UnionDistinct says).
func (d Dialect) Union(all bool) string {
	switch {
	case all:
		return "UNION ALL"
	case d.UnionDistinct:
		return "UNION DISTINCT"
	}
	return "UNION"
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

// NumberedSeries is a DateSeries made from numbered rows, for dialects
// without a series function that can take expressions: numbers is a
// relation with at least MaxRows rows whose column k is 0, 1, 2, ...;
// add gives From plus n of the series' unit. Rows past Through are
// filtered out.
func NumberedSeries(s sqltree.DateSeries, numbers sqltree.From, k sqltree.Expr, add func(n sqltree.Expr) sqltree.Expr) sqltree.From {
	n := k
	if s.Step != 1 {
		n = sqltree.Binary{Op: "*", Left: sqltree.Num(strconv.Itoa(s.Step)), Right: k}
	}
	date := add(n)
	return sqltree.Derived{Alias: s.Alias, Query: &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: date, Alias: s.Column}},
		From:    numbers,
		Where:   sqltree.Binary{Op: "<=", Left: date, Right: s.Through},
	}}
}

// DigitRows are the numbers 0 to at least max-1, in column k of the
// relation returned, made from ten rows of digits cross-joined with
// themselves: plain SQL that runs on every engine's workers, where a
// series function does not (Redshift's generate_series runs on the
// leader node only).
func DigitRows(max int) (sqltree.From, sqltree.Expr) {
	const alias = "strata_numbers"
	ten := &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Num("0"), Alias: "d"}}, UnionAll: true}
	for i := 1; i <= 9; i++ {
		ten.Union = append(ten.Union, &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Num(strconv.Itoa(i)), Alias: "d"}}})
	}
	q := &sqltree.Select{}
	var k sqltree.Expr
	for place, i := 1, 0; place < max; place, i = place*10, i+1 {
		digit := "strata_digit_" + strconv.Itoa(i)
		if i == 0 {
			q.From = sqltree.Derived{Query: ten, Alias: digit}
		} else {
			q.Joins = append(q.Joins, sqltree.Join{Kind: "CROSS JOIN", Right: sqltree.Derived{Query: ten, Alias: digit}})
		}
		var term sqltree.Expr = sqltree.Column{Table: digit, Name: "d"}
		if place > 1 {
			term = sqltree.Binary{Op: "*", Left: sqltree.Num(strconv.Itoa(place)), Right: term}
		}
		if k == nil {
			k = term
		} else {
			k = sqltree.Binary{Op: "+", Left: k, Right: term}
		}
	}
	q.Columns = []sqltree.SelectItem{{X: k, Alias: "k"}}
	return sqltree.Derived{Query: q, Alias: alias}, sqltree.Column{Table: alias, Name: "k"}
}

// Words is a set of the words in list, in lower case, for a dialect's
// reserved words (NameRules.Reserved).
func Words(list string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(list) {
		out[strings.ToLower(w)] = true
	}
	return out
}
