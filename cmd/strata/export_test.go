package main

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/dbtest"
)

// TestExportOnDuckDB exports a segment in each format and reads each
// file back with DuckDB's readers: the members are the view's. The
// changes since a day are the members now and not then, and the reverse,
// as the views built for both days say. A failed export writes nothing
// and leaves an existing file as it was.
func TestExportOnDuckDB(t *testing.T) {
	dir := newProject(t)
	out := t.TempDir()
	const may = "2025-05-31"
	strataOK(t, "--project", dir, "--as-of", may, "build", "--quiet", "--no-summary")
	maySet := firstColumn(t, dir, "SELECT customer_id FROM analytics.segment_at_risk")
	strataOK(t, "--project", dir, "--as-of", asOf, "build", "--quiet", "--no-summary")
	juneSet := firstColumn(t, dir, "SELECT customer_id FROM analytics.segment_at_risk")
	if len(juneSet) == 0 {
		t.Fatal("at_risk is empty: the export would prove nothing")
	}

	readers := map[string]string{"csv": "read_csv_auto", "json": "read_json_auto", "parquet": "read_parquet"}
	for format, reader := range readers {
		file := filepath.Join(out, "at_risk."+format)
		stdout := strataOK(t, "--project", dir, "--as-of", asOf, "export", "at_risk", "--out", file)
		if !strings.Contains(stdout, "Wrote "+formatCount(int64(len(juneSet)))+" rows") {
			t.Errorf("%s: export says %q, the view has %d members", format, stdout, len(juneSet))
		}
		got := firstColumn(t, "", "SELECT customer_id FROM "+reader+"('"+file+"')")
		if strings.Join(got, ",") != strings.Join(juneSet, ",") {
			t.Errorf("%s: %d members read back, the view has %d", format, len(got), len(juneSet))
		}
	}

	changes := filepath.Join(out, "changes.csv")
	strataOK(t, "--project", dir, "--as-of", asOf, "export", "at_risk", "--out", changes, "--changes-since", may)
	entered := firstColumn(t, "", "SELECT customer_id FROM read_csv_auto('"+changes+"') WHERE change = 'entered'")
	exited := firstColumn(t, "", "SELECT customer_id FROM read_csv_auto('"+changes+"') WHERE change = 'exited'")
	if want := minus(juneSet, maySet); strings.Join(entered, ",") != strings.Join(want, ",") {
		t.Errorf("entered: %d, the views say %d", len(entered), len(want))
	}
	if want := minus(maySet, juneSet); strings.Join(exited, ",") != strings.Join(want, ",") {
		t.Errorf("exited: %d, the views say %d", len(exited), len(want))
	}
	if len(entered)+len(exited) == 0 {
		t.Error("no changes between May and June: the comparison would prove nothing")
	}

	// A failure (a segment view whose table is gone) keeps the old file
	// and leaves no temporary one.
	before, _ := os.ReadFile(changes)
	db, err := engine.OpenDuckDB(filepath.Join(dir, "build", "strata.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.DB().Exec("DROP TABLE raw.subscriptions CASCADE"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if code, _, _ := strata(t, "--project", dir, "--as-of", asOf, "export", "at_risk", "--out", changes); code != exitDatabase {
		t.Errorf("export without the subscriptions: exit %d, want %d", code, exitDatabase)
	}
	if after, _ := os.ReadFile(changes); string(after) != string(before) {
		t.Error("a failed export changed the file it was to replace")
	}
	if entries, _ := os.ReadDir(out); len(entries) != 4 {
		t.Errorf("%d files in the export directory, want the 4 written: a temporary file was left", len(entries))
	}
}

// TestExportOnPostgres exports a segment to CSV with PostgreSQL's COPY.
func TestExportOnPostgres(t *testing.T) {
	dsn := dbtest.Postgres(t)
	dir := newProject(t)
	t.Setenv("STRATA_PG_DSN", dsn)
	strataOK(t, "--project", dir, "--as-of", asOf, "build", "--target", "warehouse", "--load-seeds", "--quiet", "--no-summary")
	pg, err := engine.OpenPostgres(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := pg.Query(context.Background(), "SELECT customer_id FROM analytics.segment_at_risk")
	pg.Close()
	if err != nil {
		t.Fatal(err)
	}
	want := dbtest.Normalize(rows)
	file := filepath.Join(t.TempDir(), "at_risk.csv")
	strataOK(t, "--project", dir, "--as-of", asOf, "export", "at_risk", "--out", file, "--target", "warehouse")
	got := firstColumn(t, "", "SELECT customer_id FROM read_csv_auto('"+file+"')")
	if len(want) == 0 || len(got) != len(want) {
		t.Errorf("%d members in the CSV, the view has %d", len(got), len(want))
	}
	if code, _, _ := strata(t, "--project", dir, "--as-of", asOf, "export", "at_risk", "--out", file+".parquet", "--target", "warehouse"); code == exitOK {
		t.Error("a Parquet export from PostgreSQL succeeded; it needs DuckDB")
	}
}

func strataOK(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := strata(t, args...)
	if code != exitOK {
		t.Fatalf("strata %v: exit %d\n%s\n%s", args, code, stdout, stderr)
	}
	return stdout
}

// firstColumn runs a query on the project's DuckDB (or an in-memory one when
// dir is "") and returns its first column, sorted.
func firstColumn(t *testing.T, dir, query string) []string {
	t.Helper()
	path := ""
	if dir != "" {
		path = filepath.Join(dir, "build", "strata.duckdb")
	}
	db, err := engine.OpenDuckDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(context.Background(), query)
	if err != nil {
		t.Fatalf("%v\n%s", err, query)
	}
	var out []string
	for _, r := range rows.Values {
		out = append(out, r[0].(string))
	}
	sort.Strings(out)
	return out
}

func minus(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}
