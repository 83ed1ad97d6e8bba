package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/dbtest"
)

// TestSegmentsOnDuckDB and TestSegmentsOnPostgres check strata segments
// against the views a build made: sizes against the segment views,
// entered, exited and retained against the history and changes views,
// snapshots and a changed definition; and floors that stop the build.
func TestSegmentsOnDuckDB(t *testing.T) {
	dir := newProject(t)
	testSegments(t, dir, nil, builtDuckDB(t, dir))
}

func TestSegmentsOnPostgres(t *testing.T) {
	dir, open := projectOnPostgres(t)
	testSegments(t, dir, []string{"--target", "warehouse"}, open)
}

func testSegments(t *testing.T, dir string, target []string, open func() engine.Warehouse) {
	run := func(want int, args ...string) string {
		t.Helper()
		code, stdout, stderr := strata(t, append(append([]string{"--project", dir, "--as-of", asOf}, args...), target...)...)
		if code != want {
			t.Fatalf("strata %v: exit %d, want %d\n%s\n%s", args, code, want, stdout, stderr)
		}
		return stdout + stderr
	}
	number := func(sql string) float64 {
		t.Helper()
		wh := open()
		defer wh.Close()
		r, err := wh.Query(context.Background(), sql)
		if err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
		f, err := strconv.ParseFloat(dbtest.Normalize(r)[0], 64)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	loadSeeds := "--load-seeds"
	if target == nil {
		loadSeeds = "--quiet"
	}
	run(exitOK, "build", "--quiet", loadSeeds)
	var out struct {
		Segments []segmentQuality `json:"segments"`
	}
	if err := json.Unmarshal([]byte(run(exitOK, "--json", "segments")), &out); err != nil {
		t.Fatal(err)
	}
	got := map[string]segmentQuality{}
	for _, q := range out.Segments {
		got[q.Segment] = q
	}
	if len(got) != 9 {
		t.Fatalf("%d segments, want the example's 9: %+v", len(got), out.Segments)
	}
	for name, q := range got {
		if n := number("SELECT COUNT(*) FROM analytics.segment_" + name); float64(q.Members) != n {
			t.Errorf("%s: %d members, the view has %v", name, q.Members, n)
		}
	}
	// advocates has a monthly history: its current month against the
	// history and changes views, by hand.
	adv := got["advocates"]
	const month, before = "DATE '2025-06-01'", "DATE '2025-05-01'"
	entered := number("SELECT COUNT(*) FROM analytics.segment_advocates_changes WHERE period = " + month + " AND change = 'entered'")
	exited := number("SELECT COUNT(*) FROM analytics.segment_advocates_changes WHERE period = " + month + " AND change = 'exited'")
	previous := number("SELECT COUNT(*) FROM analytics.segment_advocates_history WHERE period = " + before)
	stayed := number(`SELECT COUNT(*) FROM analytics.segment_advocates_history n JOIN analytics.segment_advocates_history b
	  ON b.customer_id = n.customer_id AND b.period = ` + before + ` WHERE n.period = ` + month)
	if adv.Period != "2025-06-01" || adv.Entered == nil || float64(*adv.Entered) != entered || float64(*adv.Exited) != exited ||
		adv.Retained == nil || float64(*adv.Retained) != stayed/previous || previous-exited != stayed {
		t.Errorf("advocates: %+v; by hand entered %v, exited %v, retained %v/%v", adv, entered, exited, stayed, previous)
	}
	if adv.Measured == nil || *adv.Measured != 1 || adv.Contactable != nil {
		t.Errorf("advocates: measured %v (its rule's metrics are non-null for members), contactable %v (no contact columns)", adv.Measured, adv.Contactable)
	}
	if q := got["enterprise_europe"]; q.Period != "" || q.Entered != nil || q.LastSnapshot != "" {
		t.Errorf("enterprise_europe has no history and no snapshot: %+v", q)
	}

	// A snapshot, then a changed definition.
	run(exitOK, "snapshot")
	text := run(exitOK, "segments")
	if !strings.Contains(text, "last "+asOf) || strings.Contains(text, "definition changed") {
		t.Errorf("segments after a snapshot:\n%s", text)
	}
	writeFile(t, dir, "segments.hcl", strings.Replace(readFile(t, dir, "segments.hcl"), "metric.logins_30d >= 8", "metric.logins_30d >= 9", 1))
	run(exitOK, "build", "--quiet")
	if text := run(exitOK, "segments"); !strings.Contains(text, "last "+asOf+", definition changed since") {
		t.Errorf("segments after changing advocates:\n%s", text)
	}

	// Floors: one the data meets builds; one it does not stops the build,
	// pointing at the floor, and segments says so with exit 1.
	writeFile(t, dir, "floors.hcl", `segment "payers" {
  where    = metric.mrr > 0
  history  = month
  min_size = 10
  expect {
    retained = 0.5
  }
}
`)
	run(exitOK, "build", "--quiet")
	writeFile(t, dir, "floors.hcl", `segment "payers" {
  where    = metric.mrr > 0
  history  = month
  min_size = 100000
}
`)
	text = run(exitInvalid, "build", "--quiet")
	for _, want := range []string{"Segment below its floor", "floors.hcl:4:14", "min_size = 100000", "segment_payers_quality"} {
		if !strings.Contains(text, want) {
			t.Errorf("failed build lacks %q:\n%s", want, text)
		}
	}
	writeFile(t, dir, "floors.hcl", `segment "payers" {
  where   = metric.mrr > 0
  history = month
}
`)
	run(exitOK, "build", "--quiet")
	writeFile(t, dir, "floors.hcl", `segment "payers" {
  where   = metric.mrr > 0
  history = month
  expect {
    retained = 1
  }
}
`)
	if text := run(exitInvalid, "segments"); !strings.Contains(text, "payers is below its floor retained = 1 (is 0.") {
		t.Errorf("segments below a floor:\n%s", text)
	}
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
