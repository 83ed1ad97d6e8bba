package engine_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/dbtest"
)

// Files as they come, read by a source's format block: another
// delimiter, no header (the declared columns in order), null markers,
// dates written another way, and whitespace-separated columns with
// leading spaces and CRLF line ends, as fixed-width exports are. The same
// rows on DuckDB and PostgreSQL (a timestamp at midnight prints as its
// day).
func TestSeedFormatsThatLoad(t *testing.T) {
	for name, c := range map[string]struct{ file, format, content, want string }{
		"semicolons, no header, NA": {"people.csv", `delimiter = ";"
    header    = false
    null      = ["NA", "-"]`, "a;41;NA;yes;2024-02-09;\nb;-;2.5;no;;\n",
			"\"a\" | 41 | NULL | true | 2024-02-09 | NULL\n\"b\" | NULL | 2.5 | false | NULL | NULL"},
		"dates day first": {"people.csv", `date_format = "%d/%m/%Y"`, seedHeader + "a,,,,09/02/2024,31/12/2024\n",
			`"a" | NULL | NULL | NULL | 2024-02-09 | 2024-12-31`},
		"whitespace, YYYYMMDD": {"people.txt", `delimiter   = "whitespace"
    date_format = "%Y%m%d"`, "  id  age score  active born seen_at\r\n 00001  7  11.77 t 19970101 19970102\r\n\r\n 00002 8 12 f 19970112 19970113\r\n",
			"\"00001\" | 7 | 11.77 | true | 1997-01-01 | 1997-01-02\n\"00002\" | 8 | 12 | false | 1997-01-12 | 1997-01-13"},
		"JSON lines": {"people.jsonl", ``, "{\"id\": \"a\", \"age\": 41, \"score\": 2.5, \"active\": true, \"born\": \"2024-02-09\", \"other\": {\"x\": 1}}\n\n{\"id\": \"b\", \"seen_at\": \"2024-01-01 10:00:00\"}\n",
			"\"a\" | 41 | 2.5 | true | 2024-02-09 | NULL\n\"b\" | NULL | NULL | NULL | NULL | 2024-01-01 10:00:00"},
		"pipes and a header": {"people.csv", `delimiter = "|"`, "id|age|score|active|born|seen_at\n\"a|b\"|1|||2024-01-01|\n",
			`"a|b" | 1 | NULL | NULL | 2024-01-01 | NULL`},
	} {
		t.Run(name, func(t *testing.T) {
			for _, onPostgres := range []bool{false, true} {
				if onPostgres && !dbtest.HasPostgres() {
					continue
				}
				got, err := loadSeed(t, c.file, c.content, onPostgres, c.format)
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

// Formatted files that must not load, each problem with its line.
func TestSeedFormatsThatDoNotLoad(t *testing.T) {
	for name, c := range map[string]struct{ file, format, content, want string }{
		"a date not in the format": {"people.csv", `date_format = "%Y%m%d"`, seedHeader + "a,,,,19970101,\nb,,,,1997-01-02,\n",
			`people.csv line 3, column "born" (field 5): "1997-01-02" does not match date_format "%Y%m%d".`},
		"a short line": {"people.txt", `delimiter = "whitespace"`, "id age score active born seen_at\na 1 2 t 2024-01-01 2024-01-01\nb 2\n",
			"people.txt line 3 has 2 fields, but the header has 6"},
		"no header, a long line": {"people.csv", `header = false`, "a,1,,,,\nb,2,,,,,x\n",
			"people.csv line 2 has 7 fields, but the header has 6"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := loadSeed(t, c.file, c.content, false, c.format)
			var data *engine.DataError
			if !errors.As(err, &data) {
				t.Fatalf("want a data error, got %v", err)
			}
			if len(data.Diagnostics) != 1 || !strings.Contains(data.Diagnostics[0].Detail, c.want) {
				t.Fatalf("want one problem saying %q, got %v", c.want, data.Diagnostics)
			}
		})
	}
}
