package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
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

// Changing materialized between two builds replaces each view by a table
// and back, on every engine, in the build's transaction; the rows stay the
// same. Neither engine can replace one kind by the other in place.
func TestMaterializationChangesBetweenBuilds(t *testing.T) {
	ctx := context.Background()
	project := buildProject + `
metric "pro_seats" {
  from  = source.customers
  where = plan == "pro"
  value = count()
}
segment "seated" { where = metric.pro_seats > 0 }
`
	steps := []struct {
		materialized string
		want         map[string]string // view name: kind in information_schema
	}{
		{``, map[string]string{"customer_profile": "VIEW", "segment_pro": "VIEW", "segment_seated": "VIEW"}},
		{`materialized = "table"`, map[string]string{"customer_profile": "BASE TABLE", "segment_pro": "BASE TABLE", "segment_seated": "BASE TABLE"}},
		{`materialized = { segment = "table" }`, map[string]string{"customer_profile": "VIEW", "segment_pro": "BASE TABLE", "segment_seated": "BASE TABLE"}},
		{`materialized = { default = "table", segment = "view" }`, map[string]string{"customer_profile": "BASE TABLE", "segment_pro": "VIEW", "segment_seated": "VIEW"}},
		{``, map[string]string{"customer_profile": "VIEW", "segment_pro": "VIEW", "segment_seated": "VIEW"}},
	}
	engines := []string{"duckdb"}
	if dbtest.HasPostgres() || dbtest.UnderCI() {
		engines = append(engines, "postgres")
	}
	for _, dialect := range engines {
		t.Run(dialect, func(t *testing.T) {
			dir := t.TempDir()
			var wh engine.Warehouse
			var firstRows string
			for i, step := range steps {
				hcl := strings.Replace(project, `project "p" {}`, "project \"p\" {\n"+step.materialized+"\n}", 1)
				writeFiles(t, dir, map[string]string{"p.hcl": hcl, "customers.csv": "id,plan\na,pro\nb,free\n"})
				plan, compiled := dbtest.Compile(t, dir, "2025-06-30")
				switch {
				case wh == nil && dialect == "duckdb":
					wh = dbtest.BuildDuckDB(t, dir, plan, compiled[dialect])
				case wh == nil:
					wh = dbtest.BuildPostgres(t, dbtest.Postgres(t), dir, plan, compiled[dialect])
				default:
					if _, err := wh.Build(ctx, engine.BuildInput{Project: plan.Project, ProjectDir: dir, Compiled: compiled[dialect], LoadSeeds: true}); err != nil {
						t.Fatalf("step %d (%s): %v", i, step.materialized, err)
					}
				}
				rows, err := wh.Query(ctx, `SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'analytics' ORDER BY table_name`)
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]string{}
				for _, r := range rows.Values {
					got[r[0].(string)] = r[1].(string)
				}
				for name, kind := range step.want {
					if got[name] != kind {
						t.Errorf("step %d (%s): %s is a %q, want %q", i, step.materialized, name, got[name], kind)
					}
				}
				viewRows := dbtest.ViewRows(t, wh, plan, dialect)
				if i == 0 {
					firstRows = viewRows
				} else if viewRows != firstRows {
					t.Errorf("step %d (%s): rows changed:\n%s\nwant:\n%s", i, step.materialized, viewRows, firstRows)
				}
			}
		})
	}
}

// DuckDB builds load each seed into a staging table first. A failed build
// leaves neither staging tables nor the schemas it created, and a staging
// table left by a killed build is replaced by the next one.
func TestSeedStagingLeavesNothingBehind(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	project := strings.Replace(buildProject, `table = "raw.customers"`, `table = "fresh.customers"`, 1)
	writeFiles(t, dir, map[string]string{"p.hcl": project, "customers.csv": "id,plan\na,pro\nb,free\n"})
	plan, compiled := dbtest.Compile(t, dir, "2025-06-30")
	db, err := engine.OpenDuckDB("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	relations := func() string {
		rows, err := db.Query(ctx, `SELECT schema_name, coalesce(table_name, '') FROM information_schema.schemata LEFT JOIN information_schema.tables ON table_schema = schema_name WHERE schema_name NOT IN ('main', 'information_schema', 'pg_catalog') ORDER BY 1, 2`)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(dbtest.Normalize(rows), ";")
	}
	in := engine.BuildInput{Project: plan.Project, ProjectDir: dir, Compiled: compiled["duckdb"], LoadSeeds: true}

	// The first build fails in its checks' place, the summary: the schema
	// fresh, created for the seed, is gone again.
	failing := in
	failing.Summarize = func(func(string) (*engine.Rows, error)) error { return errors.New("boom") }
	if _, err := db.Build(ctx, failing); err == nil {
		t.Fatal("the build should fail")
	}
	if got := relations(); got != "" {
		t.Errorf("a failed first build left: %s", got)
	}

	if _, err := db.Build(ctx, in); err != nil {
		t.Fatal(err)
	}
	want := relations()
	if strings.Contains(want, "__strata_seed_") || !strings.Contains(want, `"fresh" | "customers"`) {
		t.Fatalf("after a build: %s", want)
	}

	// A build killed after staging: its staging table, with other rows.
	if _, err := db.DB().Exec(`CREATE TABLE fresh.__strata_seed_customers AS SELECT 'zzz' AS id, 'pro' AS plan`); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{"customers.csv": "id,plan\na,pro\nb,pro\nc,free\n"})
	if _, err := db.Build(ctx, in); err != nil {
		t.Fatal(err)
	}
	if got := relations(); got != want {
		t.Errorf("after a build over a killed one's staging table: %s, want %s", got, want)
	}
	rows, err := db.Query(ctx, `SELECT string_agg(id, ',' ORDER BY id) FROM analytics.segment_pro`)
	if err != nil || rows.Values[0][0] != "a,b" {
		t.Errorf("segment_pro after the rebuild: %v %v", rows, err)
	}
}
