package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/dbtest"
)

// TestSnapshotOnDuckDB and TestSnapshotOnPostgres record segment members
// with build --snapshot and snapshot, as a daily CI job would, and check
// what a team relies on: each day's rows are the members of that day, a
// second run on one day replaces its rows, other days stay, and the
// fingerprint changes with a segment's definition only.
func TestSnapshotOnDuckDB(t *testing.T) {
	dir := newProject(t)
	testSnapshot(t, dir, nil, builtDuckDB(t, dir))
}

func TestSnapshotOnPostgres(t *testing.T) {
	dir, open := projectOnPostgres(t)
	testSnapshot(t, dir, []string{"--target", "warehouse"}, open)
}

// builtDuckDB opens the DuckDB file a build of the project at dir made.
func builtDuckDB(t *testing.T, dir string) func() engine.Warehouse {
	return func() engine.Warehouse {
		wh, err := engine.OpenDuckDB(filepath.Join(dir, "build", "strata.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		return wh
	}
}

// projectOnPostgres is a new project whose warehouse target is the test
// server (skipped without one), and a function opening that server.
func projectOnPostgres(t *testing.T) (string, func() engine.Warehouse) {
	dsn := dbtest.Postgres(t)
	dir := newProject(t)
	t.Setenv("STRATA_PG_DSN", dsn)
	return dir, func() engine.Warehouse {
		wh, err := engine.OpenPostgres(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		return wh
	}
}

func testSnapshot(t *testing.T, dir string, target []string, open func() engine.Warehouse) {
	run := func(args ...string) string {
		t.Helper()
		code, stdout, stderr := strata(t, append(append([]string{"--project", dir}, args...), target...)...)
		if code != exitOK {
			t.Fatalf("strata %v: exit %d\n%s\n%s", args, code, stdout, stderr)
		}
		return stdout
	}
	rows := func(sql string) []string {
		t.Helper()
		wh := open()
		defer wh.Close()
		r, err := wh.Query(context.Background(), sql)
		if err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
		return dbtest.Normalize(r)
	}
	const may = "2025-05-31"
	loadSeeds := "--load-seeds"
	if target == nil {
		loadSeeds = "--quiet" // DuckDB always loads them
	}
	run("--as-of", asOf, "build", "--quiet", loadSeeds, "--snapshot")
	run("--as-of", asOf, "snapshot")                   // the same day again: replaces its rows
	run("--as-of", may, "build", "--quiet", loadSeeds) // the views of May, no snapshot
	if out := run("--as-of", may, "snapshot"); !strings.Contains(out, "Recorded the members of 9 segments as of "+may) {
		t.Errorf("snapshot says %q", out)
	}

	snapshot := func(day, segment string) []string {
		return rows("SELECT member_key, tier FROM analytics.strata_segment_snapshots WHERE as_of = DATE '" + day + "' AND segment = '" + segment + "'")
	}
	// May's rows are the members of May's views, built above.
	for _, seg := range []string{"at_risk", "advocates", "not_onboarded"} {
		got, want := snapshot(may, seg), rows("SELECT CAST(customer_id AS VARCHAR), CAST(NULL AS VARCHAR) FROM analytics.segment_"+seg)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s on %s: %d members recorded, the view has %d", seg, may, len(got), len(want))
		}
	}
	got, want := snapshot(may, "touch_model"), rows("SELECT CAST(customer_id AS VARCHAR), tier FROM analytics.segment_touch_model")
	if len(got) == 0 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("touch_model on %s: %d members recorded, the view has %d", may, len(got), len(want))
	}
	// Each day has a row per segment, empty ones included, whose size is
	// its members' rows.
	sizes := rows(`SELECT d.as_of, d.segment, d.members, COUNT(s.member_key) FROM analytics.strata_segment_snapshot_days AS d
	  LEFT JOIN analytics.strata_segment_snapshots AS s ON s.as_of = d.as_of AND s.segment = d.segment
	  GROUP BY d.as_of, d.segment, d.members`)
	if len(sizes) != 18 {
		t.Errorf("%d days and segments recorded, want 2 days of 9 segments:\n%s", len(sizes), strings.Join(sizes, "\n"))
	}
	for _, line := range sizes {
		if f := strings.Split(line, " | "); f[2] != f[3] {
			t.Errorf("a day's size is not its members: %s", line)
		}
	}
	// June's rows were recorded twice and are there once; they are not
	// May's.
	perDay := rows("SELECT CAST(as_of AS VARCHAR), segment, COUNT(*), COUNT(DISTINCT member_key), COUNT(DISTINCT fingerprint) FROM analytics.strata_segment_snapshots GROUP BY as_of, segment")
	counts := map[string]string{}
	for _, line := range perDay {
		f := strings.Split(line, " | ")
		if f[2] != f[3] || f[4] != "1" {
			t.Errorf("a member recorded twice, or two fingerprints in one day: %s", line)
		}
		counts[strings.Trim(f[0], `"`)+" "+strings.Trim(f[1], `"`)] = f[2]
	}
	if counts[asOf+" at_risk"] == "" || counts[asOf+" at_risk"] == counts[may+" at_risk"] {
		t.Errorf("at_risk: %s members on %s and %s on %s; the sample data has other members each month", counts[asOf+" at_risk"], asOf, counts[may+" at_risk"], may)
	}
	fingerprints := func(day string) map[string]string {
		out := map[string]string{}
		for _, line := range rows("SELECT segment, fingerprint FROM analytics.strata_segment_snapshot_days WHERE as_of = DATE '" + day + "'") {
			f := strings.Split(line, " | ")
			out[f[0]] = f[1]
		}
		return out
	}
	june, mayPrints := fingerprints(asOf), fingerprints(may)
	if len(june) != 9 || len(mayPrints) != 9 {
		t.Fatalf("fingerprints of %d and %d segments, want 8", len(june), len(mayPrints))
	}
	for seg, fp := range june {
		if mayPrints[seg] != fp {
			t.Errorf("%s: fingerprint %s on %s and %s on %s, with the same definition", seg, fp, asOf, mayPrints[seg], may)
		}
	}

	// A new definition of at_risk: a new fingerprint for it and for the
	// split of its members (at_risk_outreach reads it) alone, and the days
	// before keep theirs.
	path := filepath.Join(dir, "segments.hcl")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(b), "days_since(metric.last_seen) > 7", "days_since(metric.last_seen) > 14", 1)
	if changed == string(b) {
		t.Fatal("segments.hcl has no days_since(metric.last_seen) > 7 to change")
	}
	writeFile(t, dir, "segments.hcl", changed)
	// validate against the target warns of it before the snapshot records it.
	validateTarget := target
	if validateTarget == nil {
		validateTarget = []string{"--target", "local"}
	}
	code, _, stderr := strata(t, append([]string{"--project", dir, "--as-of", asOf, "validate"}, validateTarget...)...)
	if code != exitOK || strings.Count(stderr, "Definition changed since the last snapshot") != 2 ||
		!strings.Contains(stderr, `Segment "at_risk" was last recorded in target`) || !strings.Contains(stderr, "on "+asOf) {
		t.Errorf("validate against the target after a change of at_risk: exit %d\n%s", code, stderr)
	}
	if out := run("--as-of", asOf, "snapshot"); !strings.Contains(out, "The definition of at_risk changed since "+may) ||
		!strings.Contains(out, "The definition of at_risk_outreach changed since "+may) || strings.Count(out, "The definition of") != 2 {
		t.Errorf("snapshot after a change of at_risk says:\n%s", out)
	}
	after := fingerprints(asOf)
	for seg, fp := range after {
		readsAtRisk := seg == `"at_risk"` || seg == `"at_risk_outreach"`
		if readsAtRisk == (fp == june[seg]) {
			t.Errorf("%s: fingerprint %s before the change of at_risk, %s after", seg, june[seg], fp)
		}
	}
	if fingerprints(may)[`"at_risk"`] != mayPrints[`"at_risk"`] {
		t.Errorf("the rows of %s changed when %s was recorded again", may, asOf)
	}

	// at_risk's history read from the records: May and June, each with
	// the members recorded, and June's change of definition as a break.
	withSnapshots := strings.Replace(changed, "  history = month\n", "  history = month\n  history_from = snapshots\n", 1)
	if withSnapshots == changed {
		t.Fatal("segments.hcl has no history = month to read from snapshots")
	}
	writeFile(t, dir, "segments.hcl", withSnapshots)
	run("--as-of", asOf, "build", "--quiet")
	history := rows("SELECT CAST(period AS VARCHAR), CAST(customer_id AS VARCHAR) FROM analytics.segment_at_risk_history ORDER BY 1, 2")
	recorded := rows(`SELECT CAST(CAST(DATE_TRUNC('month', as_of) AS DATE) AS VARCHAR), member_key FROM analytics.strata_segment_snapshots
	  WHERE segment = 'at_risk' ORDER BY 1, 2`)
	if len(history) == 0 || strings.Join(history, "\n") != strings.Join(recorded, "\n") {
		t.Errorf("segment_at_risk_history has %d rows, and %d members were recorded", len(history), len(recorded))
	}
	quality := rows("SELECT CAST(period AS VARCHAR), definition_changed, fingerprint = '" + strings.Trim(after[`"at_risk"`], `"`) + "' FROM analytics.segment_at_risk_quality ORDER BY 1")
	if want := []string{`"2025-05-01" | NULL | false`, `"2025-06-01" | true | true`}; strings.Join(quality, "\n") != strings.Join(want, "\n") {
		t.Errorf("at_risk's quality from snapshots:\n%s\nwant\n%s", strings.Join(quality, "\n"), strings.Join(want, "\n"))
	}
}
