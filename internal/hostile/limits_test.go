package hostile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/internal/dbtest"
)

func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const limitsProject = `
project "limits" {}
source "customers" {
  table       = "raw.customers"
  file        = "customers.csv"
  primary_key = id
  column "id" { type = string }
}
entity "customer" {
  source = source.customers
  key    = id
}
metric "m0" {
  from  = source.customers
  value = count()
}
`

// What validates at the documented limits also builds, on both engines,
// with the same rows: the deepest expression (each level a division,
// which becomes two levels of SQL) and the longest chain of derived
// metrics.
func TestProjectsAtTheLimitsBuild(t *testing.T) {
	var b strings.Builder
	b.WriteString(limitsProject)
	fmt.Fprintf(&b, "segment \"deep\" {\n  where = metric.m0%s > 0\n}\n", strings.Repeat(" / 2", check.MaxExpressionDepth-2))
	fmt.Fprintf(&b, "metric \"deep_value\" {\n  value = (metric.m0%s) * 1\n}\n", strings.Repeat(" / 1", check.MaxExpressionDepth-4))
	for i := 1; i <= check.MaxLevels; i++ {
		fmt.Fprintf(&b, "metric \"m%d\" { value = metric.m%d + 1 }\n", i, i-1)
	}
	dir := writeProject(t, map[string]string{"p.hcl": b.String(), "customers.csv": "id\na\nb\n"})
	plan, compiled := dbtest.Compile(t, dir, "2025-06-30")
	duck := dbtest.ViewRows(t, dbtest.BuildDuckDB(t, dir, plan, compiled["duckdb"]), plan, "duckdb")
	if !strings.Contains(duck, fmt.Sprintf("| %d | true", check.MaxLevels+1)) {
		t.Errorf("the last link of the chain should be %d:\n%s", check.MaxLevels+1, duck)
	}
	pg := dbtest.ViewRows(t, dbtest.BuildPostgres(t, dbtest.Postgres(t), dir, plan, compiled["postgres"]), plan, "postgres")
	if pg != duck {
		t.Errorf("PostgreSQL and DuckDB rows differ:\n--- duckdb\n%s\n--- postgres\n%s", duck, pg)
	}
}

// A view over time starts at most MaxSpanYears before as_of, however old
// the data: a stray row from 1800 does not make a spine of 2,700 months.
func TestSpinesAreBounded(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"p.hcl": `
project "spine" {}
source "customers" {
  table = "raw.customers"
  file  = "customers.csv"
  column "id" { type = string }
}
source "subscriptions" {
  table  = "raw.subscriptions"
  file   = "subscriptions.csv"
  entity = customer
  column "id"         { type = string }
  column "amount"     { type = number }
  column "started_at" { type = date }
  column "ended_at"   { type = date }
}
entity "customer" {
  source = source.customers
  key    = id
}
metric "mrr" {
  from      = source.subscriptions
  value     = sum(amount)
  valid     = [started_at, ended_at]
  grain     = month
  movements = true
}
`,
		"customers.csv":     "id\na\n",
		"subscriptions.csv": "id,amount,started_at,ended_at\na,10,1800-01-01,\n",
	})
	plan, compiled := dbtest.Compile(t, dir, "2025-06-30")
	db := dbtest.BuildDuckDB(t, dir, plan, compiled["duckdb"])
	rows, err := db.Query(t.Context(), `SELECT count(*), min(period), max(period) FROM "analytics"."metric_mrr"`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dbtest.Normalize(rows)[0], "1201 | 1925-06-01 | 2025-06-01"; got != want {
		t.Errorf("metric_mrr spans %s, want %s", got, want)
	}
}
