package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/internal/dbtest"
)

const asOf = "2025-06-30"

// strata runs the command line in-process and returns its exit code and output.
func strata(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// newProject runs `strata init` with a small dataset into a temporary directory.
func newProject(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "project")
	if code, _, stderr := strata(t, "init", dir, "--customers", "300"); code != exitOK {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	return dir
}

func TestInitBuildShow(t *testing.T) {
	dir := newProject(t)
	code, stdout, stderr := strata(t, "--project", dir, "--as-of", asOf, "build")
	if code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"customer_profile: 300 entities", "at_risk", "touch_model", "mrr", "strata.duckdb"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("build output lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "creating view") {
		t.Errorf("build shows no progress on stderr:\n%s", stderr)
	}

	// show: a segment by its short name, as JSON.
	code, stdout, stderr = strata(t, "--project", dir, "--as-of", asOf, "--json", "show", "at_risk", "--limit", "3")
	if code != exitOK {
		t.Fatalf("show: exit %d\n%s", code, stderr)
	}
	var shown struct {
		View      string   `json:"view"`
		Columns   []string `json:"columns"`
		Rows      [][]any  `json:"rows"`
		TotalRows int64    `json:"total_rows"`
	}
	if err := json.Unmarshal([]byte(stdout), &shown); err != nil {
		t.Fatalf("show --json is not JSON: %v\n%s", err, stdout)
	}
	if shown.View != "segment_at_risk" || shown.Columns[0] != "customer_id" || len(shown.Rows) > 3 || shown.TotalRows < int64(len(shown.Rows)) {
		t.Errorf("unexpected show result: %+v", shown)
	}
	for _, row := range shown.Rows {
		if mrr, ok := row[1].(float64); !ok || mrr <= 0 {
			t.Errorf("an at-risk customer must pay: row %v", row)
		}
	}

	// show as a table.
	code, stdout, _ = strata(t, "--project", dir, "show", "customer", "--limit", "2")
	if code != exitOK || !strings.Contains(stdout, "(2 of 300 rows)") {
		t.Errorf("show customer: exit %d\n%s", code, stdout)
	}
	code, _, stderr = strata(t, "--project", dir, "show", "no_such_view")
	if code != exitUsage || !strings.Contains(stderr, "segment_at_risk") {
		t.Errorf("show of an unknown view: exit %d, want %d listing the views\n%s", code, exitUsage, stderr)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	dir := newProject(t)
	writeFile(t, dir, "broken.hcl", `segment "typo" {
  where = metric.mrrr > 0 && plan == 5
}
metric "loop_a" { value = metric.loop_b }
metric "loop_b" { value = metric.loop_a }
`)
	code, _, stderr := strata(t, "--project", dir, "validate")
	if code != exitInvalid {
		t.Fatalf("validate: exit %d, want %d\n%s", code, exitInvalid, stderr)
	}
	for _, want := range []string{
		"Error: Unknown metric", "broken.hcl:2:11", `Did you mean "mrr"?`,
		"Error: Type mismatch", "Error: Dependency cycle", "metric.loop_a -> metric.loop_b -> metric.loop_a",
		"^^^^", "Nothing was compiled",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, stderr)
		}
	}

	code, stdout, _ := strata(t, "--project", dir, "--json", "validate")
	var out struct {
		Diagnostics []struct {
			Summary string `json:"summary"`
			Range   struct {
				Filename string `json:"filename"`
				Start    struct{ Line, Column int }
			} `json:"range"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || code != exitInvalid {
		t.Fatalf("validate --json: exit %d, %v\n%s", code, err, stdout)
	}
	if len(out.Diagnostics) < 3 || out.Diagnostics[0].Range.Start.Line != 2 || !strings.HasSuffix(out.Diagnostics[0].Range.Filename, "broken.hcl") {
		t.Errorf("unexpected JSON diagnostics: %+v", out.Diagnostics)
	}
}

func TestCompileIsAtomicAndDeterministic(t *testing.T) {
	dir := newProject(t)
	out := filepath.Join(t.TempDir(), "sql")
	if code, _, stderr := strata(t, "--project", dir, "compile", "--dialect", "postgres", "--out", out); code != exitOK {
		t.Fatalf("compile: exit %d\n%s", code, stderr)
	}
	first := readDir(t, out)
	if _, ok := first["manifest.json"]; !ok || len(first) < 10 {
		t.Fatalf("compile wrote %d files: %v", len(first), keys(first))
	}
	if !strings.Contains(first["001_customer_profile.sql"], `DROP VIEW IF EXISTS "analytics"."customer_profile" CASCADE;`) {
		t.Errorf("the first view is not the PostgreSQL customer profile:\n%s", first["001_customer_profile.sql"])
	}
	var manifest struct {
		Outputs []struct {
			Name, Kind string
			DependsOn  []string `json:"depends_on"`
		}
	}
	if err := json.Unmarshal([]byte(first["manifest.json"]), &manifest); err != nil {
		t.Fatal(err)
	}
	if manifest.Outputs[1].Name != "segment_twitter_trials" || strings.Join(manifest.Outputs[1].DependsOn, ",") != "source.customers" {
		t.Errorf("manifest: %+v", manifest.Outputs[:2])
	}

	// The same input gives the same bytes, and a recompile keeps the
	// files it would write unchanged (the same file, not a copy).
	profileBefore, err := os.Stat(filepath.Join(out, "001_customer_profile.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if code, _, _ := strata(t, "--project", dir, "compile", "--dialect", "postgres", "--out", out); code != exitOK {
		t.Fatal("second compile failed")
	}
	if again := readDir(t, out); !equalMaps(first, again) {
		t.Error("compiling twice gave different files")
	}
	if profileAfter, err := os.Stat(filepath.Join(out, "001_customer_profile.sql")); err != nil || !os.SameFile(profileBefore, profileAfter) {
		t.Errorf("a recompile rewrote an unchanged file (err %v)", err)
	}
	// A changed file is written anew; the earlier file is not touched
	// (kept here through a link of our own).
	kept := filepath.Join(t.TempDir(), "manifest.json")
	if err := os.Link(filepath.Join(out, "manifest.json"), kept); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "described.hcl", `segment "described" {
  description = "new"
  where       = true
}
`)
	if code, _, stderr := strata(t, "--project", dir, "compile", "--dialect", "postgres", "--out", out); code != exitOK {
		t.Fatalf("compile with a new segment: exit %d\n%s", code, stderr)
	}
	changed := readDir(t, out)
	if changed["manifest.json"] == first["manifest.json"] || !strings.Contains(changed["manifest.json"], `"segment_described"`) {
		t.Error("the manifest did not change with a new segment")
	}
	if b, err := os.ReadFile(kept); err != nil || string(b) != first["manifest.json"] {
		t.Errorf("the recompile wrote into the earlier manifest (err %v)", err)
	}
	os.Remove(filepath.Join(dir, "described.hcl"))
	if code, _, _ := strata(t, "--project", dir, "compile", "--dialect", "postgres", "--out", out); code != exitOK {
		t.Fatal("third compile failed")
	}

	// compile never replaces a directory it did not write, such as the project.
	if code, _, stderr := strata(t, "--project", dir, "compile", "--out", dir); code != exitUsage || !strings.Contains(stderr, "refusing to replace") {
		t.Errorf("compile into the project directory: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "segments.hcl")); err != nil {
		t.Fatalf("compile into the project directory removed the project: %v", err)
	}

	// A failed compile leaves the earlier output as it was.
	writeFile(t, dir, "broken.hcl", `segment "x" { where = nope }`)
	if code, _, _ := strata(t, "--project", dir, "compile", "--dialect", "postgres", "--out", out); code != exitInvalid {
		t.Fatalf("compile of a broken project: exit %d, want %d", code, exitInvalid)
	}
	if after := readDir(t, out); !equalMaps(first, after) {
		t.Error("a failed compile changed the output directory")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("a failed compile left files beside the output: %v", entries)
	}
}

func TestBuildFailureKeepsPreviousViews(t *testing.T) {
	dir := newProject(t)
	if code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "build", "--quiet"); code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	_, before, _ := strata(t, "--project", dir, "--as-of", asOf, "--json", "show", "touch_model", "--limit", "1000")

	// A definition change plus a model whose SQL the database rejects: the
	// build must fail as a whole, and the earlier views stay.
	writeFile(t, dir, "more.hcl", `segment "everyone" { where = true }
model "bad" {
  sql = "SELECT no_such_column FROM ${source.customers}"
  column "no_such_column" { type = string }
}
`)
	code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "build", "--quiet")
	if code != exitDatabase || !strings.Contains(stderr, "creating view bad") {
		t.Fatalf("build with a failing view: exit %d, want %d\n%s", code, exitDatabase, stderr)
	}
	os.Remove(filepath.Join(dir, "more.hcl"))
	_, after, _ := strata(t, "--project", dir, "--as-of", asOf, "--json", "show", "touch_model", "--limit", "1000")
	if before != after || !strings.Contains(after, "segment_touch_model") {
		t.Errorf("the failed build changed the existing views")
	}
	writeFile(t, dir, "check.hcl", `segment "everyone" { where = true }`)
	if code, _, stderr := strata(t, "--project", dir, "show", "everyone"); code != exitDatabase {
		t.Errorf("a view of the failed build exists: exit %d\n%s", code, stderr)
	}
}

func TestBuildOnPostgresTarget(t *testing.T) {
	dsn := dbtest.Postgres(t)
	dir := newProject(t)
	t.Setenv("STRATA_PG_DSN", dsn)
	code, stdout, stderr := strata(t, "--project", dir, "--as-of", asOf, "build", "--target", "warehouse", "--load-seeds", "--quiet")
	if code != exitOK || !strings.Contains(stdout, "customer_profile: 300 entities") {
		t.Fatalf("build on PostgreSQL: exit %d\n%s\n%s", code, stdout, stderr)
	}
	_, duck, _ := strata(t, "--project", dir, "--as-of", asOf, "build", "--quiet")
	// The summaries (segment sizes, metric totals) agree between the engines.
	if summary(stdout) != summary(duck) {
		t.Errorf("PostgreSQL and DuckDB summaries differ:\n%s\n---\n%s", summary(stdout), summary(duck))
	}
}

func summary(buildOutput string) string {
	var keep []string
	for _, line := range strings.Split(buildOutput, "\n") {
		if !strings.HasPrefix(line, "Built ") && !strings.HasPrefix(line, "Look at") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"--as-of", "yesterday", "validate"},
		{"compile", "--dialect", "postgres"},
		{"show"},
		{"--project", t.TempDir(), "validate"},
	} {
		if code, _, _ := strata(t, args...); code != exitUsage {
			t.Errorf("strata %v: exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, stdout, _ := strata(t, "help"); code != exitOK || !strings.Contains(stdout, "Exit codes") {
		t.Errorf("help: exit %d\n%s", code, stdout)
	}
}

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestOverlappingIntervalsFailTheBuild(t *testing.T) {
	dir := newProject(t)
	if code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "build", "--quiet"); code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	// The sample data has add-ons that overlap a customer's plan: a metric
	// that forbids overlaps must stop the build, pointing at the rule.
	writeFile(t, dir, "strict.hcl", `metric "strict_mrr" {
  from          = source.subscriptions
  value         = sum(monthly_amount)
  valid         = [started_at, ended_at]
  allow_overlap = false
}
`)
	code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "build", "--quiet")
	if code != exitInvalid {
		t.Fatalf("build with overlapping intervals: exit %d, want %d\n%s", code, exitInvalid, stderr)
	}
	for _, want := range []string{"Overlapping intervals", "strict.hcl:5:19", "allow_overlap = false", "for example customer C"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("diagnostic lacks %q:\n%s", want, stderr)
		}
	}
	if code, _, _ := strata(t, "--project", dir, "show", "customer_profile", "--limit", "1"); code != exitOK {
		t.Errorf("the earlier views are gone after the failed check")
	}
	// Allowing overlaps again builds.
	writeFile(t, dir, "strict.hcl", `metric "strict_mrr" {
  from          = source.subscriptions
  value         = sum(monthly_amount)
  valid         = [started_at, ended_at]
  allow_overlap = true
}
`)
	if code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "build", "--quiet"); code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
}

// TestOverlappingVersionsFailTheBuild: an entity whose versions overlap
// would count twice on the days they share; the build stops, naming one.
func TestOverlappingVersionsFailTheBuild(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "project.hcl", `project "p" {
  schema         = "analytics"
  default_target = "local"
}
target "local" {
  dialect = "duckdb"
  path    = "p.duckdb"
}
source "customers" {
  table = "raw.customers"
  file  = "customers.csv"
  valid = [valid_from, valid_to]
  column "customer_id" { type = string }
  column "plan"        { type = string }
  column "valid_from"  { type = date }
  column "valid_to"    { type = date }
}
entity "customer" {
  source = source.customers
  key    = customer_id
}
segment "paid" { where = plan == "paid" }
`)
	writeFile(t, dir, "customers.csv", "customer_id,plan,valid_from,valid_to\nc1,free,2025-01-01,2025-03-01\nc1,paid,2025-03-01,\nc2,free,2025-01-01,2025-05-01\nc2,paid,2025-04-01,\n")
	code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "build", "--quiet")
	if code != exitInvalid {
		t.Fatalf("build with overlapping versions: exit %d, want %d\n%s", code, exitInvalid, stderr)
	}
	for _, want := range []string{"Overlapping versions", "project.hcl:12:11", "for example customer c2 from 2025-04-01"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("diagnostic lacks %q:\n%s", want, stderr)
		}
	}
	// Without the overlap, c2 is free until April and paid after.
	writeFile(t, dir, "customers.csv", "customer_id,plan,valid_from,valid_to\nc1,free,2025-01-01,2025-03-01\nc1,paid,2025-03-01,\nc2,free,2025-01-01,2025-04-01\nc2,paid,2025-04-01,\n")
	if code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "build", "--quiet"); code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	if code, out, _ := strata(t, "--project", dir, "--as-of", asOf, "show", "paid"); code != exitOK || !strings.Contains(out, "c1") || !strings.Contains(out, "c2") || !strings.Contains(out, "(2 of 2 rows)") {
		t.Errorf("segment paid as of %s:\n%s", asOf, out)
	}
}
