package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/dbtest"
	"github.com/strata-analytics/strata/models"
)

// TestPlanAndApplyOnDuckDB and ...OnPostgres run the loop on the example
// project: a schema that build made is a conflict until apply --adopt;
// then plan has nothing to do; a stricter at_risk rule is a replace whose
// segment impact equals the members counted before and after, by hand;
// apply refuses a stale plan id and deploys the current one, recording
// it; a segment removed is dropped; an object Strata did not create is
// never touched.
func TestPlanAndApplyOnDuckDB(t *testing.T) {
	dir := newProject(t)
	testPlanAndApply(t, dir, "local", func() engine.Warehouse {
		db, err := engine.OpenDuckDB(filepath.Join(dir, "build", "strata.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}

func TestPlanAndApplyOnPostgres(t *testing.T) {
	dsn := dbtest.Postgres(t)
	t.Setenv("STRATA_PG_DSN", dsn)
	dir := newProject(t)
	testPlanAndApply(t, dir, "warehouse", func() engine.Warehouse {
		pg, err := engine.Open(context.Background(), &models.Target{Name: "warehouse", Dialect: "postgres", ConnectionEnv: "STRATA_PG_DSN"}, dir)
		if err != nil {
			t.Fatal(err)
		}
		return pg
	})
}

func testPlanAndApply(t *testing.T, dir, target string, open func() engine.Warehouse) {
	run := func(args ...string) (int, string, string) {
		t.Helper()
		return strata(t, append([]string{"--project", dir, "--as-of", asOf}, args...)...)
	}
	query := func(sql string) [][]any {
		t.Helper()
		wh := open()
		defer wh.Close()
		rows, err := wh.Query(context.Background(), sql)
		if err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
		return rows.Values
	}
	members := func() map[string]bool {
		out := map[string]bool{}
		for _, r := range query(`SELECT customer_id FROM analytics.segment_at_risk`) {
			out[fmt.Sprint(r[0])] = true
		}
		return out
	}
	build := []string{"build", "--target", target}
	if target != "local" {
		build = append(build, "--load-seeds")
	}
	if code, _, stderr := run(build...); code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	code, stdout, _ := run("plan", "--target", target)
	if code != exitOK || !strings.Contains(stdout, "! conflict segment_at_risk:") {
		t.Fatalf("plan over a schema build made: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := run("apply", "--target", target); code != exitInvalid || !strings.Contains(stderr, "and 39 more already in schema analytics") {
		t.Fatalf("apply with conflicts: exit %d\n%s", code, stderr)
	}
	if code, stdout, stderr := run("apply", "--target", target, "--adopt"); code != exitOK || !strings.Contains(stdout, "44 created") {
		t.Fatalf("apply --adopt: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, _ := run("plan", "--target", target, "--detailed-exitcode"); code != exitOK || !strings.Contains(stdout, "No changes") {
		t.Fatalf("plan after apply: exit %d\n%s", code, stdout)
	}
	if n := query(`SELECT COUNT(*) FROM analytics.strata_state WHERE strata_version = '0.1.0' AND length(fingerprint) = 64`); fmt.Sprint(n[0][0]) != "44" {
		t.Errorf("state rows: %v", n)
	}
	// An object of the user's that reads a Strata view.
	wh := open()
	if err := wh.Apply(context.Background(), []string{`CREATE VIEW analytics.my_report AS SELECT customer_id FROM analytics.segment_twitter_trials`}); err != nil {
		t.Fatal(err)
	}
	wh.Close()

	before := members()
	segments := filepath.Join(dir, "segments.hcl")
	b, _ := os.ReadFile(segments)
	stricter := strings.Replace(string(b), "days_since(metric.last_seen) > 7", "days_since(metric.last_seen) > 3", 1)
	stricter = regexp.MustCompile(`(?s)segment "advocates" \{.*?\n\}\n`).ReplaceAllString(stricter, "")
	if stricter == string(b) || strings.Contains(stricter, `segment "advocates"`) {
		t.Fatal("the example's at_risk or advocates changed; update this test")
	}
	if err := os.WriteFile(segments, []byte(stricter), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run("plan", "--target", target, "--detailed-exitcode")
	if code != exitChanges {
		t.Fatalf("plan of a change: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"~ replace  segment_at_risk\n", "- drop     segment_advocates\n", "- drop     segment_advocates_history\n", "> 3"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("plan lacks %q:\n%s", want, stdout)
		}
	}
	code, jsonOut, _ := run("--json", "plan", "--target", target)
	var p struct {
		ID      string
		Impacts []struct {
			Segment            string
			Enter, Leave, Stay int64
		}
	}
	if err := json.Unmarshal([]byte(jsonOut), &p); err != nil || code != exitOK || p.ID == "" {
		t.Fatalf("--json plan: exit %d, %v\n%s", code, err, jsonOut)
	}
	if code, _, stderr := run("apply", "--target", target, "--plan", "0000000000000000"); code != exitInvalid || !strings.Contains(stderr, "changed since that plan") {
		t.Errorf("apply of a stale plan: exit %d\n%s", code, stderr)
	}
	code, applied, stderr := run("apply", "--target", target, "--plan", p.ID)
	if code != exitOK || !strings.Contains(applied, "Applied plan "+p.ID+" to target "+target+": 0 created, 11 replaced, 4 dropped, 29 unchanged") {
		t.Fatalf("apply --plan: exit %d\n%s%s", code, applied, stderr)
	}
	after := members()
	var enter, leave, stay int64
	for k := range after {
		if before[k] {
			stay++
		} else {
			enter++
		}
	}
	for k := range before {
		if !after[k] {
			leave++
		}
	}
	var got *struct {
		Segment            string
		Enter, Leave, Stay int64
	}
	for i := range p.Impacts {
		if p.Impacts[i].Segment == "at_risk" {
			got = &p.Impacts[i]
		}
	}
	if got == nil || got.Enter != enter || got.Leave != leave || got.Stay != stay || enter == 0 {
		t.Errorf("impact on at_risk: %+v; counted before and after: +%d -%d =%d", got, enter, leave, stay)
	}
	if n := query(`SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'analytics' AND table_name IN ('segment_advocates', 'my_report')`); fmt.Sprint(n[0][0]) != "1" {
		t.Errorf("after apply, of segment_advocates (dropped) and my_report (the user's), %v exist; want my_report alone", n)
	}
	if code, stdout, _ := run("plan", "--target", target, "--detailed-exitcode"); code != exitOK {
		t.Errorf("plan after the second apply: exit %d\n%s", code, stdout)
	}
	if target == "local" {
		return // DuckDB does not track what reads a view
	}
	// PostgreSQL refuses to drop a view that the user's view reads: apply
	// stops, changes nothing, and says why.
	wh = open()
	if err := wh.Apply(context.Background(), []string{`CREATE VIEW analytics.my_at_risk AS SELECT customer_id FROM analytics.segment_at_risk`}); err != nil {
		t.Fatal(err)
	}
	wh.Close()
	os.WriteFile(segments, []byte(strings.Replace(stricter, "days_since(metric.last_seen) > 3", "days_since(metric.last_seen) > 5", 1)), 0o644)
	code, _, stderr = run("apply", "--target", target)
	if code != exitDatabase || !strings.Contains(stderr, "other objects depend on it") || !strings.Contains(stderr, "left as it was") {
		t.Errorf("apply under a user's view: exit %d\n%s", code, stderr)
	}
	if n := query(`SELECT COUNT(*) FROM analytics.my_at_risk`); len(n) != 1 {
		t.Errorf("the user's view: %v", n)
	}
	if code, stdout, _ := run("plan", "--target", target, "--detailed-exitcode"); code != exitChanges || !strings.Contains(stdout, "~ replace  segment_at_risk") ||
		!strings.Contains(stdout, "could not be measured (running the new views failed; apply may fail the same way)") {
		t.Errorf("plan after the refused apply: exit %d\n%s", code, stdout)
	}
}

// TestReadingAMissingDatabaseCreatesNothing: the commands that read a
// DuckDB target say it does not exist yet, and leave no empty file.
func TestReadingAMissingDatabaseCreatesNothing(t *testing.T) {
	dir := smallProject(t, customersSource+`segment "any" { where = score > 0 }`+"\n", "id,name,score\na,A,1\n")
	for _, args := range [][]string{
		{"validate", "--target", "local"},
		{"show", "customer"},
		{"segments"},
		{"sources"},
		{"plan"},
		{"test", "--target", "local"},
		{"docs", "--out", filepath.Join(t.TempDir(), "site"), "--target", "local"},
	} {
		code, _, stderr := strata(t, append([]string{"--project", dir, "--as-of", asOf}, args...)...)
		if code != exitDatabase || !strings.Contains(stderr, "small.duckdb does not exist: build it first (strata build --target local)") {
			t.Errorf("%v on a missing database: exit %d\n%s", args, code, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "small.duckdb")); !os.IsNotExist(err) {
			t.Fatalf("%v created the database file", args)
		}
	}
}
