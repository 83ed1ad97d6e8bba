package dialectcheck

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// parsed are the dialects whose goldens the parsers check, and the
// parsers' names for them.
var parsed = []string{"snowflake", "bigquery", "redshift", "databricks", "trino"}

// result is one line of parse.py's output.
type result struct {
	Path, Dialect, Parser string
	OK                    bool
	Errors                []string // one per statement rejected
}

type exception struct {
	dialect, parser string
	error           *regexp.Regexp
	line            int
	used            bool
}

// python finds the checkers' Python: STRATA_CHECK_PYTHON, or the
// virtual environment `make checkers` creates. In CI a missing checker
// fails the test; elsewhere it skips it, saying how to install it.
func python(t *testing.T) string {
	t.Helper()
	py := os.Getenv("STRATA_CHECK_PYTHON")
	if py == "" {
		py, _ = filepath.Abs("../../.cache/checkers/venv/bin/python")
	}
	if _, err := os.Stat(py); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the dialect checkers are not installed (%s): run `make checkers`", py)
		}
		t.Skipf("the dialect checkers are not installed (%s): `make checkers` installs them", py)
	}
	return py
}

func parse(t *testing.T, py string, files map[string]string) []result {
	t.Helper()
	if _, err := os.ReadFile("parse.py"); err != nil { // for go test's cache, as the goldens
		t.Fatal(err)
	}
	args := []string{"parse.py"}
	for path, dialect := range files {
		args = append(args, dialect+"="+path)
	}
	out, err := exec.Command(py, args...).Output()
	if err != nil {
		t.Fatalf("parse.py: %v", err)
	}
	var results []result
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("parse.py printed %q: %v", sc.Text(), err)
		}
		results = append(results, r)
	}
	if len(results) != 2*len(files) {
		t.Fatalf("parse.py reported %d results for %d files and 2 parsers", len(results), len(files))
	}
	return results
}

func readExceptions(t *testing.T) []*exception {
	t.Helper()
	b, err := os.ReadFile("exceptions.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var out []*exception
	for i, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 || f[3] == "" || f[4] == "" {
			t.Fatalf("exceptions.tsv:%d: want dialect, parser, error, reason and documentation, tab-separated", i+1)
		}
		out = append(out, &exception{dialect: f[0], parser: f[1], error: regexp.MustCompile(f[2]), line: i + 1})
	}
	return out
}

// TestGoldensParse parses every golden of the parsed dialects with every
// parser.
func TestGoldensParse(t *testing.T) {
	py := python(t)
	files := map[string]string{}
	for _, d := range parsed {
		paths, _ := filepath.Glob(filepath.Join("../../fixtures", "*", d, "compiled.sql"))
		if len(paths) < 25 {
			t.Fatalf("%s has %d goldens; every valid fixture case should have one", d, len(paths))
		}
		for _, p := range paths {
			// Read here, not only by parse.py, so that go test's cache
			// knows the result depends on the golden.
			if _, err := os.ReadFile(p); err != nil {
				t.Fatal(err)
			}
			files[p] = d
		}
	}
	exceptions := readExceptions(t)
	for _, r := range parse(t, py, files) {
		if r.OK {
			continue
		}
		for _, msg := range r.Errors {
			excused := false
			for _, e := range exceptions {
				if e.dialect == r.Dialect && e.parser == r.Parser && e.error.MatchString(msg) {
					e.used, excused = true, true
				}
			}
			if !excused {
				t.Errorf("%s: %s rejects the statement at %s", r.Path, r.Parser, msg)
			}
		}
	}
	for _, e := range exceptions {
		if !e.used {
			t.Errorf("exceptions.tsv:%d (%s, %s) excuses nothing any more: remove it", e.line, e.dialect, e.parser)
		}
	}
}

// TestBrokenGoldenFails proves the check can fail: a golden with one
// parenthesis missing is rejected by every parser, in every dialect.
func TestBrokenGoldenFails(t *testing.T) {
	py := python(t)
	dir := t.TempDir()
	files := map[string]string{}
	for _, d := range parsed {
		b, err := os.ReadFile(filepath.Join("../../fixtures/descriptions", d, "compiled.sql"))
		if err != nil {
			t.Fatal(err)
		}
		broken := strings.Replace(string(b), "SUM(", "SUM(((", 1)
		if broken == string(b) {
			t.Fatalf("%s: nothing to break", d)
		}
		path := filepath.Join(dir, d+".sql")
		if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
			t.Fatal(err)
		}
		files[path] = d
	}
	for _, r := range parse(t, py, files) {
		if r.OK {
			t.Errorf("%s accepts a %s golden with unbalanced parentheses", r.Parser, r.Dialect)
		}
	}
}
