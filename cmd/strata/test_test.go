package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/engine"
)

// TestUnitTestsFromTheCommandLine runs `strata test` on a project made by
// init, which passes out of the box; then on a test whose expectations
// are wrong, which fails with the rows that differ, in text and JSON; and
// on a misused test block, which is a diagnostic with file:line:col.
func TestUnitTestsFromTheCommandLine(t *testing.T) {
	dir := newProject(t)
	code, stdout, stderr := strata(t, "--project", dir, "test")
	if code != exitOK || !strings.Contains(stdout, "ok    at_risk_after_a_quiet_week") || !strings.Contains(stdout, "1 test passed.") {
		t.Fatalf("test on a new project: exit %d\n%s%s", code, stdout, stderr)
	}

	wrong := `
test "wrong_members" {
  as_of = "2025-06-30"
  given {
    source = source.customers
    rows   = [{ customer_id = "k1", signed_up_at = "2025-01-01" }, { customer_id = "k2" }]
  }
  given {
    source = source.subscriptions
    rows   = [{ subscription_id = "s1", customer_id = "k1", monthly_amount = 10, started_at = "2025-01-01" }]
  }
  expect {
    segment = segment.at_risk
    members = ["k2"]
  }
  expect {
    metric = metric.mrr
    values = { k1 = 10, k2 = 0 }
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "tests", "wrong.hcl"), []byte(wrong), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = strata(t, "--project", dir, "test")
	for _, want := range []string{
		"FAIL  wrong_members",
		"wrong.hcl:12:3: segment at_risk: expected 1 row, read 1 row",
		`- "k2"`, // expected: k2 is not paying
		`+ "k1"`, // read: k1 pays and was never seen
		"1 of 2 tests failed.",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("a failing test's output lacks %q:\n%s", want, stdout)
		}
	}
	if code != exitInvalid {
		t.Errorf("a failing test exits %d, want %d", code, exitInvalid)
	}
	if strings.Contains(stdout, "metric mrr") {
		t.Errorf("the metric's values hold, yet are reported:\n%s", stdout)
	}

	code, stdout, _ = strata(t, "--project", dir, "--json", "test", "--run", "wrong_*")
	var out struct {
		Passed, Failed int
		Tests          []struct {
			Name     string
			Passed   bool
			Failures []struct {
				What             string
				Line             int
				Expected, Actual []string
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("--json test: %v\n%s", err, stdout)
	}
	if code != exitInvalid || out.Passed != 0 || out.Failed != 1 || len(out.Tests) != 1 || len(out.Tests[0].Failures) != 1 {
		t.Fatalf("--json test --run wrong_*: exit %d, %+v", code, out)
	}
	if f := out.Tests[0].Failures[0]; f.What != "segment at_risk" || f.Line != 12 ||
		strings.Join(f.Expected, ",") != `"k2"` || strings.Join(f.Actual, ",") != `"k1"` {
		t.Errorf("--json failure: %+v", f)
	}

	misused := strings.Replace(wrong, "segment.at_risk", "segment.at_rsk", 1)
	if err := os.WriteFile(filepath.Join(dir, "tests", "wrong.hcl"), []byte(misused), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = strata(t, "--project", dir, "test")
	if code != exitInvalid || !strings.Contains(stderr, "wrong.hcl:13:15") || !strings.Contains(stderr, `Did you mean "at_risk"?`) {
		t.Errorf("a misused test block: exit %d\n%s", code, stderr)
	}
	// validate reports it too: what validate accepts, test runs.
	if code, _, stderr = strata(t, "--project", dir, "validate"); code != exitInvalid || !strings.Contains(stderr, "Unknown segment") {
		t.Errorf("validate of a misused test block: exit %d\n%s", code, stderr)
	}
}

// TestSQLSnapshotsOfTheProject: strata test --update writes each target's
// SQL under tests/sql/<target>; strata test then passes until a
// definition changes, and names the files and lines that changed.
func TestSQLSnapshotsOfTheProject(t *testing.T) {
	dir := newProject(t)
	if code, stdout, _ := strata(t, "--project", dir, "test"); code != exitOK || strings.Contains(stdout, "SQL of target") {
		t.Fatalf("a project without snapshots: exit %d\n%s", code, stdout)
	}
	code, stdout, stderr := strata(t, "--project", dir, "--as-of", asOf, "test", "--update")
	if code != exitOK || !strings.Contains(stdout, "wrote   SQL of target local (duckdb) to tests/sql/local") {
		t.Fatalf("test --update: exit %d\n%s%s", code, stdout, stderr)
	}
	// Written without as_of, even when one is given: no dates in the SQL.
	b, err := os.ReadFile(filepath.Join(dir, "tests", "sql", "local", "segment_twitter_trials.sql"))
	if err != nil || strings.Contains(string(b), "2025-06-30") {
		t.Fatalf("snapshot of segment_twitter_trials: %v\n%s", err, b)
	}
	if code, stdout, _ := strata(t, "--project", dir, "test"); code != exitOK || !strings.Contains(stdout, "ok    SQL of target local (duckdb) matches tests/sql/local") {
		t.Fatalf("test after --update: exit %d\n%s", code, stdout)
	}

	segments := filepath.Join(dir, "segments.hcl")
	b, _ = os.ReadFile(segments)
	changed := strings.Replace(string(b), `account_status == "active_trial"`, `account_status == "trial"`, 1)
	if changed == string(b) {
		t.Fatal("the example's twitter_trials rule has changed; update this test")
	}
	if err := os.WriteFile(segments, []byte(changed+"\nsegment \"new_one\" {\n  where = plan == \"free\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = strata(t, "--project", dir, "test")
	for _, want := range []string{
		"FAIL  SQL of target local (duckdb) differs from tests/sql/local",
		"changed segment_twitter_trials.sql",
		`"e"."account_status" = 'active_trial');`,
		`+ WHERE (`,
		`"e"."account_status" = 'trial');`,
		"new     segment_new_one.sql",
		"The SQL of 2 targets differs from its snapshot.",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("test after a change lacks %q:\n%s", want, stdout)
		}
	}
	if code != exitInvalid {
		t.Errorf("SQL that differs from its snapshot exits %d, want %d", code, exitInvalid)
	}
	code, stdout, _ = strata(t, "--project", dir, "--json", "test")
	var out struct {
		SQL []struct {
			Target         string
			Changed, Added []string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || code != exitInvalid || len(out.SQL) != 2 || out.SQL[0].Target != "local" ||
		len(out.SQL[0].Changed) == 0 || len(out.SQL[0].Added) == 0 {
		t.Errorf("--json test: exit %d, %v, %+v\n%s", code, err, out, stdout)
	}
	strata(t, "--project", dir, "test", "--update")
	if code, stdout, _ := strata(t, "--project", dir, "test"); code != exitOK {
		t.Errorf("test after a second --update: exit %d\n%s", code, stdout)
	}
}

// TestAssertionsOnTheTarget: the example's assert blocks pass on its
// sample data; rows that break them (a repeated customer id, a
// subscription of a customer that does not exist, an unknown plan, a
// negative amount) make strata test --target fail, naming how many rows
// and showing them; a warning is reported without failing.
func TestAssertionsOnTheTarget(t *testing.T) {
	dir := newProject(t)
	if code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "build"); code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	code, stdout, _ := strata(t, "--project", dir, "--as-of", asOf, "test", "--target", "local")
	if code != exitOK || !strings.Contains(stdout, "ok    customer_ids_unique (unique, source.customers)") ||
		!strings.Contains(stdout, "ok    at_risk_is_one_row_per_customer (unique, view segment_at_risk)") ||
		!strings.Contains(stdout, "ok    events_are_fresh (fresh, source.events): latest 2025-06-30, within 2 days of 2025-06-30") {
		t.Fatalf("assertions on the sample data: exit %d\n%s", code, stdout)
	}

	db, err := engine.OpenDuckDB(filepath.Join(dir, "build", "strata.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`INSERT INTO raw.customers (customer_id, name, plan) SELECT customer_id, 'again', plan FROM raw.customers ORDER BY customer_id LIMIT 2`,
		`INSERT INTO raw.customers (customer_id, name, plan) VALUES ('X1', 'Platinum Co', 'platinum')`,
		`INSERT INTO raw.subscriptions (subscription_id, customer_id, plan, monthly_amount, started_at) VALUES ('S-ghost', 'nobody', 'growth', 10, DATE '2025-01-01'), ('S-neg', 'X1', 'growth', -5, DATE '2025-01-01')`,
	} {
		if _, err := db.DB().Exec(stmt); err != nil {
			t.Fatalf("%v\n%s", err, stmt)
		}
	}
	db.Close()
	code, stdout, _ = strata(t, "--project", dir, "--as-of", "2025-07-10", "test", "--target", "local")
	for _, want := range []string{
		"FAIL  customer_ids_unique (unique, source.customers): 4 rows share their values with another row",
		"FAIL  subscriptions_have_a_customer (references, source.subscriptions): 1 row refers to a key that does not exist",
		`S-ghost | nobody`,
		"FAIL  known_plans (accepted_values, source.customers): 1 row holds a value not accepted",
		"X1 | platinum",
		"FAIL  amounts_not_negative (condition, source.subscriptions): 1 row does not hold the condition",
		"WARN  events_are_fresh (fresh, source.events): latest 2025-06-30, more than 2 days before 2025-07-10",
		"4 assertions failed on the data.",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("assertions on broken data lack %q:\n%s", want, stdout)
		}
	}
	if code != exitInvalid {
		t.Errorf("failed assertions exit %d, want %d", code, exitInvalid)
	}
	code, stdout, _ = strata(t, "--project", dir, "--json", "--as-of", "2025-07-10", "test", "--target", "local", "--run", "none")
	var out struct {
		Assertions []struct {
			Name, Severity string
			Passed         bool
			Failing        int64
			Columns        []string
			Examples       [][]any
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || code != exitInvalid || len(out.Assertions) != 7 {
		t.Fatalf("--json test --target: exit %d, %v\n%s", code, err, stdout)
	}
	unique := out.Assertions[0]
	if unique.Name != "customer_ids_unique" || unique.Failing != 4 || len(unique.Examples) != 4 || strings.Join(unique.Columns, ",") != "customer_id" {
		t.Errorf("--json unique: %+v", unique)
	}
}

// TestInitTemplates: each template init offers writes a project that is
// formatted, valid, passes its unit test out of the box, builds, and
// passes its assertions on the data init generated.
func TestInitTemplates(t *testing.T) {
	for _, tmpl := range []string{"saas", "usage", "ecommerce"} {
		t.Run(tmpl, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), tmpl)
			if code, _, stderr := strata(t, "init", dir, "--template", tmpl, "--customers", "300"); code != exitOK {
				t.Fatalf("init: exit %d\n%s", code, stderr)
			}
			for _, args := range [][]string{{"fmt", "--check"}, {"validate"}, {"test"}, {"--as-of", asOf, "build"}, {"--as-of", asOf, "test", "--target", "local", "--run", "none"}} {
				code, stdout, stderr := strata(t, append([]string{"--project", dir}, args...)...)
				if code != exitOK {
					t.Errorf("%v: exit %d\n%s%s", args, code, stdout, stderr)
				}
				if args[0] == "test" && !strings.Contains(stdout, "1 test passed.") {
					t.Errorf("%v: %s", args, stdout)
				}
			}
		})
	}
	if code, _, stderr := strata(t, "init", filepath.Join(t.TempDir(), "x"), "--template", "ecomerce"); code != exitUsage || !strings.Contains(stderr, `Did you mean "ecommerce"?`) {
		t.Errorf("an unknown template: exit %d\n%s", code, stderr)
	}
}

// TestBuildAssert: build --assert checks the assertions inside the
// build's transaction; a repeated customer id in the seed file fails
// customer_ids_unique, and the build is undone: the database keeps the
// data of the build before.
func TestBuildAssert(t *testing.T) {
	dir := newProject(t)
	code, stdout, stderr := strata(t, "--project", dir, "--as-of", asOf, "build", "--assert")
	if code != exitOK || !strings.Contains(stdout, "ok    customer_ids_unique (unique, source.customers)") {
		t.Fatalf("build --assert: exit %d\n%s%s", code, stdout, stderr)
	}
	customers := filepath.Join(dir, "data", "customers.csv")
	b, _ := os.ReadFile(customers)
	lines := strings.SplitAfter(string(b), "\n")
	os.WriteFile(customers, []byte(string(b)+lines[1]), 0o644) // the first customer again
	code, stdout, _ = strata(t, "--project", dir, "--as-of", asOf, "build", "--assert")
	if code != exitInvalid || !strings.Contains(stdout, "FAIL  customer_ids_unique (unique, source.customers): 2 rows share their values with another row") ||
		!strings.Contains(stdout, "the build was undone") {
		t.Errorf("build --assert over a repeated id: exit %d\n%s", code, stdout)
	}
	db, err := engine.OpenDuckDB(filepath.Join(dir, "build", "strata.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(context.Background(), "SELECT COUNT(*), COUNT(DISTINCT customer_id) FROM raw.customers")
	if err != nil || fmt.Sprint(rows.Values[0]) != "[300 300]" {
		t.Errorf("after the undone build, raw.customers: %v %v", rows, err)
	}
}
