package engine

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/models"
)

// SeedNotFound is the summary of the diagnostic for a seed file that does
// not exist, which validate reports as a warning: sample data is often
// generated, not committed.
const SeedNotFound = "Seed file not found"

// maxSeedProblems bounds what one seed file reports: enough to see the
// pattern, not a screenful per row.
const maxSeedProblems = 10

// CheckSeed reads the header of a source's seed file and checks it
// against the columns the source declares: the file exists, has a header,
// and names every declared column exactly. It returns the header (nil for
// Parquet, whose columns DuckDB reads) and every problem, as diagnostics
// at the source's file attribute. It reads only the first line, so
// validate can call it for every seed.
func CheckSeed(s *models.Source, projectDir string) ([]string, hcl.Diagnostics) {
	sc := seedCheck{src: s}
	format, ok := formatOf(s.File)
	if !ok {
		sc.problem("Unknown seed format", "%s: Strata reads .csv, .txt, .tsv, .parquet and JSON lines (.jsonl, .ndjson) seed files.", s.File)
		return nil, sc.diags
	}
	f, err := os.Open(seedPath(s, projectDir))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			sc.problem(SeedNotFound, "%s does not exist (paths are relative to the project directory). Create it, or fix file.", s.File)
		} else {
			sc.problem("Unreadable seed file", "%s cannot be read: %v.", s.File, errors.Unwrap(err))
		}
		return nil, sc.diags
	}
	defer f.Close()
	if format == formatParquet {
		return nil, nil
	}
	if format == formatJSONLines {
		// Keys, not a header: the declared columns are read from them.
		if len(s.Columns) == 0 {
			sc.problem("Columns of a JSON lines file", "%s holds one JSON object per line; declare the keys to read as columns.", s.File)
			return nil, sc.diags
		}
		return nil, nil
	}
	r := newSeedReader(f, format, s.Format)
	if s.Format != nil && s.Format.NoHeader {
		// No header: the fields are the declared columns, in order.
		if len(s.Columns) == 0 {
			sc.problem("Columns of a file without a header", "%s has no header (header = false), so its columns are the ones the source declares, in order; declare them.", s.File)
			return nil, sc.diags
		}
		return columnNames(s), nil
	}
	header, err := r.Read()
	if err == io.EOF {
		sc.problem("Empty seed file", "%s is empty. Its first line must be a header naming its columns: %s.", s.File, declaredNames(s))
		return nil, sc.diags
	}
	if err != nil {
		sc.csvError(err)
		return nil, sc.diags
	}
	header = append([]string(nil), header...)
	header[0] = strings.TrimPrefix(header[0], "\ufeff") // a byte-order mark is not part of the name
	sc.checkHeader(header)
	if sc.diags.HasErrors() {
		return nil, sc.diags
	}
	return header, nil
}

// seedRecords reads a text seed's records: a CSV reader, or a reader of
// whitespace-separated lines. Errors are *csv.ParseError where a line is
// known.
type seedRecords interface {
	Read() ([]string, error)
	FieldPos(field int) (line, column int)
	// expect makes a record with another number of fields an error.
	expect(fields int)
}

type csvRecords struct{ *csv.Reader }

func (r csvRecords) expect(fields int) { r.FieldsPerRecord = fields }

func newSeedReader(r io.Reader, format seedFormat, f *models.SeedFormat) seedRecords {
	if f != nil && f.Whitespace {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 1<<16), 1<<24)
		return &whitespaceRecords{lines: sc}
	}
	cr := csv.NewReader(bufio.NewReaderSize(r, 1<<16))
	if format == formatTSV {
		cr.Comma = '\t'
	}
	if f != nil && f.Delimiter != "" {
		cr.Comma, _ = utf8.DecodeRuneInString(f.Delimiter)
	}
	cr.ReuseRecord = true
	return csvRecords{cr}
}

// whitespaceRecords reads lines whose fields are separated by runs of
// spaces and tabs (a line end of \r\n included), skipping blank lines,
// as seedSelect's query reads them.
type whitespaceRecords struct {
	lines  *bufio.Scanner
	line   int
	fields int
}

func (w *whitespaceRecords) expect(fields int) { w.fields = fields }

func (w *whitespaceRecords) FieldPos(int) (int, int) { return w.line, 1 }

func (w *whitespaceRecords) Read() ([]string, error) {
	for w.lines.Scan() {
		w.line++
		record := strings.Fields(w.lines.Text())
		if len(record) == 0 {
			continue
		}
		if w.fields > 0 && len(record) != w.fields {
			return record, &csv.ParseError{StartLine: w.line, Line: w.line, Err: csv.ErrFieldCount}
		}
		return record, nil
	}
	if err := w.lines.Err(); err != nil {
		return nil, err
	}
	return nil, io.EOF
}

// columnNames are the columns a source declares, in order.
func columnNames(s *models.Source) []string {
	names := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		names[i] = c.Name
	}
	return names
}

func declaredNames(s *models.Source) string { return strings.Join(columnNames(s), ", ") }

// seedCheck collects the problems of one seed file.
type seedCheck struct {
	src   *models.Source
	diags hcl.Diagnostics
}

func (sc *seedCheck) problem(summary, format string, args ...any) {
	rng := sc.src.FileRange
	sc.diags = append(sc.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: &rng})
}

func (sc *seedCheck) full() bool { return len(sc.diags) >= maxSeedProblems }

func (sc *seedCheck) csvError(err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		sc.problem("Malformed seed file", "%s line %d, column %d: %v. Quote a field that holds a quote or a delimiter (\"a \"\"b\"\"\"), and double the quotes inside it.",
			sc.src.File, pe.Line, pe.Column, pe.Err)
		return
	}
	sc.problem("Unreadable seed file", "%s cannot be read: %v.", sc.src.File, err)
}

func (sc *seedCheck) checkHeader(header []string) {
	s := sc.src
	has := map[string]bool{}
	for _, h := range header {
		if has[h] {
			sc.problem("Duplicate column in seed file", "The header of %s names %q twice. Rename one of them.", s.File, h)
		}
		has[h] = true
	}
	for _, c := range s.Columns {
		if has[c.Name] {
			continue
		}
		hint := ""
		for _, h := range header {
			if strings.TrimSpace(h) == c.Name {
				hint = fmt.Sprintf(" The header has %q, with spaces around the name; remove them.", h)
			} else if strings.EqualFold(strings.TrimSpace(h), c.Name) && hint == "" {
				hint = fmt.Sprintf(" The header has %q; names must match exactly, case included.", h)
			}
		}
		sc.problem("Missing column in seed file", "Source %q declares column %q, but line 1 of %s, its header, does not name it.%s The file's columns are: %s.",
			s.Name, c.Name, s.File, hint, strings.Join(quoteAll(header), ", "))
	}
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strconv.Quote(n)
	}
	return out
}

// diagnoseSeed reads a whole seed file after DuckDB refused it and says
// where each problem is: rows with too many or too few fields, malformed
// quoting, NUL characters, bytes that are not UTF-8, and cells that are
// not well formed for their column's type, each with its line and
// column. It stops after maxSeedProblems.
func diagnoseSeed(s *models.Source, projectDir string) hcl.Diagnostics {
	header, diags := CheckSeed(s, projectDir)
	if diags.HasErrors() || header == nil {
		return diags
	}
	sc := seedCheck{src: s}
	f, err := os.Open(seedPath(s, projectDir))
	if err != nil {
		sc.problem("Unreadable seed file", "%s cannot be read: %v.", s.File, err)
		return sc.diags
	}
	defer f.Close()
	format, _ := formatOf(s.File)
	r := newSeedReader(f, format, s.Format)
	r.expect(len(header))
	var nulls []string
	dateFormat := ""
	if s.Format != nil {
		nulls, dateFormat = s.Format.Null, s.Format.DateFormat
	}
	if s.Format == nil || !s.Format.NoHeader {
		if _, err := r.Read(); err != nil { // the header, checked above
			return sc.diags
		}
	}
	position := map[string]int{}
	for i, h := range header {
		position[h] = i
	}
	for !sc.full() {
		record, err := r.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			sc.problem("Wrong number of fields", "%s line %d has %d fields, but the header has %d (%s). Quote fields that hold the delimiter.",
				s.File, pe.StartLine, len(record), len(header), strings.Join(header, ", "))
			continue
		}
		if err != nil {
			sc.csvError(err)
			break // after a quoting error the reader has lost its place
		}
		for i, cell := range record {
			line, _ := r.FieldPos(i)
			switch {
			case strings.IndexByte(cell, 0) >= 0:
				sc.problem("NUL character in seed file", "%s line %d, column %q (field %d) holds a NUL character, which no warehouse stores in text. Remove it.", s.File, line, header[i], i+1)
			case !utf8.ValidString(cell):
				sc.problem("Seed file not UTF-8", "%s line %d, column %q (field %d) holds bytes that are not UTF-8. Save the file as UTF-8.", s.File, line, header[i], i+1)
			}
		}
		for _, c := range s.Columns {
			i := position[c.Name]
			cell := strings.Trim(record[i], " ")
			if c.Type == models.TypeString || cell == "" || isNullMarker(cell, nulls) {
				continue
			}
			if why := cellProblem(c.Type, cell, dateFormat); why != "" {
				line, _ := r.FieldPos(i)
				sc.problem("Malformed value in seed file", "%s line %d, column %q (field %d): %q %s", s.File, line, c.Name, i+1, truncateCell(cell), why)
			}
		}
	}
	if sc.full() {
		sc.diags[len(sc.diags)-1].Detail += fmt.Sprintf(" (Strata stops after %d problems of a file; there may be more.)", maxSeedProblems)
	}
	return sc.diags
}

func truncateCell(s string) string {
	if len(s) <= 60 {
		return s
	}
	n := 60
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

var (
	integerCell   = regexp.MustCompile(`^(?:` + integerShape + `)$`)
	numberCell    = regexp.MustCompile(`^(?:` + numberShape + `)$`)
	dateCell      = regexp.MustCompile(`^(?:` + dateShape + `)$`)
	timestampCell = regexp.MustCompile(`^(?:` + timestampShape + `)$`)
	offsetCell    = regexp.MustCompile(`^(?:` + offsetShape + `)$`)
)

func isNullMarker(cell string, nulls []string) bool {
	for _, m := range nulls {
		if strings.TrimSpace(m) == cell {
			return true
		}
	}
	return false
}

// cellProblem says why a trimmed, non-blank cell is not a value of type
// t, or "" when it is one. It reads cells the way seedSelect's SQL does;
// dates and timestamps by dateFormat when it is set.
func cellProblem(t models.Type, cell, dateFormat string) string {
	if dateFormat != "" && t.IsTemporal() {
		layout, ok := models.DateLayout(dateFormat)
		if _, err := time.Parse(layout, cell); ok && err != nil {
			return fmt.Sprintf("does not match date_format %q.", dateFormat)
		}
		return ""
	}
	switch t {
	case models.TypeInteger:
		if !integerCell.MatchString(cell) {
			if numberCell.MatchString(cell) {
				return "is not a whole number; the column is declared type = integer. Declare it type = number to keep the decimals."
			}
			return "is not an integer. Write whole numbers such as 42, or leave the cell blank for a missing value."
		}
		if _, err := strconv.ParseInt(cell, 10, 64); err != nil {
			return "is too large for an integer (64 bits). Declare the column type = number or type = string."
		}
	case models.TypeNumber:
		if !numberCell.MatchString(cell) {
			lower := strings.ToLower(strings.TrimLeft(cell, "+-"))
			if lower == "nan" || strings.HasPrefix(lower, "inf") {
				return "is not a number Strata accepts: NaN and infinity have no place in a metric. Leave the cell blank for a missing value."
			}
			return "is not a number. Write numbers such as 12.5 (a point, no thousands separators), or leave the cell blank."
		}
		if f, err := strconv.ParseFloat(cell, 64); err != nil || f != f {
			return "is out of range for a number."
		}
	case models.TypeBoolean:
		lower := strings.ToLower(cell)
		for _, w := range append(append([]string{}, trueWords...), falseWords...) {
			if lower == w {
				return ""
			}
		}
		return "is not a boolean. Write true or false (or t/f, yes/no, 1/0)."
	case models.TypeDate:
		if !dateCell.MatchString(cell) {
			if timestampCell.MatchString(cell) || offsetCell.MatchString(cell) {
				return "has a time of day, but the column is declared type = date. Declare it type = timestamp."
			}
			return "is not a date. Write dates as YYYY-MM-DD."
		}
		if _, err := time.Parse("2006-1-2", cell); err != nil {
			return "is not a date of the calendar."
		}
	case models.TypeTimestamp:
		layouts := []string{"2006-1-2", "2006-1-2 15:04", "2006-1-2 15:04:05", "2006-1-2 15:04:05.999999"}
		switch {
		case timestampCell.MatchString(cell):
		case offsetCell.MatchString(cell):
			cell = zoneless(cell)
		default:
			return "is not a timestamp. Write YYYY-MM-DD hh:mm:ss, optionally with a UTC offset such as +02:00 or Z."
		}
		for _, l := range layouts {
			if _, err := time.Parse(l, strings.Replace(cell, "T", " ", 1)); err == nil {
				return ""
			}
		}
		return "is not a time of the calendar."
	}
	return ""
}

// zoneless drops the offset of a timestamp the offset pattern matched.
func zoneless(cell string) string {
	cell = strings.TrimRight(cell, "Zz")
	if i := bytes.LastIndexAny([]byte(cell), "+-"); i > 10 {
		cell = cell[:i]
	}
	return strings.TrimRight(cell, " ")
}
