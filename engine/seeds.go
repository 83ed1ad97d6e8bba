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

// seedSelect is a DuckDB query that reads a seed file and casts its
// declared columns to their types. Non-string cells are trimmed and blank
// ones read as NULL: real exports write " " or "" for missing numbers.
func seedSelect(s *models.Source, projectDir string) (string, error) {
	path := s.File
	if !filepath.IsAbs(path) {
		path = filepath.Join(projectDir, path)
	}
	var reader string
	isCSV := false
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".tsv", ".txt":
		isCSV = true
		reader = fmt.Sprintf("read_csv(%s, header = true, all_varchar = true)", duck.QuoteString(path))
	case ".parquet":
		reader = fmt.Sprintf("read_parquet(%s)", duck.QuoteString(path))
	default:
		return "", fmt.Errorf("seed file %q of source %q: unknown format; use .csv or .parquet", s.File, s.Name)
	}
	if len(s.Columns) == 0 {
		return "SELECT * FROM " + reader, nil
	}
	var cols []string
	for _, c := range s.Columns {
		col := duck.QuoteIdent(c.Name)
		value := col
		if c.Type != models.TypeString && isCSV {
			value = fmt.Sprintf("NULLIF(TRIM(%s), '')", col)
		}
		cols = append(cols, fmt.Sprintf("CAST(%s AS %s) AS %s", value, duck.TypeName(compiler.SQLType(c.Type)), col))
	}
	return "SELECT " + strings.Join(cols, ", ") + " FROM " + reader, nil
}

func quotePath(d sqltree.Dialect, parts []string) string {
	q := make([]string, len(parts))
	for i, p := range parts {
		q[i] = d.QuoteIdent(p)
	}
	return strings.Join(q, ".")
}
