package projecttest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/dbtest"
)

// A project whose names and values are hostile (quotes, spaces, a
// semicolon), with one assertion of each kind, some failing: the same
// results on DuckDB and PostgreSQL, and the counts a reader of the seed
// files finds.
const hostileProject = `
project "p" {
  schema         = "analytics"
  default_target = "local"
}

target "local" {
  dialect = "duckdb"
  path    = "x.duckdb"
}

source "accounts" {
  table       = "raw.acc'ounts"
  file        = "accounts.csv"
  primary_key = "account id"
  column "account id" { type = string }
  column "plan; drop" { type = string }
  column "seats"      { type = integer }
  column "seen at"    { type = date }
}

source "orders" {
  table = "raw.orders"
  file  = "orders.csv"
  column "order id"   { type = string }
  column "account id" { type = string }
  column "amount"     { type = number }
}

entity "account" {
  source = source.accounts
  key    = "account id"
}

segment "big" {
  where = seats >= 10
}

assert "ids unique" {
  on     = source.accounts
  unique = ["account id"]
}

assert "plans known" {
  on              = source.accounts
  column          = "plan; drop"
  accepted_values = ["it's", "a\"b"]
}

assert "seats set" {
  on       = source.accounts
  not_null = [seats, "plan; drop"]
}

assert "orders have accounts" {
  on         = source.orders
  references = source.accounts
  column     = "account id"
}

assert "amounts positive" {
  on        = source.orders
  condition = amount > 0
  severity  = "warning"
}

assert "few accounts" {
  on       = source.accounts
  max_rows = 3
}

assert "seen lately" {
  on     = source.accounts
  column = "seen at"
  fresh  = "2 weeks"
}

assert "big unique" {
  view   = "segment_big"
  unique = ["account id"]
}
`

const accounts = `account id,plan; drop,seats,seen at
a1,it's,12,2025-06-01
a1,"a""b",3,2025-06-02
a2,"a""b",,2025-06-20
a3,x';--,20,
`

const orders = `order id,account id,amount
o1,a1,10
o2,a9,5
o3,a2,-1
o4,,3
`

func TestAssertionsAgreeOnDuckDBAndPostgres(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"project.hcl": hostileProject, "accounts.csv": accounts, "orders.csv": orders} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	plan, compiled := dbtest.Compile(t, dir, "2025-06-30")
	want := strings.Join([]string{
		`ids unique: false 2 2 rows share their values with another row`,
		`plans known: false 1 1 row holds a value not accepted`,
		`seats set: false 1 1 row has a NULL`,
		`orders have accounts: false 1 1 row refers to a key that does not exist`,
		`amounts positive: false 1 1 row does not hold the condition`,
		`few accounts: false 0 4 rows; at most 3 allowed`,
		`seen lately: true 0 latest 2025-06-20, within 2 weeks of 2025-06-30`,
		`big unique: true 0 `,
	}, "\n")
	run := func(name string, wh engine.Warehouse, c *compiler.Compiled) string {
		results, err := Assert(context.Background(), wh, c, compiler.MustAsOf("2025-06-30"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var lines []string
		for _, r := range results {
			line := fmt.Sprintf("%s: %v %d %s", r.Name, r.Passed, r.Failing, r.Detail)
			if r.Examples != nil {
				line += " " + strings.Join(dbtest.Normalize(r.Examples), " / ")
			}
			lines = append(lines, line)
		}
		return strings.Join(lines, "\n")
	}
	duck := run("DuckDB", dbtest.BuildDuckDB(t, dir, plan, compiled["duckdb"]), compiled["duckdb"])
	var summary []string
	for _, line := range strings.Split(duck, "\n") {
		summary = append(summary, strings.SplitN(line, " \"", 2)[0])
	}
	if got := strings.Join(summary, "\n"); got != want {
		t.Errorf("DuckDB:\n%s\nwant:\n%s", duck, want)
	}
	for _, example := range []string{`another row "a1" / "a1"`, `"a2" | NULL | "a\"b"`, `not exist "a9"`, `accepted "a3" | "x';--"`, `"o3" | "a2" | -1`} {
		if !strings.Contains(duck, example) {
			t.Errorf("DuckDB's examples lack %s:\n%s", example, duck)
		}
	}
	if !dbtest.HasPostgres() {
		dbtest.Missing(t, "no PostgreSQL server for the same assertions")
		return
	}
	pg := run("PostgreSQL", dbtest.BuildPostgres(t, dbtest.Postgres(t), dir, plan, compiled["postgres"]), compiled["postgres"])
	if pg != duck {
		t.Errorf("PostgreSQL:\n%s\nDuckDB:\n%s", pg, duck)
	}
}
