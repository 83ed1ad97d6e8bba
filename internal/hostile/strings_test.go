package hostile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/internal/dbtest"
)

// hostileValues are customer names, each of which a rule compares with a
// string literal holding the same text: every rule must match exactly its
// own customer, whatever the engine and its settings.
var hostileValues = []string{
	`\' OR TRUE, FALSE) AS "vip" --`, // the attack from the issue
	`back\slash`,
	`ends with a backslash \`,
	`it's`,
	`\\'; DROP TABLE raw.customers; --`,
	`E'\x27'`,
	`$$ OR TRUE $$`,
	`%_\%`,
}

func writeStringsProject(t *testing.T, values []string) string {
	t.Helper()
	dir := t.TempDir()
	var csv strings.Builder
	csv.WriteString("id,name\n")
	csv.WriteString("plain,plain\n")
	for i, v := range values {
		csv.WriteString("c" + string(rune('0'+i)) + "," + `"` + strings.ReplaceAll(v, `"`, `""`) + `"` + "\n")
	}
	var hcl strings.Builder
	hcl.WriteString(`
project "strings" {}
source "customers" {
  table       = "raw.customers"
  file        = "customers.csv"
  primary_key = id
  column "id"   { type = string }
  column "name" { type = string }
}
`)
	if len(values) == 1 {
		hcl.WriteString("entity \"customer\" {\n  source = source.customers\n  key    = id\n}\n")
	} else {
		// Descriptions (COMMENT ON), LIKE patterns and their ESCAPE
		// clause, and a metric's filter hold backslashes too.
		hcl.WriteString(`
entity "customer" {
  source      = source.customers
  key         = id
  description = "a description ending in a backslash \\"
}
metric "backslashes" {
  from  = source.customers
  where = strcontains(name, "\\")
  value = count()
}
segment "liked" {
  description = "\\' OR TRUE --"
  where       = like(name, "back\\\\%") || like(name, "\\%\\_\\\\\\%")
}
`)
	}
	for i, v := range values {
		hcl.WriteString("segment \"s" + string(rune('0'+i)) + "\" {\n  where = name == " + hclString(v) + "\n}\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "customers.csv"), []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "project.hcl"), []byte(hcl.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// hclString writes s as an HCL string literal.
func hclString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "${", "$${", "%{", "%%{")
	return `"` + r.Replace(s) + `"`
}

// wantStringRows is what every engine must return: each segment holds only
// its own customer; liked holds the two names its LIKE patterns match
// literally; three names hold a backslash.
func checkStringRows(t *testing.T, values []string, rows string) {
	t.Helper()
	for i := range values {
		view := "== segment_s" + string(rune('0'+i)) + " (1 rows)\nid | name\n\"c" + string(rune('0'+i)) + "\" | "
		if !strings.Contains(rows, view) {
			t.Errorf("segment s%d does not hold exactly customer c%d:\n%s", i, i, rows)
		}
	}
	if len(values) > 7 && (!strings.Contains(rows, "== segment_liked (2 rows)\nid | name\n\"c1\" | ") || !strings.Contains(rows, "\n\"c7\" | \"%_\\\\%\"\n== segment_s0")) {
		t.Errorf("segment liked should hold c1 and c7:\n%s", rows)
	}
}

// TestStringLiteralsOnDuckDB and TestStringLiteralsUnderEveryPostgresSetting
// run rules whose string literals try to escape their quoting; the rows
// prove they did not.
func TestStringLiteralsOnDuckDB(t *testing.T) {
	dir := writeStringsProject(t, hostileValues)
	plan, compiled := dbtest.Compile(t, dir, "2025-06-30")
	db := dbtest.BuildDuckDB(t, dir, plan, compiled["duckdb"])
	checkStringRows(t, hostileValues, dbtest.ViewRows(t, db, plan, "duckdb"))
}

func TestStringLiteralsUnderEveryPostgresSetting(t *testing.T) {
	// The attack alone (before the fix it made every customer a
	// member), then every hostile value at once.
	t.Run("attack", func(t *testing.T) { stringsOnPostgres(t, hostileValues[:1]) })
	t.Run("all", func(t *testing.T) { stringsOnPostgres(t, hostileValues) })
}

func stringsOnPostgres(t *testing.T, values []string) {
	dir := writeStringsProject(t, values)
	plan, compiled := dbtest.Compile(t, dir, "2025-06-30")
	want := dbtest.ViewRows(t, dbtest.BuildDuckDB(t, dir, plan, compiled["duckdb"]), plan, "duckdb")
	for _, settings := range []string{
		"-c standard_conforming_strings=on",
		"-c standard_conforming_strings=off -c backslash_quote=on",
		"-c standard_conforming_strings=off -c backslash_quote=off",
		"-c standard_conforming_strings=off -c backslash_quote=safe_encoding -c escape_string_warning=off",
	} {
		t.Run(settings, func(t *testing.T) {
			dsn := dbtest.Postgres(t) + " options='" + settings + "'"
			pg := dbtest.BuildPostgres(t, dsn, dir, plan, compiled["postgres"])
			rows, err := pg.Query(t.Context(), "SHOW standard_conforming_strings")
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.Contains(settings, "standard_conforming_strings=on"); (rows.Values[0][0] == "on") != want {
				t.Fatalf("the session did not take the settings %q: standard_conforming_strings = %v", settings, rows.Values[0][0])
			}
			got := dbtest.ViewRows(t, pg, plan, "postgres")
			checkStringRows(t, values, got)
			if got != want {
				t.Errorf("PostgreSQL (%s) and DuckDB rows differ:\n--- duckdb\n%s\n--- postgres\n%s", settings, want, got)
			}
		})
	}
}

// Strings order by their bytes on every engine, whatever collation the
// PostgreSQL database was created with: under en-US, "a" < "B"; Strata's
// rules say "B" < "a" everywhere, as DuckDB does.
func TestStringOrderIgnoresTheDatabaseCollation(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"p.hcl": `
project "order" {}
source "customers" {
  table = "raw.customers"
  file  = "customers.csv"
  column "id"   { type = string }
  column "name" { type = string }
}
source "notes" {
  table  = "raw.notes"
  file   = "notes.csv"
  entity = customer
  column "id"   { type = string }
  column "text" { type = string }
}
entity "customer" {
  source = source.customers
  key    = id
}
metric "last_note" {
  from  = source.notes
  value = max(text)
}
segment "before_a" { where = name < "a" }
segment "late_note" { where = metric.last_note >= "b" }
`,
		"customers.csv": "id,name\n1,apple\n2,Banana\n3,cherry\n4,Apple\n",
		"notes.csv":     "id,text\n1,a\n1,B\n2,b\n2,A\n",
	})
	plan, compiled := dbtest.Compile(t, dir, "2025-06-30")
	duck := dbtest.ViewRows(t, dbtest.BuildDuckDB(t, dir, plan, compiled["duckdb"]), plan, "duckdb")
	for _, want := range []string{"== segment_before_a (2 rows)\nid | name\n\"2\" | \"Banana\"\n\"4\" | \"Apple\"", "== segment_late_note (1 rows)\nid | last_note\n\"2\" | \"b\""} {
		if !strings.Contains(duck, want) {
			t.Fatalf("DuckDB rows lack %q:\n%s", want, duck)
		}
	}
	dsn := dbtest.PostgresWith(t, "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' TEMPLATE template0")
	pg := dbtest.ViewRows(t, dbtest.BuildPostgres(t, dsn, dir, plan, compiled["postgres"]), plan, "postgres")
	if pg != duck {
		t.Errorf("PostgreSQL (en-US collation) and DuckDB rows differ:\n--- duckdb\n%s\n--- postgres\n%s", duck, pg)
	}
}
