package main

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/projecttest"
)

// runTest runs the project's test blocks, each on its own in-memory
// DuckDB, and prints each result as it finishes: ok, or what differed.
func runTest(e *env, args []string) int {
	fs := newFlagSet("test", e)
	run := fs.String("run", "", "run only the tests whose name matches this pattern (path.Match syntax: at_risk*)")
	update := fs.Bool("update", false, "rewrite the SQL snapshots under tests/sql/ with what the project compiles to now")
	targetName := fs.String("target", "", "also check the project's assert blocks on this target's data")
	if _, err := parseCommand(fs, args); err != nil {
		return e.flagError(err)
	}
	if *run != "" {
		if _, err := path.Match(*run, ""); err != nil {
			return e.fail(exitUsage, "--run %q is not a pattern: %v", *run, err)
		}
	}
	files, code := e.projectFiles()
	if files == nil {
		return code
	}
	// Planned once without as_of: its diagnostics (the test blocks' too),
	// its tests, the SQL snapshots, and the target when --as-of is not set.
	unpinned, code := e.load(files, time.Time{})
	if unpinned == nil {
		return code
	}
	opts := projecttest.Options{ProjectDir: e.project}
	if *run != "" {
		opts.Match = func(name string) bool { ok, _ := path.Match(*run, name); return ok }
	}
	if !e.json {
		opts.Progress = func(r *projecttest.Result) { printTestResult(e, r) }
	}
	results, diags := projecttest.Run(context.Background(), files, unpinned.parsed.Project.Tests, opts)
	if diags.HasErrors() {
		e.printDiagnostics(unpinned.parsed.Files, diags)
		return exitInvalid
	}
	failed := 0
	for _, r := range results {
		if !r.Passed() {
			failed++
		}
	}
	// The golden SQL of every target, unless only some tests were asked for.
	snaps := []*sqlSnapshot{}
	if *run == "" || *update {
		var code int
		if snaps, code = e.checkSQLSnapshots(unpinned, *update); snaps == nil {
			return code
		}
	}
	sqlFailed := 0
	for _, s := range snaps {
		if s.differs() {
			sqlFailed++
		}
	}
	// The assertions, on the target's data.
	var asserted []*projecttest.AssertionResult
	assertFailed := 0
	if *targetName != "" {
		l := unpinned
		if !e.asOf.IsZero() {
			if l, code = e.load(files, e.asOf); l == nil {
				return code
			}
		}
		ft, code := e.forTarget(l, *targetName)
		if ft == nil {
			return code
		}
		ctx := context.Background()
		wh, code := e.openTarget(ft)
		if wh == nil {
			return code
		}
		var err error
		asserted, err = projecttest.Assert(ctx, wh, ft.compiled, e.asOf)
		wh.Close()
		if err != nil {
			return e.databaseError(fmt.Errorf("%w (has `strata build` created the views?)", err))
		}
		for _, a := range asserted {
			if !a.Passed && a.Severity == "error" {
				assertFailed++
			}
		}
		if !e.json {
			printAssertions(e, ft, asserted)
		}
	}
	if e.json {
		out := jsonTests{Passed: len(results) - failed, Failed: failed, Tests: []jsonTest{}, SQL: snaps}
		if *targetName != "" {
			out.Assertions = toJSONAssertions(asserted)
		}
		for _, r := range results {
			out.Tests = append(out.Tests, toJSONTest(r))
		}
		if c := e.printJSON(out); c != exitOK {
			return c
		}
	} else {
		if len(snaps) > 0 {
			fmt.Fprintln(e.stdout)
			printSQLSnapshots(e, snaps)
		}
		switch {
		case len(results) == 0 && *targetName != "":
		case len(results) == 0 && *run != "":
			fmt.Fprintf(e.stdout, "No test matches %q.\n", *run)
		case len(results) == 0:
			fmt.Fprintln(e.stdout, "The project has no tests. Add a test block: see docs/reference.md#test.")
		case failed == 0:
			fmt.Fprintf(e.stdout, "\n%s passed.\n", plural(len(results), "test"))
		default:
			fmt.Fprintf(e.stdout, "\n%d of %s failed.\n", failed, plural(len(results), "test"))
		}
	}
	if sqlFailed > 0 && !e.json {
		fmt.Fprintf(e.stdout, "The SQL of %s differs from its snapshot.\n", plural(sqlFailed, "target"))
	}
	if assertFailed > 0 && !e.json {
		fmt.Fprintf(e.stdout, "%s failed on the data.\n", plural(assertFailed, "assertion"))
	}
	if failed+sqlFailed+assertFailed > 0 {
		return exitInvalid
	}
	return exitOK
}

func printTestResult(e *env, r *projecttest.Result) {
	if r.Passed() {
		fmt.Fprintf(e.stdout, "ok    %s (%s)\n", r.Name, seconds(r.Duration))
		return
	}
	fmt.Fprintf(e.stdout, "FAIL  %s (%s)\n", r.Name, seconds(r.Duration))
	if r.Error != "" {
		fmt.Fprintf(e.stdout, "      %s: the test could not run: %s\n", where(r.DeclRange), r.Error)
	}
	for _, f := range r.Failures {
		fmt.Fprintf(e.stdout, "      %s: %s: expected %s, read %s (- expected only, + read only)\n",
			where(f.DeclRange), f.What, plural(len(f.Expected), "row"), plural(len(f.Actual), "row"))
		fmt.Fprintf(e.stdout, "          %s\n", strings.Join(f.Columns, " | "))
		for _, line := range f.Diff {
			fmt.Fprintf(e.stdout, "        %s\n", line)
		}
	}
}

func where(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

func seconds(d interface{ Seconds() float64 }) string {
	return fmt.Sprintf("%.2fs", d.Seconds())
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

type jsonTests struct {
	Passed int        `json:"passed"`
	Failed int        `json:"failed"`
	Tests  []jsonTest `json:"tests"`
	// SQL compares each target's compiled SQL with its snapshot.
	SQL []*sqlSnapshot `json:"sql"`
	// Assertions are the assert blocks checked on --target's data.
	Assertions []jsonAssertion `json:"assertions,omitempty"`
}

type jsonAssertion struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Severity string   `json:"severity"`
	On       string   `json:"on"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Passed   bool     `json:"passed"`
	Failing  int64    `json:"failing"`
	Detail   string   `json:"detail,omitempty"`
	Columns  []string `json:"columns,omitempty"`
	Examples [][]any  `json:"examples,omitempty"`
}

// toJSONAssertions is the --json form of assertion results: a list,
// empty rather than null.
func toJSONAssertions(results []*projecttest.AssertionResult) []jsonAssertion {
	out := []jsonAssertion{}
	for _, a := range results {
		out = append(out, toJSONAssertion(a))
	}
	return out
}

func toJSONAssertion(a *projecttest.AssertionResult) jsonAssertion {
	j := jsonAssertion{Name: a.Name, Kind: a.Kind, Severity: a.Severity, On: a.On, File: a.DeclRange.Filename, Line: a.DeclRange.Start.Line,
		Passed: a.Passed, Failing: a.Failing, Detail: a.Detail}
	if a.Examples != nil {
		j.Columns = a.Examples.Columns
		for _, row := range a.Examples.Values {
			cells := make([]any, len(row))
			for i, v := range row {
				cells[i] = jsonValue(v)
			}
			j.Examples = append(j.Examples, cells)
		}
	}
	return j
}

// printAssertions prints each assertion's result, with a failing one's
// example rows.
func printAssertions(e *env, ft *forTarget, results []*projecttest.AssertionResult) {
	fmt.Fprintf(e.stdout, "\nAssertions on target %s (%s), as of %s:\n", ft.target.Name, ft.target.Dialect, asOfText(ft.loaded))
	if len(results) == 0 {
		fmt.Fprintln(e.stdout, "  The project has no assert blocks: see docs/reference.md#assert.")
	}
	for _, a := range results {
		mark := "ok  "
		switch {
		case !a.Passed && a.Severity == "warning":
			mark = "WARN"
		case !a.Passed:
			mark = "FAIL"
		}
		line := fmt.Sprintf("%s  %s (%s, %s)", mark, a.Name, a.Kind, a.On)
		if a.Detail != "" {
			line += ": " + a.Detail
		}
		fmt.Fprintln(e.stdout, line)
		if a.Examples != nil && len(a.Examples.Values) > 0 {
			fmt.Fprintf(e.stdout, "      %s\n", strings.Join(a.Examples.Columns, " | "))
			for _, row := range a.Examples.Values {
				cells := make([]string, len(row))
				for i, v := range row {
					cells[i] = formatValue(v)
				}
				fmt.Fprintf(e.stdout, "      %s\n", strings.Join(cells, " | "))
			}
			if a.Failing > int64(len(a.Examples.Values)) {
				fmt.Fprintf(e.stdout, "      (%d of %d)\n", len(a.Examples.Values), a.Failing)
			}
		}
	}
}

type jsonTest struct {
	Name     string            `json:"name"`
	File     string            `json:"file"`
	Line     int               `json:"line"`
	Passed   bool              `json:"passed"`
	Seconds  float64           `json:"seconds"`
	Error    string            `json:"error,omitempty"`
	Failures []jsonTestFailure `json:"failures,omitempty"`
}

type jsonTestFailure struct {
	What     string   `json:"what"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Columns  []string `json:"columns"`
	Expected []string `json:"expected"`
	Actual   []string `json:"actual"`
}

func toJSONTest(r *projecttest.Result) jsonTest {
	t := jsonTest{Name: r.Name, File: r.DeclRange.Filename, Line: r.DeclRange.Start.Line, Passed: r.Passed(), Seconds: r.Duration.Seconds(), Error: r.Error}
	for _, f := range r.Failures {
		t.Failures = append(t.Failures, jsonTestFailure{What: f.What, File: f.DeclRange.Filename, Line: f.DeclRange.Start.Line,
			Columns: f.Columns, Expected: nonNil(f.Expected), Actual: nonNil(f.Actual)})
	}
	return t
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
