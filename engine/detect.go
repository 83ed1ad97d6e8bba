package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// DetectedColumn is a column of a data file with the type every one of
// its cells reads as.
type DetectedColumn struct {
	Name string      `json:"name"`
	Type models.Type `json:"-"`
	// Blank counts the empty cells (blank, or spaces only): NULL.
	Blank int64 `json:"blank"`
	// Unique is true when every cell has a value and no value repeats: a
	// candidate primary key.
	Unique bool `json:"unique"`
}

// MarshalJSON writes the type by name, as the source block does.
func (c DetectedColumn) MarshalJSON() ([]byte, error) {
	type plain DetectedColumn
	return json.Marshal(struct {
		plain
		Type string `json:"type"`
	}{plain(c), c.Type.String()})
}

// DetectedFile is what DetectColumns found in a data file.
type DetectedFile struct {
	Rows    int64            `json:"rows"`
	Columns []DetectedColumn `json:"columns"`
}

// detectOrder is the order in which a text column's type is tried: the
// first type every non-blank cell reads as wins, string when none does.
var detectOrder = []models.Type{models.TypeInteger, models.TypeNumber, models.TypeDate, models.TypeTimestamp, models.TypeBoolean}

// leadingZero is a number written with a leading zero (an id such as
// 00123, a zip code): read as a number it would lose its zeros.
const leadingZero = `[+-]?0[0-9].*`

// DetectColumns reads a seed file (path relative to projectDir, or
// absolute) the way a build loads it and gives each column the type all
// its cells read as, so that a source declared with those types loads: a
// text cell is read exactly as the build reads it (seedSelect), blank
// cells are NULL and do not decide, and a number with leading zeros stays
// a string. Parquet columns keep their own types.
func DetectColumns(ctx context.Context, path, projectDir string, format *models.SeedFormat) (*DetectedFile, hcl.Diagnostics) {
	src := &models.Source{Kind: models.KindSource, Name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), File: path, Format: format}
	if format != nil && format.NoHeader {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Columns of a file without a header",
			Detail: path + " has no header, so its columns have no names to declare. Add a header line, or write the source block by hand."}}
	}
	failed := func(err error) hcl.Diagnostics {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unreadable seed file", Detail: fmt.Sprintf("%s cannot be read: %v", path, err)}}
	}
	var header []string
	if f, _ := formatOf(path); f == formatJSONLines {
		// Keys, not a header, which CheckSeed would want declared.
		if _, err := os.Stat(seedPath(src, projectDir)); err != nil {
			return nil, failed(err)
		}
	} else {
		var diags hcl.Diagnostics
		if header, diags = CheckSeed(src, projectDir); diags.HasErrors() {
			return nil, diags
		}
	}
	db, err := OpenDuckDB("")
	if err != nil {
		return nil, failed(err)
	}
	defer db.Close()
	if header == nil { // Parquet and JSON lines: their own types
		return detectTyped(ctx, db, src, projectDir)
	}
	all, err := seedSelect(src, projectDir, header)
	if err != nil {
		return nil, failed(err)
	}
	dateFormat, order := "", detectOrder
	if format != nil && format.DateFormat != "" {
		// A date format asked for: 19970101 is a date before an integer.
		dateFormat = format.DateFormat
		order = []models.Type{models.TypeDate, models.TypeTimestamp, models.TypeInteger, models.TypeNumber, models.TypeBoolean}
	}
	q := &sqltree.Select{From: sqltree.Derived{Query: all, Alias: "f"}, Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "COUNT", Star: true}}}}
	for _, h := range header {
		x := sqltree.Call{Name: "NULLIF", Args: []sqltree.Expr{sqltree.Call{Name: "TRIM", Args: []sqltree.Expr{sqltree.Column{Table: "f", Name: h}}}, sqltree.Str("")}}
		q.Columns = append(q.Columns,
			sqltree.SelectItem{X: sqltree.Call{Name: "COUNT", Args: []sqltree.Expr{x}}},
			sqltree.SelectItem{X: sqltree.Call{Name: "COUNT", Distinct: true, Args: []sqltree.Expr{x}}},
			sqltree.SelectItem{X: sqltree.Call{Name: "bool_or", Args: []sqltree.Expr{sqltree.Call{Name: "regexp_full_match", Args: []sqltree.Expr{x, sqltree.Str(leadingZero)}}}}})
		for _, t := range order {
			// Blank cells do not decide: NULL, which bool_and skips.
			cell := sqltree.Case{Whens: []sqltree.When{{Cond: sqltree.IsNull{X: x, Negate: true}, Then: wellFormed(x, t, dateFormat)}}}
			q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Call{Name: "bool_and", Args: []sqltree.Expr{cell}}})
		}
	}
	rows, err := db.Query(ctx, renderQuery(q, duck))
	if err != nil {
		return nil, failed(err)
	}
	r := rows.Values[0]
	out := &DetectedFile{Rows: Int(r[0])}
	i := 1
	for _, h := range header {
		present, distinct, zeros := Int(r[i]), Int(r[i+1]), r[i+2] == true
		c := DetectedColumn{Name: h, Type: models.TypeString, Blank: out.Rows - present, Unique: present == out.Rows && distinct == present && present > 0}
		for j, t := range order {
			if r[i+3+j] == true && !(zeros && (t == models.TypeInteger || t == models.TypeNumber)) {
				c.Type = t
				break
			}
		}
		out.Columns = append(out.Columns, c)
		i += 3 + len(order)
	}
	return out, nil
}

func detectTyped(ctx context.Context, db *DuckDB, src *models.Source, projectDir string) (*DetectedFile, hcl.Diagnostics) {
	file := sqltree.TableCall{Name: "read_parquet", Args: []sqltree.Expr{sqltree.Str(seedPath(src, projectDir))}}
	if format, _ := formatOf(src.File); format == formatJSONLines {
		file = sqltree.TableCall{Name: "read_json_auto", Args: []sqltree.Expr{sqltree.Str(seedPath(src, projectDir)), sqltree.NamedArg{Name: "format", Value: sqltree.Str("newline_delimited")}}}
	}
	every := renderQuery(&sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Star{}}}, From: file}, duck)
	unreadable := func(err error) hcl.Diagnostics {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unreadable seed file", Detail: fmt.Sprintf("%s cannot be read: %v", src.File, err)}}
	}
	rows, err := db.Query(ctx, "DESCRIBE "+every)
	if err != nil {
		return nil, unreadable(err)
	}
	out := &DetectedFile{}
	for _, r := range rows.Values {
		out.Columns = append(out.Columns, DetectedColumn{Name: fmt.Sprint(r[0]), Type: parquetType(fmt.Sprint(r[1]))})
	}
	count, err := db.Query(ctx, renderQuery(&sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "COUNT", Star: true}}}, From: file}, duck))
	if err != nil {
		return nil, unreadable(err)
	}
	out.Rows = Int(count.Values[0][0])
	return out, nil
}

// parquetType is the Strata type of a DuckDB type read from Parquet.
func parquetType(t string) models.Type {
	t = strings.ToUpper(t)
	switch {
	case strings.Contains(t, "INT"):
		return models.TypeInteger
	case strings.HasPrefix(t, "DOUBLE"), strings.HasPrefix(t, "FLOAT"), strings.HasPrefix(t, "DECIMAL"), strings.HasPrefix(t, "REAL"):
		return models.TypeNumber
	case t == "DATE":
		return models.TypeDate
	case strings.HasPrefix(t, "TIMESTAMP"):
		return models.TypeTimestamp
	case t == "BOOLEAN":
		return models.TypeBoolean
	}
	return models.TypeString
}
