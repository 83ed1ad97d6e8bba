package projecttest

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/textdiff"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// Result is one test's outcome.
type Result struct {
	Name      string
	DeclRange hcl.Range
	Duration  time.Duration
	// Failures are the expectations that did not hold, in the order
	// written; none when the test passed.
	Failures []Failure
	// Error, when set, is why the test could not run (a given file that
	// does not load, a data check the given rows break).
	Error string
}

// Passed reports whether the test ran and every expectation held.
func (r *Result) Passed() bool { return r.Error == "" && len(r.Failures) == 0 }

// Failure is an expectation that did not hold: the rows expected and the
// rows read, as sorted lines of text, and their difference.
type Failure struct {
	What      string // "segment at_risk"
	DeclRange hcl.Range
	Columns   []string
	Expected  []string
	Actual    []string
	// Diff is every line of both, marked "- " (expected, not read), "+ "
	// (read, not expected) or "  " (both).
	Diff []string
}

// Options are what a run needs besides the project's files.
type Options struct {
	ProjectDir string // given files are relative to it
	// Match, when set, runs only the tests whose name it accepts.
	Match func(name string) bool
	// Progress is told each test's result as it finishes.
	Progress func(*Result)
}

// Run runs the tests (those of the project's files, already checked:
// compiler.Load reports a misused test block). The diagnostics are those
// of compiling the project as of a test's day; on errors nothing runs.
func Run(ctx context.Context, files []compiler.File, tests []*models.Test, opts Options) ([]*Result, hcl.Diagnostics) {
	// The views depend on as_of: the project is compiled once per day the
	// tests are as of.
	var days []string
	byDay := map[string][]*models.Test{}
	for _, t := range tests {
		if opts.Match != nil && !opts.Match(t.Name) {
			continue
		}
		if _, ok := byDay[t.AsOf]; !ok {
			days = append(days, t.AsOf)
		}
		byDay[t.AsOf] = append(byDay[t.AsOf], t)
	}
	sort.Strings(days)
	var results []*Result
	for _, day := range days {
		_, plan, dayDiags := compiler.Load(files, compiler.Options{AsOf: compiler.MustAsOf(day)})
		if plan == nil {
			return nil, dayDiags
		}
		d, _ := dialects.Lookup("duckdb")
		compiled, renderDiags := compiler.Render(plan, d)
		if renderDiags.HasErrors() {
			return nil, renderDiags
		}
		cases, _ := compiler.Tests(plan)
		// Each load decodes the files anew: the tests of the day are
		// known by name.
		wanted := map[string]bool{}
		for _, t := range byDay[day] {
			wanted[t.Name] = true
		}
		for _, tc := range cases {
			if !wanted[tc.Decl.Name] || tc.Decl.AsOf != day {
				continue
			}
			r := runCase(ctx, plan, compiled, tc, opts.ProjectDir)
			if opts.Progress != nil {
				opts.Progress(r)
			}
			results = append(results, r)
		}
	}
	sort.SliceStable(results, func(i, j int) bool { return declaredBefore(results[i].DeclRange, results[j].DeclRange) })
	return results, nil
}

func declaredBefore(a, b hcl.Range) bool {
	if a.Filename != b.Filename {
		return a.Filename < b.Filename
	}
	return a.Start.Byte < b.Start.Byte
}

// runCase runs one test on a new in-memory DuckDB: every source's table
// created empty, the given rows inserted (or the given files loaded as
// seeds), the views built, and each expectation read back.
func runCase(ctx context.Context, plan *compiler.Plan, compiled *compiler.Compiled, tc *compiler.TestCase, dir string) *Result {
	start := time.Now()
	r := &Result{Name: tc.Decl.Name, DeclRange: tc.Decl.DeclRange}
	defer func() { r.Duration = time.Since(start) }()
	db, err := engine.OpenDuckDB("")
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer db.Close()
	d, _ := dialects.Lookup("duckdb")
	if err := db.Apply(ctx, sourceTables(plan, tc, d)); err != nil {
		r.Error = "loading the given rows: " + err.Error()
		return r
	}
	if _, err := db.Build(ctx, engine.BuildInput{Project: givenFiles(plan.Project, tc), ProjectDir: dir, Compiled: compiled, LoadSeeds: true}); err != nil {
		r.Error = err.Error()
		return r
	}
	for _, c := range tc.Checks {
		if f, err := compare(ctx, db, plan.Project.Schema, c, d); err != nil {
			r.Error = fmt.Sprintf("reading %s: %v", c.View, err)
			return r
		} else if f != nil {
			r.Failures = append(r.Failures, *f)
		}
	}
	return r
}

// sourceTables creates every source's table, empty, and inserts the
// rows a test gives inline.
func sourceTables(plan *compiler.Plan, tc *compiler.TestCase, d dialects.Dialect) []string {
	rows := map[*models.Source][][]models.Literal{}
	for _, g := range tc.Given {
		rows[g.Source] = g.Rows
	}
	var stmts []string
	schemas := map[string]bool{}
	for _, s := range plan.Project.Sources {
		if s.Kind != models.KindSource {
			continue
		}
		path := plan.Model.Relation("source." + s.Name).Stored
		if len(path) > 1 && !schemas[strings.Join(path[:len(path)-1], ".")] {
			schemas[strings.Join(path[:len(path)-1], ".")] = true
			stmts = append(stmts, render(&sqltree.CreateSchema{Path: path[:len(path)-1]}, d))
		}
		table := &sqltree.CreateTable{Name: path}
		for _, c := range s.Columns {
			table.Columns = append(table.Columns, sqltree.ColumnDef{Name: c.Name, Type: compiler.SQLType(c.Type)})
		}
		stmts = append(stmts, render(table, d))
		if len(rows[s]) == 0 {
			continue
		}
		insert := &sqltree.Insert{Table: path}
		var selects []*sqltree.Select
		for _, row := range rows[s] {
			sel := &sqltree.Select{}
			for i, c := range s.Columns {
				sel.Columns = append(sel.Columns, sqltree.SelectItem{X: literalSQL(row[i], c.Type), Alias: c.Name})
			}
			selects = append(selects, sel)
		}
		for _, c := range s.Columns {
			insert.Columns = append(insert.Columns, c.Name)
		}
		insert.Query = sqltree.UnionAll(selects)
		stmts = append(stmts, render(insert, d))
	}
	return stmts
}

// literalSQL is a value written in a test as SQL of the column's type
// (a NULL typed too, as the first row of an insert names the types).
func literalSQL(l models.Literal, t models.Type) sqltree.Expr {
	return sqltree.Cast{X: compiler.LiteralSQL(l), Type: compiler.SQLType(t)}
}

// givenFiles is the project as a test builds it: the sources it gives a
// file load that file, and no other source loads its seed.
func givenFiles(p *models.Project, tc *compiler.TestCase) *models.Project {
	files := map[*models.Source]*compiler.TestGiven{}
	for _, g := range tc.Given {
		if g.File != "" {
			files[g.Source] = g
		}
	}
	out := *p
	out.Sources = nil
	for _, s := range p.Sources {
		copied := *s
		copied.File, copied.FileRange = "", hcl.Range{}
		if g := files[s]; g != nil {
			// A problem with the file is reported where the test names it.
			copied.File, copied.FileRange = g.File, g.Decl.FileRange
		}
		out.Sources = append(out.Sources, &copied)
	}
	return &out
}

func render(s sqltree.Statement, d dialects.Dialect) string {
	out, err := sqltree.Render(s, d)
	if err != nil {
		panic("projecttest: " + err.Error())
	}
	return out
}

// compare reads what an expectation is about and compares: nil when it
// holds.
func compare(ctx context.Context, db *engine.DuckDB, schema string, c *compiler.TestCheck, d dialects.Dialect) (*Failure, error) {
	q := &sqltree.Select{From: sqltree.Table{Path: []string{schema, c.View}}}
	for _, col := range c.Columns {
		q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Column{Name: col}})
	}
	if len(c.Columns) == 0 {
		q.Columns = []sqltree.SelectItem{{X: sqltree.Star{}}}
	}
	text, err := sqltree.RenderQuery(q, d)
	if err != nil {
		return nil, err
	}
	rows, err := db.Query(ctx, text)
	if err != nil {
		return nil, err
	}
	var expected, actual []string
	keys := map[string]bool{}
	for _, want := range c.Want {
		cells := make([]string, len(want))
		for i, l := range want {
			cells[i] = literalText(l, c.Types[i])
		}
		keys[cells[0]] = true
		expected = append(expected, strings.Join(cells, " | "))
	}
	columns := c.Columns
	if len(columns) == 0 {
		columns = rows.Columns
	}
	for _, row := range rows.Values {
		cells := make([]string, len(row))
		for i, v := range row {
			typ := models.TypeUnknown
			if i < len(c.Types) {
				typ = c.Types[i]
			}
			cells[i] = valueText(v, typ)
		}
		if c.KeysOnly && !keys[cells[0]] {
			continue
		}
		actual = append(actual, strings.Join(cells, " | "))
	}
	sort.Strings(expected)
	sort.Strings(actual)
	if strings.Join(expected, "\n") == strings.Join(actual, "\n") && len(expected) == len(actual) {
		return nil, nil
	}
	return &Failure{What: c.What, DeclRange: c.Decl.DeclRange, Columns: columns, Expected: expected, Actual: actual, Diff: textdiff.Lines(joinLines(expected), joinLines(actual))}, nil
}

// literalText and valueText write an expected literal and a value read
// from DuckDB alike, by the column's type: strings quoted, numbers to 12
// significant digits (sums of doubles differ in the last bits), dates
// and timestamps in ISO form, NULL as null.
func literalText(l models.Literal, t models.Type) string {
	switch l.Kind {
	case models.LiteralNull:
		return "null"
	case models.LiteralNumber:
		if t == models.TypeInteger {
			return l.Text // digits, compared exactly
		}
		f, _ := strconv.ParseFloat(l.Text, 64)
		return numberText(f)
	case models.LiteralBool:
		return l.Text
	}
	switch t {
	case models.TypeDate:
		if v, err := time.Parse(time.DateOnly, l.Text); err == nil {
			return v.Format(time.DateOnly)
		}
	case models.TypeTimestamp:
		if v, err := check.ParseLiteralTimestamp(l.Text); err == nil {
			return timestampText(v)
		}
	}
	return strconv.Quote(l.Text)
}

func valueText(v any, t models.Type) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return integerText(x, t)
	case int32:
		return integerText(int64(x), t)
	case int:
		return integerText(int64(x), t)
	case float64:
		return numberText(x)
	case float32:
		return numberText(float64(x))
	case *big.Int:
		if t == models.TypeInteger {
			return x.String()
		}
		f, _ := new(big.Float).SetInt(x).Float64()
		return numberText(f)
	case time.Time:
		if t == models.TypeDate {
			return x.Format(time.DateOnly)
		}
		return timestampText(x)
	}
	return fmt.Sprint(v)
}

func numberText(f float64) string { return strconv.FormatFloat(f, 'g', 12, 64) }

// integerText writes an integer exactly in an integer column, and as a
// number elsewhere (a count compared with a written 2.0).
func integerText(n int64, t models.Type) string {
	if t == models.TypeInteger {
		return strconv.FormatInt(n, 10)
	}
	return numberText(float64(n))
}

func timestampText(v time.Time) string {
	return v.UTC().Format("2006-01-02 15:04:05.999999")
}

// joinLines is lines as one text, each ending in a newline.
func joinLines(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}
