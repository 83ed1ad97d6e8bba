package dialectcheck

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/strata-analytics/strata/internal/dbtest"
)

// parsed are the dialects whose goldens the parsers check: parse.py's
// parsers check them all.
var parsed = []string{"snowflake", "bigquery", "redshift", "databricks", "trino"}

// pyParsers are the parsers parse.py runs.
var pyParsers = []string{"sqlglot", "sqlfluff"}

// sqlparserParsed are the dialects sqlparser-rs (sqlparser.mjs) checks
// too: it has no Trino dialect.
var sqlparserParsed = map[string]bool{"snowflake": true, "bigquery": true, "redshift": true, "databricks": true}

// result is one line of parse.py's or sqlparser.mjs's output.
type result struct {
	Path, Dialect, Parser string
	OK                    bool
	Errors                []string // one per statement rejected
}

type exception struct {
	dialect, parser string
	// onlyIn, when set, is the one golden case the exception applies to,
	// for a parser error whose message does not name the construct.
	onlyIn string
	error  *regexp.Regexp
	line   int
	used   bool
}

// checkers are the programs that run the parsers.
type checkers struct {
	python, node string
}

// findCheckers finds the checkers: the Python of STRATA_CHECK_PYTHON, or
// of the virtual environment `make checkers` creates; the node of
// STRATA_CHECK_NODE, or on PATH, with the sqlparser-rs package `make
// checkers` installs (STRATA_CHECK_NODE_MODULES, read by sqlparser.mjs,
// says where else it is). In CI a missing checker fails the test;
// elsewhere it skips it, saying how to install it.
func findCheckers(t *testing.T) checkers {
	t.Helper()
	missing := func(what string) {
		t.Helper()
		dbtest.Missing(t, fmt.Sprintf("the dialect checkers are not installed (%s): `make checkers` installs them", what))
	}
	py := os.Getenv("STRATA_CHECK_PYTHON")
	if py == "" {
		py, _ = filepath.Abs("../../.cache/checkers/venv/bin/python")
	}
	if _, err := os.Stat(py); err != nil {
		missing(py)
	}
	node := os.Getenv("STRATA_CHECK_NODE")
	if node == "" {
		var err error
		if node, err = exec.LookPath("node"); err != nil {
			missing("node, for sqlparser-rs")
		}
	} else if _, err := os.Stat(node); err != nil {
		missing(node)
	}
	modules := os.Getenv("STRATA_CHECK_NODE_MODULES")
	if modules == "" {
		modules = "../../.cache/checkers/npm/node_modules"
	}
	// Read, not only by sqlparser.mjs, so that go test's cache knows the
	// result depends on the installed package.
	if _, err := os.ReadFile(filepath.Join(modules, "@guanmingchiu/sqlparser-ts/package.json")); err != nil {
		missing(filepath.Join(modules, "@guanmingchiu/sqlparser-ts"))
	}
	return checkers{python: py, node: node}
}

// run runs a checker on files (path to dialect) and reads the results.
func run(t *testing.T, name string, args []string, files map[string]string) ([]result, error) {
	t.Helper()
	for path, dialect := range files {
		args = append(args, dialect+"="+path)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %v: %s", name, args[0], err, stderr.String())
	}
	var results []result
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s printed %q: %v", args[0], sc.Text(), err)
		}
		results = append(results, r)
	}
	return results, nil
}

// parse parses files (path to dialect) with every parser that checks
// their dialect: parse.py and sqlparser.mjs run at the same time.
func parse(t *testing.T, c checkers, files map[string]string) []result {
	t.Helper()
	for _, script := range []string{"parse.py", "sqlparser.mjs", "package.json", "package-lock.json"} {
		if _, err := os.ReadFile(script); err != nil { // for go test's cache, as the goldens
			t.Fatal(err)
		}
	}
	want := map[[2]string]bool{} // path and parser
	js := map[string]string{}
	for path, dialect := range files {
		for _, p := range pyParsers {
			want[[2]string{path, p}] = true
		}
		if sqlparserParsed[dialect] {
			js[path] = dialect
			want[[2]string{path, "sqlparser-rs"}] = true
		}
	}
	var (
		wg           sync.WaitGroup
		pyOut, jsOut []result
		pyErr, jsErr error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		jsOut, jsErr = run(t, c.node, []string{"sqlparser.mjs"}, js)
	}()
	pyOut, pyErr = run(t, c.python, []string{"parse.py"}, files)
	wg.Wait()
	for _, err := range []error{pyErr, jsErr} {
		if err != nil {
			t.Fatal(err)
		}
	}
	results := append(pyOut, jsOut...)
	for _, r := range results {
		key := [2]string{r.Path, r.Parser}
		if !want[key] {
			t.Fatalf("%s reported once more, or unasked, for %s", r.Parser, r.Path)
		}
		delete(want, key)
	}
	for key := range want {
		t.Fatalf("%s reported nothing for %s", key[1], key[0])
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
		if len(f) < 5 || len(f) > 6 || f[3] == "" || f[4] == "" {
			t.Fatalf("exceptions.tsv:%d: want dialect, parser, error, reason, documentation and, optionally, the one case it applies to, tab-separated", i+1)
		}
		e := &exception{dialect: f[0], parser: f[1], error: regexp.MustCompile(f[2]), line: i + 1}
		if len(f) == 6 {
			e.onlyIn = f[5]
		}
		out = append(out, e)
	}
	return out
}

// excuse reports whether exceptions.tsv excuses a parser's error, and
// marks the exceptions that do as used.
func excuse(exceptions []*exception, r result, msg string) bool {
	excused := false
	for _, e := range exceptions {
		if e.dialect == r.Dialect && e.parser == r.Parser && e.error.MatchString(msg) &&
			(e.onlyIn == "" || strings.Contains(filepath.ToSlash(r.Path), "/"+e.onlyIn+"/")) {
			e.used, excused = true, true
		}
	}
	return excused
}

// TestGoldensParse parses every golden of the parsed dialects with every
// parser. STRATA_CHECK_CASES=<glob> parses only the cases it matches,
// for a quick look at one case (the exceptions then are not all used).
func TestGoldensParse(t *testing.T) {
	c := findCheckers(t)
	cases := os.Getenv("STRATA_CHECK_CASES")
	all := cases == ""
	if all {
		cases = "*"
	}
	files := map[string]string{}
	for _, d := range parsed {
		paths, _ := filepath.Glob(filepath.Join("../../fixtures", cases, d, "compiled.sql"))
		if all && len(paths) < 25 {
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
	for _, r := range parse(t, c, files) {
		for _, msg := range r.Errors {
			if !excuse(exceptions, r, msg) {
				t.Errorf("%s: %s rejects the statement at %s", r.Path, r.Parser, msg)
			}
		}
	}
	for _, e := range exceptions {
		if all && !e.used {
			t.Errorf("exceptions.tsv:%d (%s, %s) excuses nothing any more: remove it", e.line, e.dialect, e.parser)
		}
	}
}

// TestBrokenGoldenFails proves the check can fail: a golden with one
// parenthesis missing is rejected by every parser, in every dialect it
// checks, with an error exceptions.tsv does not excuse (the goldens
// broken have statements some parsers are excused for).
func TestBrokenGoldenFails(t *testing.T) {
	c := findCheckers(t)
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
	exceptions := readExceptions(t)
	for _, r := range parse(t, c, files) {
		failed := false
		for _, msg := range r.Errors {
			if !excuse(exceptions, r, msg) {
				failed = true
			}
		}
		if r.OK || !failed {
			t.Errorf("%s accepts a %s golden with unbalanced parentheses", r.Parser, r.Dialect)
		}
	}
}
