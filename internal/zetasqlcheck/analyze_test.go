package zetasqlcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/internal/dbtest"
	"github.com/strata-analytics/strata/models"
)

// asOf is the fixtures' pinned as_of (fixtures/golden_test.go).
const asOf = "2025-06-30"

// installHint is the command that installs the analyser, as `make
// checkers` runs it.
const installHint = "mkdir -p .cache/zetasql && cp internal/zetasqlcheck/package.json internal/zetasqlcheck/package-lock.json .cache/zetasql/ && npm ci --prefix .cache/zetasql --ignore-scripts --no-audit --no-fund"

type column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

type table struct {
	Name    []string `json:"name"`
	Columns []column `json:"columns"`
}

type statement struct {
	Index int    `json:"index"`
	SQL   string `json:"sql"`
}

// analysisCase is one script and its catalog, as analyze.mjs reads it.
type analysisCase struct {
	File       string      `json:"file"`
	Tables     []table     `json:"tables"`
	Script     string      `json:"script"`
	Statements []statement `json:"statements,omitempty"`
}

type result struct {
	File  string `json:"file"`
	Index int    `json:"index"`
	Line  int    `json:"line"`
	Kind  string `json:"kind"`
	OK    bool   `json:"ok"`
	Error string `json:"error"`
	Note  string `json:"note"`
	SQL   string `json:"sql"` // of a rejected statement
	// Consequence is set on a "Table not found" for a view or table
	// whose own CREATE statement was rejected before.
	Consequence bool `json:"consequence"`
	Listed      bool `json:"listed"` // a data check, not a statement of the golden
}

type response struct {
	ServerStartMS int      `json:"server_start_ms"`
	AnalysisMS    int      `json:"analysis_ms"`
	Features      int      `json:"features"`
	Results       []result `json:"results"`
}

// analyser returns node and the analyser's install prefix:
// STRATA_ZETASQL_PREFIX, or the .cache/zetasql that `make checkers`
// fills. In CI a missing analyser fails the test; elsewhere it skips it,
// saying how to install it.
func analyser(t *testing.T) (node, prefix string) {
	t.Helper()
	missing := func(format string, args ...any) {
		t.Helper()
		dbtest.Missing(t, fmt.Sprintf(format, args...)+fmt.Sprintf(": `make checkers` installs it (%s)", installHint))
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not on PATH; the ZetaSQL check needs it")
	}
	prefix = os.Getenv("STRATA_ZETASQL_PREFIX")
	if prefix == "" {
		prefix, _ = filepath.Abs("../../.cache/zetasql")
	}
	var want struct{ Dependencies map[string]string }
	b, err := os.ReadFile("package.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("package.json: %v", err)
	}
	var got struct{ Version string }
	b, err = os.ReadFile(filepath.Join(prefix, "node_modules/@fivetrandevelopers/zetasql/package.json"))
	if err != nil {
		missing("ZetaSQL is not installed in %s", prefix)
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if v := want.Dependencies["@fivetrandevelopers/zetasql"]; got.Version != v {
		missing("%s has ZetaSQL %s, package.json pins %s", prefix, got.Version, v)
	}
	return node, prefix
}

// analyse runs analyze.mjs on cases: one server for all of them.
func analyse(t *testing.T, node, prefix string, cases []analysisCase) response {
	t.Helper()
	if _, err := os.ReadFile("analyze.mjs"); err != nil { // for go test's cache
		t.Fatal(err)
	}
	req, err := json.Marshal(map[string]any{"cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	if path := os.Getenv("STRATA_ZETASQL_SAVE_REQUEST"); path != "" {
		// To rerun by hand: node analyze.mjs < path
		if err := os.WriteFile(path, req, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "analyze.mjs")
	// On the time-out, SIGTERM lets analyze.mjs stop its server first.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	cmd.Env = append(os.Environ(), "ZETASQL_PREFIX="+prefix)
	cmd.Stdin = bytes.NewReader(req)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("analyze.mjs: %v\n%s", err, stderr.String())
	}
	var resp response
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("analyze.mjs printed %q: %v", out, err)
	}
	return resp
}

// bigqueryCase compiles the fixture case in dir for BigQuery: its golden
// must be what the compiler renders (else the catalog, made from the
// case's sources, may not be the golden's), and its data checks are
// analysed after the golden's statements.
func bigqueryCase(t *testing.T, dir string) analysisCase {
	t.Helper()
	goldenPath := filepath.Join(dir, "bigquery", "compiled.sql")
	golden, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	c := compileCase(t, dir, dbtest.HCLFiles(t, dir))
	if c.Script != string(golden) {
		t.Errorf("%s is not what the compiler renders: run `make golden` and review the diff", goldenPath)
	}
	c.File, c.Script = filepath.ToSlash(goldenPath), string(golden)
	return c
}

// compileCase compiles a project for BigQuery: the script, its data
// checks, and its source tables with their BigQuery types.
func compileCase(t *testing.T, name string, files []compiler.File) analysisCase {
	t.Helper()
	_, plan, diags := compiler.Load(files, compiler.Options{AsOf: compiler.MustAsOf(asOf)})
	if plan == nil {
		t.Fatalf("%s: %s", name, diags.Error())
	}
	d, ok := dialects.Lookup("bigquery")
	if !ok {
		t.Fatal("no bigquery dialect")
	}
	compiled, diags := compiler.Render(plan, d)
	if compiled == nil {
		t.Fatalf("%s: bigquery: %s", name, diags.Error())
	}
	c := analysisCase{File: name, Script: compiled.Script()}
	for _, s := range plan.Project.Sources {
		if s.Kind != models.KindSource || s.Table == nil {
			continue
		}
		tb := table{Name: s.Table}
		for _, col := range s.Columns {
			typ := d.TypeName(compiler.SQLType(col.Type))
			if typ == "TIMESTAMP" && os.Getenv("STRATA_ZETASQL_TIMESTAMP") != "" {
				typ = os.Getenv("STRATA_ZETASQL_TIMESTAMP")
			}
			tb.Columns = append(tb.Columns, column{Name: col.Name, Type: typ})
		}
		c.Tables = append(c.Tables, tb)
	}
	for i, ch := range compiled.Checks {
		c.Statements = append(c.Statements, statement{Index: i, SQL: ch.SQL})
	}
	return c
}

func bigqueryCases(t *testing.T) []analysisCase {
	t.Helper()
	goldens, _ := filepath.Glob(filepath.Join("../../fixtures", "*", "bigquery", "compiled.sql"))
	if len(goldens) < 25 {
		t.Fatalf("%d bigquery goldens; every valid fixture case should have one", len(goldens))
	}
	var cases []analysisCase
	for _, g := range goldens {
		cases = append(cases, bigqueryCase(t, filepath.Dir(filepath.Dir(g))))
	}
	return cases
}

// TestBigQueryGoldensAnalyse analyses every BigQuery golden, and the data
// checks of its case (none so far), with ZetaSQL: every statement must
// resolve.
func TestBigQueryGoldensAnalyse(t *testing.T) {
	node, prefix := analyser(t)
	cases := bigqueryCases(t)
	resp := analyse(t, node, prefix, cases)
	notes := map[string]int{}
	perFile := map[string]int{}
	for _, r := range resp.Results {
		perFile[r.File]++
		if r.Note != "" {
			notes[r.Note]++
		}
		switch {
		case r.OK:
		case r.Consequence:
			t.Errorf("%s:%d: ZetaSQL rejects %s, since the statement that creates it was rejected: %s", r.File, r.Line, r.Kind, r.Error)
		default:
			t.Errorf("%s: ZetaSQL rejects %s: %s\n%s", where(r), r.Kind, r.Error, excerpt(r))
		}
	}
	for _, c := range cases {
		if perFile[c.File] == 0 {
			t.Errorf("%s: no statement analysed", c.File)
		}
	}
	for n, count := range notes {
		t.Logf("%d statements: %s", count, n)
	}
	t.Logf("%d statements of %d goldens analysed with %d language features: server start %d ms, analysis %d ms",
		len(resp.Results), len(cases), resp.Features, resp.ServerStartMS, resp.AnalysisMS)
}

// where is a result's file and line, or its data check.
func where(r result) string {
	if r.Listed {
		return fmt.Sprintf("%s (data check %d)", r.File, r.Index)
	}
	return fmt.Sprintf("%s:%d", r.File, r.Line)
}

var errorAt = regexp.MustCompile(`\[at (?:[^\]]*:)?(\d+):(\d+)\]`)

// excerpt is the line of the statement that an error points at, with a
// caret under its column, or the statement's first line.
func excerpt(r result) string {
	lines := strings.Split(r.SQL, "\n")
	m := errorAt.FindStringSubmatch(r.Error)
	if m == nil {
		return "  " + lines[0]
	}
	var line, col int
	fmt.Sscan(m[1], &line)
	fmt.Sscan(m[2], &col)
	i := line - r.Line // both count lines of the script or of the listed statement
	if i < 0 || i >= len(lines) {
		return "  " + lines[0]
	}
	return "  " + lines[i] + "\n  " + strings.Repeat(" ", max(col-1, 0)) + "^"
}

// TestBrokenGoldenFails proves the check can fail: a golden with a
// TIMESTAMP compared with a DATE, which every parser accepts, or with a
// function BigQuery does not have, is rejected at that statement, and
// only there.
func TestBrokenGoldenFails(t *testing.T) {
	node, prefix := analyser(t)
	base := bigqueryCase(t, "../../fixtures/descriptions")
	base.Statements = nil
	breaks := []struct {
		name, old, new string
		error          *regexp.Regexp
	}{
		{"timestamp compared with date", "s.started_at <= CAST('2025-06-30' AS DATE)", "CAST(s.started_at AS TIMESTAMP) <= CAST('2025-06-30' AS DATE)",
			regexp.MustCompile(`No matching signature for operator <= for argument types: TIMESTAMP, DATE`)},
		{"unknown function", "COALESCE(mrr > 0, FALSE)", "IFNULL_OR_ELSE(mrr > 0, FALSE)",
			regexp.MustCompile(`Function not found: IFNULL_OR_ELSE`)},
		{"unknown column", "e.last_seen_at,", "e.last_seen_on,",
			regexp.MustCompile(`Name last_seen_on not found inside e`)},
		{"description not a string", "SET OPTIONS(description = 'Customers who pay: O\\'Reilly\\'s rule')", "SET OPTIONS(description = 42)",
			regexp.MustCompile(`Option description value has type INT64 which cannot be coerced to expected type STRING`)},
		{"description of no column", "ALTER COLUMN paying SET OPTIONS", "ALTER COLUMN payer SET OPTIONS",
			regexp.MustCompile(`Column not found: payer`)},
	}
	var cases []analysisCase
	for _, b := range breaks {
		c := base
		c.Script = strings.Replace(base.Script, b.old, b.new, 1)
		if c.Script == base.Script {
			t.Fatalf("%s: %q is not in the golden any more", b.name, b.old)
		}
		c.File = b.name
		cases = append(cases, c)
	}
	resp := analyse(t, node, prefix, cases)
	for i, b := range breaks {
		var failed []result
		n := 0
		for _, r := range resp.Results {
			if r.File != b.name {
				continue
			}
			n++
			if !r.OK && !r.Consequence {
				failed = append(failed, r)
			}
		}
		// The broken statement's line: where the replacement is.
		line := strings.Count(cases[i].Script[:strings.Index(cases[i].Script, b.new)], "\n") + 1
		switch {
		case n < 4:
			t.Errorf("%s: %d statements analysed", b.name, n)
		case len(failed) != 1:
			t.Errorf("%s: %d statements rejected, want 1: %+v", b.name, len(failed), failed)
		case !b.error.MatchString(failed[0].Error):
			t.Errorf("%s: ZetaSQL says %q, want %s", b.name, failed[0].Error, b.error)
		case !strings.Contains(failed[0].Error, fmt.Sprintf("[at %s:%d:", b.name, line)):
			t.Errorf("%s: the error %q is not located at line %d", b.name, failed[0].Error, line)
		}
	}
}

// TestDataChecksAnalyse analyses the query of a data check, which no
// golden holds: the descriptions case with allow_overlap = false.
func TestDataChecksAnalyse(t *testing.T) {
	node, prefix := analyser(t)
	files := dbtest.HCLFiles(t, "../../fixtures/descriptions")
	changed := false
	for i, f := range files {
		if f.Name == "project.hcl" {
			b := strings.Replace(string(f.Bytes), "valid       = [started_at, ended_at]", "valid       = [started_at, ended_at]\n  allow_overlap = false", 1)
			changed = b != string(f.Bytes)
			files[i].Bytes = []byte(b)
		}
	}
	if !changed {
		t.Fatal("fixtures/descriptions/project.hcl has no metric with valid = [started_at, ended_at] any more")
	}
	c := compileCase(t, "descriptions with allow_overlap = false", files)
	if len(c.Statements) == 0 {
		t.Fatal("no data check rendered")
	}
	resp := analyse(t, node, prefix, []analysisCase{c})
	checks := 0
	for _, r := range resp.Results {
		if r.Listed {
			checks++
		}
		if !r.OK {
			t.Errorf("%s: ZetaSQL rejects %s: %s\n%s", where(r), r.Kind, r.Error, excerpt(r))
		}
	}
	if checks != len(c.Statements) {
		t.Errorf("%d data checks analysed, want %d", checks, len(c.Statements))
	}
}
