package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/dbtest"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const buildProject = `
project "p" {}
source "customers" {
  table = "raw.customers"
  file  = "customers.csv"
  column "id"   { type = string }
  column "plan" { type = string }
}
entity "customer" {
  source = source.customers
  key    = id
}
segment "pro" { where = plan == "pro" }
`

// A build whose summary fails (here, by design; in the field, a summary
// that ran out of memory) leaves every view as it was: the summary runs
// inside the build's transaction.
func TestFailedSummaryLeavesTheWarehouseAsItWas(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"p.hcl": buildProject, "customers.csv": "id,plan\na,pro\nb,free\n"})
	plan, compiled := dbtest.Compile(t, dir, "2025-06-30")
	db := dbtest.BuildDuckDB(t, dir, plan, compiled["duckdb"])

	writeFiles(t, dir, map[string]string{"customers.csv": "id,plan\na,pro\nb,pro\nc,pro\n"})
	boom := errors.New("out of memory")
	_, err := db.Build(ctx, engine.BuildInput{Project: plan.Project, ProjectDir: dir, Compiled: compiled["duckdb"], LoadSeeds: true,
		Summarize: func(query func(string) (*engine.Rows, error)) error {
			rows, err := query(`SELECT count(*) FROM "analytics"."segment_pro"`)
			if err != nil || rows.Values[0][0] != int64(3) {
				t.Errorf("the summary should see the new views: %v %v", rows, err)
			}
			return boom
		}})
	if !errors.Is(err, boom) {
		t.Fatalf("the build should fail with the summary's error, got %v", err)
	}
	rows, err := db.Query(ctx, `SELECT count(*) FROM "analytics"."segment_pro"`)
	if err != nil {
		t.Fatal(err)
	}
	if rows.Values[0][0] != int64(1) {
		t.Errorf("after a failed build, segment_pro has %v members; the earlier build had 1", rows.Values[0][0])
	}
}
