package engine_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/dbtest"
)

// seedProject declares a source over people.csv (or the file given) with
// one column of each type.
func seedProject(file string, format ...string) string {
	block := ""
	if len(format) > 0 && format[0] != "" {
		block = "  format {\n" + format[0] + "\n  }\n"
	}
	return fmt.Sprintf(`
project "seeds" {}
source "people" {
  table = "raw.people"
  file  = %q
  column "id"      { type = string }
  column "age"     { type = integer }
  column "score"   { type = number }
  column "active"  { type = boolean }
  column "born"    { type = date }
  column "seen_at" { type = timestamp }
%s}
`, file, block)
}

const seedHeader = "id,age,score,active,born,seen_at\n"

// loadSeed builds a one-seed project on DuckDB and, when a server is set,
// on PostgreSQL; it returns the people rows, or the build's error.
func loadSeed(t *testing.T, file, content string, onPostgres bool, format ...string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"p.hcl": seedProject(file, format...), file: content})
	plan, compiled := dbtest.Compile(t, dir, "2025-06-30")
	ctx := context.Background()
	var wh engine.Warehouse
	dialect := "duckdb"
	if onPostgres {
		pg, err := engine.OpenPostgres(ctx, dbtest.Postgres(t))
		if err != nil {
			t.Fatal(err)
		}
		wh, dialect = pg, "postgres"
	} else {
		db, err := engine.OpenDuckDB("")
		if err != nil {
			t.Fatal(err)
		}
		wh = db
	}
	defer wh.Close()
	if _, err := wh.Build(ctx, engine.BuildInput{Project: plan.Project, ProjectDir: dir, Compiled: compiled[dialect], LoadSeeds: true}); err != nil {
		return "", err
	}
	rows, err := wh.Query(ctx, `SELECT * FROM "raw"."people"`)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(dbtest.Normalize(rows), "\n"), nil
}

// Files that load, with what they must hold: blank cells (or spaces) are
// NULL, a timestamp with an offset keeps its instant (in UTC), a
// byte-order mark, CRLF line ends and quoted fields with delimiters and
// line breaks read as expected.
func TestSeedsThatLoad(t *testing.T) {
	for name, c := range map[string]struct{ file, content, want string }{
		"blanks are NULL": {"people.csv", seedHeader + "a, , ,,  ,\n", `"a" | NULL | NULL | NULL | NULL | NULL`},
		"well formed": {"people.csv", seedHeader + "a,+42,-1.5e2,YES,2024-2-9,2024-01-01T10:00:00\nb,7,.5,f,2024-12-31,2024-01-01 10:00\n",
			"\"a\" | 42 | -150 | true | 2024-02-09 | 2024-01-01 10:00:00\n\"b\" | 7 | 0.5 | false | 2024-12-31 | 2024-01-01 10:00:00"},
		"offsets keep the instant": {"people.csv", seedHeader + "a,,,,,2024-01-01 10:00:00+02:00\nb,,,,,2024-01-01T10:00:00Z\nc,,,,,2024-06-30 23:30:00.5-0130\n",
			"\"a\" | NULL | NULL | NULL | NULL | 2024-01-01 08:00:00\n\"b\" | NULL | NULL | NULL | NULL | 2024-01-01 10:00:00\n\"c\" | NULL | NULL | NULL | NULL | 2024-07-01 01:00:00.5"},
		"bom and crlf":              {"people.csv", "\ufeff" + strings.ReplaceAll(seedHeader+"a,1,,,,\n", "\n", "\r\n"), `"a" | 1 | NULL | NULL | NULL | NULL`},
		"quoted delimiters":         {"people.csv", seedHeader + "\"a, \"\"the\"\"\nsecond line\",1,,,,\n", "\"a, \\\"the\\\"\\nsecond line\" | 1 | NULL | NULL | NULL | NULL"},
		"tab separated":             {"people.tsv", strings.ReplaceAll(seedHeader+"a,1,2,true,2024-01-01,\n", ",", "\t"), `"a" | 1 | 2 | true | 2024-01-01 | NULL`},
		"a header only":             {"people.csv", seedHeader, ""},
		"extra columns are ignored": {"people.csv", "id,note,age,score,active,born,seen_at\na,x,1,,,,\n", `"a" | 1 | NULL | NULL | NULL | NULL`},
	} {
		t.Run(name, func(t *testing.T) {
			for _, onPostgres := range []bool{false, true} {
				if onPostgres && !dbtest.HasPostgres() {
					continue
				}
				got, err := loadSeed(t, c.file, c.content, onPostgres)
				if err != nil {
					t.Fatalf("the seed should load (postgres: %v): %v", onPostgres, err)
				}
				if got != c.want {
					t.Errorf("rows (postgres: %v):\n%s\nwant:\n%s", onPostgres, got, c.want)
				}
			}
		})
	}
}

// Files that must not load, each with the problems the build reports:
// the summary, and what the detail must say (file, line, column).
func TestSeedsThatDoNotLoad(t *testing.T) {
	type problem struct{ summary, detail string }
	for name, c := range map[string]struct {
		content string
		want    []problem
	}{
		"decimal in an integer": {seedHeader + "a,1,,,,\nb,1.5,,,,\n", []problem{{"Malformed value in seed file", `people.csv line 3, column "age" (field 2): "1.5" is not a whole number`}}},
		"text in a number":      {seedHeader + "a,,12 kg,,,\n", []problem{{"Malformed value in seed file", `line 2, column "score" (field 3): "12 kg" is not a number`}}},
		"NaN and infinity": {seedHeader + "a,,NaN,,,\nb,,inf,,,\nc,,-Infinity,,,\n", []problem{
			{"Malformed value in seed file", `line 2, column "score" (field 3): "NaN" is not a number Strata accepts`},
			{"Malformed value in seed file", `line 3, column "score" (field 3): "inf"`},
			{"Malformed value in seed file", `line 4, column "score" (field 3): "-Infinity"`}}},
		"integer overflow":             {seedHeader + "a,99999999999999999999,,,,\n", []problem{{"Malformed value in seed file", "too large for an integer"}}},
		"thousands separator":          {seedHeader + "a,,\"1,200.50\",,,\n", []problem{{"Malformed value in seed file", `"1,200.50" is not a number`}}},
		"a date with a time":           {seedHeader + "a,,,,2024-01-01 10:00,\n", []problem{{"Malformed value in seed file", `column "born" (field 5): "2024-01-01 10:00" has a time of day`}}},
		"an impossible date":           {seedHeader + "a,,,,2025-02-30,\n", []problem{{"Malformed value in seed file", `"2025-02-30" is not a date of the calendar`}}},
		"a date in another order":      {seedHeader + "a,,,,30/06/2025,\n", []problem{{"Malformed value in seed file", `"30/06/2025" is not a date. Write dates as YYYY-MM-DD`}}},
		"a timestamp with a zone name": {seedHeader + "a,,,,,2024-01-01 10:00:00 CET\n", []problem{{"Malformed value in seed file", `"2024-01-01 10:00:00 CET" is not a timestamp`}}},
		"a maybe":                      {seedHeader + "a,,,maybe,,\n", []problem{{"Malformed value in seed file", `"maybe" is not a boolean`}}},
		"too many fields":              {seedHeader + "a,1,,,,\nb,2,,,,,extra\nc,3,,,,\n", []problem{{"Wrong number of fields", "people.csv line 3 has 7 fields, but the header has 6"}}},
		"too few fields":               {seedHeader + "a,1\n", []problem{{"Wrong number of fields", "people.csv line 2 has 2 fields, but the header has 6"}}},
		"an unclosed quote":            {seedHeader + "a,1,,,,\n\"b,2,,,,\n", []problem{{"Malformed seed file", "people.csv line 3"}}},
		"empty":                        {"", []problem{{"Empty seed file", "people.csv is empty. Its first line must be a header naming its columns: id, age, score, active, born, seen_at."}}},
		"a missing column":             {"id,age,score,active,seen_at\n", []problem{{"Missing column in seed file", `Source "people" declares column "born", but line 1 of people.csv, its header, does not name it. The file's columns are: "id", "age", "score", "active", "seen_at".`}}},
		"spaces in the header":         {"id, age,score,active,born,seen_at\n", []problem{{"Missing column in seed file", `The header has " age", with spaces around the name; remove them.`}}},
		"case in the header":           {"ID,age,score,active,born,seen_at\n", []problem{{"Missing column in seed file", `The header has "ID"; names must match exactly, case included.`}}},
		"a duplicate column":           {"id,age,age,score,active,born,seen_at\n", []problem{{"Duplicate column in seed file", `names "age" twice`}}},
		"not UTF-8":                    {seedHeader + "caf\xe9,1,,,,\n", []problem{{"Seed file not UTF-8", `line 2, column "id" (field 1)`}}},
		"after a multi-line field":     {seedHeader + "\"a\nb\",1,,,,\nc,x,,,,\n", []problem{{"Malformed value in seed file", `line 4, column "age" (field 2): "x"`}}},
		"many problems": {seedHeader + strings.Repeat("a,x,,,,\n", 50), []problem{
			{"Malformed value in seed file", "line 2,"}, {"Malformed value in seed file", "line 3,"}, {"Malformed value in seed file", "line 4,"},
			{"Malformed value in seed file", "line 5,"}, {"Malformed value in seed file", "line 6,"}, {"Malformed value in seed file", "line 7,"},
			{"Malformed value in seed file", "line 8,"}, {"Malformed value in seed file", "line 9,"}, {"Malformed value in seed file", "line 10,"},
			{"Malformed value in seed file", "line 11, column \"age\" (field 2): \"x\" is not an integer. Write whole numbers such as 42, or leave the cell blank for a missing value. (Strata stops after 10 problems of a file; there may be more.)"}}},
	} {
		t.Run(name, func(t *testing.T) {
			for _, onPostgres := range []bool{false, true} {
				if onPostgres && !dbtest.HasPostgres() {
					continue
				}
				_, err := loadSeed(t, "people.csv", c.content, onPostgres)
				var data *engine.DataError
				if !errors.As(err, &data) {
					t.Fatalf("want a data error (postgres: %v), got %v", onPostgres, err)
				}
				if len(data.Diagnostics) != len(c.want) {
					t.Fatalf("want %d problems (postgres: %v), got %v", len(c.want), onPostgres, data.Diagnostics)
				}
				for i, w := range c.want {
					d := data.Diagnostics[i]
					if d.Summary != w.summary || !strings.Contains(d.Detail, w.detail) || d.Subject == nil || d.Subject.Start.Line != 5 {
						t.Errorf("problem %d (postgres: %v) = %s: %s (at %v), want %s: ...%s...", i, onPostgres, d.Summary, d.Detail, d.Subject, w.summary, w.detail)
					}
				}
			}
		})
	}
}

// DuckDB stores a NUL character in text; PostgreSQL refuses it, and the
// build there says where it is.
func TestSeedWithNUL(t *testing.T) {
	content := seedHeader + "a\x00b,1,,,,\n"
	if _, err := loadSeed(t, "people.csv", content, false); err != nil {
		t.Fatalf("DuckDB should load text with a NUL: %v", err)
	}
	if !dbtest.HasPostgres() {
		t.Skip("no PostgreSQL server")
	}
	_, err := loadSeed(t, "people.csv", content, true)
	var data *engine.DataError
	if !errors.As(err, &data) || len(data.Diagnostics) != 1 || data.Diagnostics[0].Summary != "NUL character in seed file" ||
		!strings.Contains(data.Diagnostics[0].Detail, `people.csv line 2, column "id" (field 1) holds a NUL character`) {
		t.Errorf("want the NUL located, got %v", err)
	}
}

func TestSeedFileNotFound(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"p.hcl": seedProject("nowhere.csv")})
	plan, _ := dbtest.Compile(t, dir, "2025-06-30")
	_, diags := engine.CheckSeed(plan.Project.Sources[0], dir)
	if len(diags) != 1 || diags[0].Summary != "Seed file not found" || !strings.Contains(diags[0].Detail, "nowhere.csv does not exist") {
		t.Errorf("got %v", diags)
	}
}
