package engine

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects/duckdb"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

var duck = duckdb.Dialect{}

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
)

func formatOf(file string) (seedFormat, bool) {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".csv", ".txt":
		return formatCSV, true
	case ".tsv":
		return formatTSV, true
	case ".parquet":
		return formatParquet, true
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
func seedSelect(s *models.Source, projectDir string, header []string) (string, error) {
	path := seedPath(s, projectDir)
	format, ok := formatOf(path)
	if !ok {
		return "", fmt.Errorf("seed file %q of source %q: unknown format; use .csv, .tsv or .parquet", s.File, s.Name)
	}
	if format == formatParquet {
		reader := fmt.Sprintf("read_parquet(%s)", duck.QuoteString(path))
		if len(s.Columns) == 0 {
			return "SELECT * FROM " + reader, nil
		}
		var cols []string
		for _, c := range s.Columns {
			col := duck.QuoteIdent(c.Name)
			cols = append(cols, fmt.Sprintf("CAST(%s AS %s) AS %s", col, duck.TypeName(compiler.SQLType(c.Type)), col))
		}
		return "SELECT " + strings.Join(cols, ", ") + " FROM " + reader, nil
	}
	delim := ","
	if format == formatTSV {
		delim = "\t"
	}
	var columns []string
	for _, h := range header {
		columns = append(columns, duck.QuoteString(h)+": 'VARCHAR'")
	}
	reader := fmt.Sprintf("read_csv(%s, header = true, auto_detect = false, delim = %s, quote = '\"', escape = '\"', strict_mode = true, null_padding = false, columns = {%s})",
		duck.QuoteString(path), duck.QuoteString(delim), strings.Join(columns, ", "))
	if len(s.Columns) == 0 {
		return "SELECT * FROM " + reader, nil
	}
	var inner, outer []string
	for _, c := range s.Columns {
		col := duck.QuoteIdent(c.Name)
		if c.Type == models.TypeString {
			inner = append(inner, col)
			outer = append(outer, col)
			continue
		}
		inner = append(inner, fmt.Sprintf("NULLIF(TRIM(%s), '') AS %s", col, col))
		outer = append(outer, fmt.Sprintf("%s AS %s", typedCell(col, c.Type), col))
	}
	return "SELECT " + strings.Join(outer, ", ") + " FROM (SELECT " + strings.Join(inner, ", ") + " FROM " + reader + ")", nil
}

// The shapes of well-formed cells, as RE2 for DuckDB and as Go regular
// expressions for diagnoseSeed: both read them the same way.
const (
	integerShape   = `[+-]?[0-9]+`
	numberShape    = `[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?`
	dateShape      = `[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}`
	timestampShape = `[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)?`
	offsetShape    = `[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)? ?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)`
)

// Boolean cells, lower-cased.
var trueWords, falseWords = []string{"true", "t", "yes", "1"}, []string{"false", "f", "no", "0"}

// typedCell converts a trimmed, non-blank text cell x to type t, or fails
// the query with error() when the cell is not well formed. The common
// canonical shapes go through a cheap LIKE before any regular expression.
func typedCell(x string, t models.Type) string {
	bad := fmt.Sprintf("error('strata: malformed %s: ' || %s)", t, x)
	full := func(shape string) string { return fmt.Sprintf("regexp_full_match(%s, %s)", x, duck.QuoteString(shape)) }
	try := func(typ string) string { return fmt.Sprintf("TRY_CAST(%s AS %s) IS NOT NULL", x, typ) }
	cast := func(typ string) string { return fmt.Sprintf("CAST(%s AS %s)", x, typ) }
	var whens []string
	switch t {
	case models.TypeInteger:
		whens = append(whens, fmt.Sprintf("WHEN %s AND %s THEN %s", full(integerShape), try("BIGINT"), cast("BIGINT")))
	case models.TypeNumber:
		whens = append(whens, fmt.Sprintf("WHEN %s THEN %s", full(numberShape), cast("DOUBLE")))
	case models.TypeBoolean:
		words := func(ws []string) string {
			q := make([]string, len(ws))
			for i, w := range ws {
				q[i] = duck.QuoteString(w)
			}
			return strings.Join(q, ", ")
		}
		whens = append(whens,
			fmt.Sprintf("WHEN lower(%s) IN (%s) THEN TRUE", x, words(trueWords)),
			fmt.Sprintf("WHEN lower(%s) IN (%s) THEN FALSE", x, words(falseWords)))
	case models.TypeDate:
		whens = append(whens,
			fmt.Sprintf("WHEN %s LIKE '____-__-__' AND %s THEN %s", x, try("DATE"), cast("DATE")),
			fmt.Sprintf("WHEN %s AND %s THEN %s", full(dateShape), try("DATE"), cast("DATE")))
	case models.TypeTimestamp:
		whens = append(whens,
			fmt.Sprintf("WHEN (%s LIKE '____-__-__ __:__:__' OR %s LIKE '____-__-__') AND %s THEN %s", x, x, try("TIMESTAMP"), cast("TIMESTAMP")),
			fmt.Sprintf("WHEN %s AND %s THEN %s", full(timestampShape), try("TIMESTAMP"), cast("TIMESTAMP")),
			// The instant, in UTC: epoch microseconds do not depend on the
			// session's time zone.
			fmt.Sprintf("WHEN %s AND %s THEN make_timestamp(epoch_us(%s))", full(offsetShape), try("TIMESTAMPTZ"), cast("TIMESTAMPTZ")))
	}
	return fmt.Sprintf("CASE WHEN %s IS NULL THEN NULL %s ELSE %s END", x, strings.Join(whens, " "), bad)
}

func quotePath(d sqltree.Dialect, parts []string) string {
	q := make([]string, len(parts))
	for i, p := range parts {
		q[i] = d.QuoteIdent(p)
	}
	return strings.Join(q, ".")
}
