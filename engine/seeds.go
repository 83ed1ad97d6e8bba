package engine

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects/duckdb"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

var duck = duckdb.New()

// seedSources are the sources with a local seed file, in declaration
// order, when the build loads seeds.
func seedSources(in BuildInput) []*models.Source {
	if !in.LoadSeeds {
		return nil
	}
	var seeds []*models.Source
	for _, s := range in.Project.Sources {
		if s.Kind == models.KindSource && s.File != "" {
			seeds = append(seeds, s)
		}
	}
	return seeds
}

// seedTable is where a seed is loaded: its table, or a table named after
// the source.
func seedTable(s *models.Source) []string {
	if s.Table != nil {
		return s.Table
	}
	return []string{s.Name}
}

// seedPath is the seed file's path on disk.
func seedPath(s *models.Source, projectDir string) string {
	if filepath.IsAbs(s.File) {
		return s.File
	}
	return filepath.Join(projectDir, s.File)
}

// A seed's format, from its file name.
type seedFormat int

const (
	formatCSV seedFormat = iota + 1
	formatTSV
	formatParquet
	formatJSONLines
)

func formatOf(file string) (seedFormat, bool) {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".csv", ".txt":
		return formatCSV, true
	case ".tsv":
		return formatTSV, true
	case ".parquet":
		return formatParquet, true
	case ".jsonl", ".ndjson":
		return formatJSONLines, true
	}
	return 0, false
}

// seedSelect is a DuckDB query that reads a seed file and gives its
// declared columns their types. header is the file's header, read by
// CheckSeed, for text files; Parquet files carry their own types.
//
// Text is read strictly, the way CheckSeed and diagnoseSeed read it (one
// delimiter, double quotes, a header, no guessing), and every cell of a
// typed column must be well formed for its type: "1.5" is not an
// integer, NaN is not a number, a date has no time. Blank cells, and
// cells of spaces only, are NULL. A timestamp with a time-zone offset
// keeps its instant, in UTC. A cell that is none of these makes the query
// fail, and the build then reports every such cell with its line.
func seedSelect(s *models.Source, projectDir string, header []string) (*sqltree.Select, error) {
	path := seedPath(s, projectDir)
	format, ok := formatOf(path)
	if !ok {
		return nil, fmt.Errorf("seed file %q of source %q: unknown format; use .csv, .tsv or .parquet", s.File, s.Name)
	}
	if format == formatParquet {
		reader := sqltree.TableCall{Name: "read_parquet", Args: []sqltree.Expr{sqltree.Str(path)}}
		q := &sqltree.Select{From: reader}
		if len(s.Columns) == 0 {
			q.Columns = []sqltree.SelectItem{{X: sqltree.Star{}}}
		}
		for _, c := range s.Columns {
			q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Cast{X: sqltree.Column{Name: c.Name}, Type: compiler.SQLType(c.Type)}, Alias: c.Name})
		}
		return q, nil
	}
	f := s.Format
	if f == nil {
		f = &models.SeedFormat{}
	}
	named := func(name string, v sqltree.Expr) sqltree.Expr { return sqltree.NamedArg{Name: name, Value: v} }
	options := []sqltree.Expr{
		sqltree.Str(path),
		named("header", sqltree.Bool(!f.NoHeader)),
		named("auto_detect", sqltree.Bool(false)),
		named("strict_mode", sqltree.Bool(true)),
		named("null_padding", sqltree.Bool(false)),
	}
	// cells are the file's fields, in header order, as text.
	cells := make([]sqltree.Expr, len(header))
	var from sqltree.From
	switch {
	case format == formatJSONLines:
		// One object per line; the declared columns are its keys, read as
		// text and typed as a CSV's cells are. Other keys are left out.
		header = columnNames(s)
		cells = make([]sqltree.Expr, len(header))
		columns := sqltree.StructLit{}
		for i, h := range header {
			columns.Fields = append(columns.Fields, sqltree.StructField{Key: h, Value: sqltree.Str("VARCHAR")})
			cells[i] = sqltree.Column{Name: h}
		}
		from = sqltree.TableCall{Name: "read_json", Args: []sqltree.Expr{sqltree.Str(path), named("format", sqltree.Str("newline_delimited")), named("columns", columns)}}
	case f.Whitespace:
		// Each line whole, split on runs of spaces and tabs; a line with
		// another number of fields than the header fails the query, and
		// blank lines are no rows.
		options = append(options, named("delim", sqltree.Str(lineDelimiter)), named("quote", sqltree.Str("")), named("escape", sqltree.Str("")),
			named("columns", sqltree.StructLit{Fields: []sqltree.StructField{{Key: lineColumn, Value: sqltree.Str("VARCHAR")}}}))
		trimmed := sqltree.Call{Name: "trim", Args: []sqltree.Expr{sqltree.Column{Name: lineColumn}, sqltree.Str(" \t\r")}}
		split := &sqltree.Select{
			Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "string_split_regex", Args: []sqltree.Expr{trimmed, sqltree.Str("[ \t\r]+")}}, Alias: fieldsColumn}},
			From:    sqltree.TableCall{Name: "read_csv", Args: options},
			Where:   sqltree.Binary{Op: "<>", Left: trimmed, Right: sqltree.Str("")},
		}
		from = sqltree.Derived{Query: split}
		fields := sqltree.Column{Name: fieldsColumn}
		wrongCount := sqltree.Binary{Op: "<>", Left: sqltree.Call{Name: "len", Args: []sqltree.Expr{fields}}, Right: sqltree.Num(strconv.Itoa(len(header)))}
		for i := range header {
			field := sqltree.Call{Name: "list_extract", Args: []sqltree.Expr{fields, sqltree.Num(strconv.Itoa(i + 1))}}
			cells[i] = sqltree.Case{Whens: []sqltree.When{{Cond: wrongCount, Then: sqltree.Call{Name: "error", Args: []sqltree.Expr{sqltree.Str("strata: wrong number of fields")}}}}, Else: field}
		}
	default:
		delim := ","
		if format == formatTSV {
			delim = "\t"
		}
		if f.Delimiter != "" {
			delim = f.Delimiter
		}
		columns := sqltree.StructLit{}
		for i, h := range header {
			columns.Fields = append(columns.Fields, sqltree.StructField{Key: h, Value: sqltree.Str("VARCHAR")})
			cells[i] = sqltree.Column{Name: h}
		}
		options = append(options, named("delim", sqltree.Str(delim)), named("quote", sqltree.Str(`"`)), named("escape", sqltree.Str(`"`)), named("columns", columns))
		from = sqltree.TableCall{Name: "read_csv", Args: options}
	}
	// The null markers are NULL, in every column.
	for i, c := range cells {
		if len(f.Null) > 0 {
			marker := sqltree.In{X: sqltree.Call{Name: "TRIM", Args: []sqltree.Expr{c}}}
			for _, m := range f.Null {
				marker.List = append(marker.List, sqltree.Str(strings.TrimSpace(m)))
			}
			cells[i] = sqltree.Case{Whens: []sqltree.When{{Cond: marker, Then: sqltree.Null()}}, Else: c}
		}
	}
	raw := &sqltree.Select{From: from}
	for i, h := range header {
		raw.Columns = append(raw.Columns, sqltree.SelectItem{X: cells[i], Alias: h})
	}
	if len(s.Columns) == 0 {
		return raw, nil
	}
	inner := &sqltree.Select{From: sqltree.Derived{Query: raw}}
	outer := &sqltree.Select{From: sqltree.Derived{Query: inner}}
	for _, c := range s.Columns {
		col := sqltree.Column{Name: c.Name}
		if c.Type == models.TypeString {
			inner.Columns = append(inner.Columns, sqltree.SelectItem{X: col})
			outer.Columns = append(outer.Columns, sqltree.SelectItem{X: col})
			continue
		}
		trimmed := sqltree.Call{Name: "NULLIF", Args: []sqltree.Expr{sqltree.Call{Name: "TRIM", Args: []sqltree.Expr{col}}, sqltree.Str("")}}
		inner.Columns = append(inner.Columns, sqltree.SelectItem{X: trimmed, Alias: c.Name})
		outer.Columns = append(outer.Columns, sqltree.SelectItem{X: typedCell(col, c.Type, f.DateFormat), Alias: c.Name})
	}
	return outer, nil
}

// A whitespace-separated file is read a line at a time: one column,
// split by the query; no line holds the unit separator.
const (
	lineDelimiter = "\x1f"
	lineColumn    = "strata_line"
	fieldsColumn  = "strata_fields"
)

// The shapes of well-formed cells, as RE2 for DuckDB and as Go regular
// expressions for diagnoseSeed: both read them the same way.
const (
	integerShape   = `[+-]?[0-9]+`
	numberShape    = `[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?`
	dateShape      = `[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}`
	timestampShape = `[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)?`
	offsetShape    = `[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)? ?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)`
)

const timestampWithZone = sqltree.TimestampTZ

// Boolean cells, lower-cased.
var trueWords, falseWords = []string{"true", "t", "yes", "1"}, []string{"false", "f", "no", "0"}

// typedCell converts a trimmed, non-blank text cell x to type t, or fails
// the query with error() when the cell is not well formed.
func typedCell(x sqltree.Expr, t models.Type, dateFormat string) sqltree.Expr {
	malformed := sqltree.Call{Name: "error", Args: []sqltree.Expr{sqltree.Binary{Op: "||", Left: sqltree.Str("strata: malformed " + t.String() + ": "), Right: x}}}
	return sqltree.Case{Whens: append([]sqltree.When{{Cond: sqltree.IsNull{X: x}, Then: sqltree.Null()}}, cellWhens(x, t, dateFormat)...), Else: malformed}
}

// wellFormed is true when the trimmed, non-blank text cell x reads as
// type t, as typedCell reads it (NULL for a NULL cell).
func wellFormed(x sqltree.Expr, t models.Type, dateFormat string) sqltree.Expr {
	var any sqltree.Expr
	for _, w := range cellWhens(x, t, dateFormat) {
		if any == nil {
			any = w.Cond
		} else {
			any = sqltree.Binary{Op: "OR", Left: any, Right: w.Cond}
		}
	}
	return any
}

// cellWhens are the shapes a cell of type t may have, each with its
// conversion. The common canonical shapes go through a cheap LIKE before
// any regular expression. A date format (strptime codes) replaces the
// shapes of dates and timestamps.
func cellWhens(x sqltree.Expr, t models.Type, dateFormat string) []sqltree.When {
	call := func(name string, args ...sqltree.Expr) sqltree.Expr { return sqltree.Call{Name: name, Args: args} }
	full := func(shape string) sqltree.Expr { return call("regexp_full_match", x, sqltree.Str(shape)) }
	converts := func(typ sqltree.Type) sqltree.Expr {
		return sqltree.IsNull{X: sqltree.Cast{X: x, Type: typ, Try: true}, Negate: true}
	}
	cast := func(typ sqltree.Type) sqltree.Expr { return sqltree.Cast{X: x, Type: typ} }
	and := func(a, b sqltree.Expr) sqltree.Expr { return sqltree.Binary{Op: "AND", Left: a, Right: b} }
	like := func(pattern string) sqltree.Expr { return sqltree.Like{X: x, Pattern: sqltree.Str(pattern)} }
	words := func(ws []string) sqltree.Expr {
		in := sqltree.In{X: call("lower", x)}
		for _, w := range ws {
			in.List = append(in.List, sqltree.Str(w))
		}
		return in
	}
	if dateFormat != "" && t.IsTemporal() {
		parsed := call("try_strptime", x, sqltree.Str(dateFormat))
		typ := sqltree.Timestamp
		if t == models.TypeDate {
			typ = sqltree.Date
		}
		return []sqltree.When{{Cond: sqltree.IsNull{X: parsed, Negate: true}, Then: sqltree.Cast{X: parsed, Type: typ}}}
	}
	switch t {
	case models.TypeInteger:
		return []sqltree.When{{Cond: and(full(integerShape), converts(sqltree.Integer)), Then: cast(sqltree.Integer)}}
	case models.TypeNumber:
		return []sqltree.When{{Cond: full(numberShape), Then: cast(sqltree.Number)}}
	case models.TypeBoolean:
		return []sqltree.When{{Cond: words(trueWords), Then: sqltree.Bool(true)}, {Cond: words(falseWords), Then: sqltree.Bool(false)}}
	case models.TypeDate:
		return []sqltree.When{
			{Cond: and(like("____-__-__"), converts(sqltree.Date)), Then: cast(sqltree.Date)},
			{Cond: and(full(dateShape), converts(sqltree.Date)), Then: cast(sqltree.Date)},
		}
	case models.TypeTimestamp:
		canonical := sqltree.Binary{Op: "OR", Left: like("____-__-__ __:__:__"), Right: like("____-__-__")}
		// With an offset: the instant, in UTC. Epoch microseconds do not
		// depend on the session's time zone.
		utc := call("make_timestamp", call("epoch_us", sqltree.Cast{X: x, Type: timestampWithZone}))
		return []sqltree.When{
			{Cond: and(canonical, converts(sqltree.Timestamp)), Then: cast(sqltree.Timestamp)},
			{Cond: and(full(timestampShape), converts(sqltree.Timestamp)), Then: cast(sqltree.Timestamp)},
			{Cond: and(full(offsetShape), converts(timestampWithZone)), Then: utc},
		}
	}
	return nil
}

// render prints a statement the engine writes itself. Its trees hold no
// portable function a dialect could lack, so printing cannot fail.
func render(s sqltree.Statement, d sqltree.Dialect) string {
	out, err := sqltree.Render(s, d)
	if err != nil {
		panic("engine: " + err.Error())
	}
	return out
}

func renderQuery(q sqltree.Query, d sqltree.Dialect) string {
	out, err := sqltree.RenderQuery(q, d)
	if err != nil {
		panic("engine: " + err.Error())
	}
	return out
}

// countRows is SELECT COUNT(*) FROM table.
func countRows(table []string) *sqltree.Select {
	return &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "COUNT", Star: true}}}, From: sqltree.Table{Path: table}}
}
