package main

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/dbtest"
)

// smallProject writes a one-entity project whose names and data are
// given by the test.
func smallProject(t *testing.T, hcl, csv string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "project.hcl", `
project "small" {}
target "local" {
  dialect = "duckdb"
  path    = "small.duckdb"
}
`+hcl)
	if csv != "" {
		writeFile(t, dir, "customers.csv", csv)
	}
	return dir
}

const customersSource = `
source "customers" {
  table = "raw.customers"
  file  = "customers.csv"
  column "id"    { type = string }
  column "name"  { type = string }
  column "score" { type = number }
}
entity "customer" {
  source = source.customers
  key    = id
}
`

// Names and data holding control characters reach the terminal escaped:
// an ESC, a CR or a NUL from HCL or a CSV cell cannot rewrite the screen.
func TestNoControlCharactersReachTheTerminal(t *testing.T) {
	dir := smallProject(t, customersSource+`
segment "evil\u001b[2J" { where = score > 0 }
metric "total\r" {
  from  = source.customers
  value = sum(score)
}
`, "id,name,score\na,\"bell\x07 esc\x1b[31m cr\r del\x7f csi\u009b\",1\n")
	for _, args := range [][]string{
		{"--project", dir, "--as-of", asOf, "build"},
		{"--project", dir, "--as-of", asOf, "show", "customer"},
		{"--project", dir, "--as-of", asOf, "show", "evil\x1b[2J"},
		{"--project", dir, "--as-of", asOf, "--json", "show", "customer"},
		{"--project", dir, "graph"},
		{"--project", dir, "--as-of", asOf, "plan"},
		{"--project", dir, "test", "--update"},
		{"--project", dir, "--as-of", asOf, "docs", "--out", filepath.Join(t.TempDir(), "site"), "--target", "local"},
	} {
		code, stdout, stderr := strata(t, args...)
		if code != exitOK {
			t.Fatalf("strata %q: exit %d\n%s%s", args, code, stdout, stderr)
		}
		for _, out := range []string{stdout, stderr} {
			for _, r := range out {
				if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) {
					t.Fatalf("strata %q printed the control character %U raw:\n%q", args, r, out)
				}
			}
		}
		if args[len(args)-2] == "show" && !strings.Contains(stdout, `\u001b`) {
			t.Errorf("strata %q should show the ESC escaped:\n%s", args, stdout)
		}
	}
}

// NaN and infinity read from a warehouse table print in --json as the
// strings "NaN", "Infinity", "-Infinity"; the command succeeds.
func TestNonFiniteNumbersInJSON(t *testing.T) {
	dir := smallProject(t, `
source "customers" {
  table = "raw.customers"
  column "id"    { type = string }
  column "score" { type = number }
}
entity "customer" {
  source = source.customers
  key    = id
}
metric "total" {
  from  = source.customers
  value = sum(score)
}
`, "")
	db := filepath.Join(dir, "small.duckdb")
	if code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "build", "--quiet"); code != exitDatabase || !strings.Contains(stderr, "raw") {
		t.Logf("a build before the table exists fails: exit %d %s", code, stderr)
	}
	execDuckDB(t, db, `CREATE SCHEMA IF NOT EXISTS raw; CREATE OR REPLACE TABLE raw.customers AS
		SELECT * FROM (VALUES ('a', 'NaN'::DOUBLE), ('b', 'inf'::DOUBLE), ('c', '-inf'::DOUBLE), ('d', 1.5)) AS t(id, score)`)
	code, stdout, stderr := strata(t, "--project", dir, "--as-of", asOf, "--json", "build", "--quiet")
	if code != exitOK {
		t.Fatalf("build --json: exit %d\n%s%s", code, stdout, stderr)
	}
	var built map[string]any
	if err := json.Unmarshal([]byte(stdout), &built); err != nil {
		t.Fatalf("build --json is not JSON: %v\n%s", err, stdout)
	}
	code, stdout, stderr = strata(t, "--project", dir, "--as-of", asOf, "--json", "show", "customer")
	if code != exitOK {
		t.Fatalf("show --json: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{`"NaN"`, `"Infinity"`, `"-Infinity"`, `1.5`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("show --json lacks %s:\n%s", want, stdout)
		}
	}
}

func execDuckDB(t *testing.T, path, sql string) {
	t.Helper()
	db, err := engine.OpenDuckDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.DB().Exec(sql); err != nil {
		t.Fatal(err)
	}
}

// In --json mode every failure is JSON on stdout, whatever its exit code.
func TestJSONErrors(t *testing.T) {
	dir := newProject(t)
	for _, c := range []struct {
		args []string
		code int
		kind string
	}{
		{[]string{"--json", "frobnicate"}, exitUsage, "usage"},
		{[]string{"--json", "--as-of", "", "validate"}, exitUsage, "usage"},
		{[]string{"--json", "build", "--no-such-flag"}, exitUsage, "usage"},
		{[]string{"build", "--no-such-flag", "--json"}, exitUsage, "usage"},
		{[]string{"--json", "--project", dir, "show"}, exitUsage, "usage"},
		{[]string{"--json", "--project", dir, "compile"}, exitUsage, "usage"},
		{[]string{"--json", "--project", dir, "build", "--target", "nope"}, exitUsage, "usage"},
		{[]string{"--json", "--project", dir, "show", "customer"}, exitDatabase, "database"},
		{[]string{"--json", "--project", dir, "build", "--target", "warehouse"}, exitDatabase, "database"},
	} {
		t.Setenv("STRATA_PG_DSN", "")
		code, stdout, stderr := strata(t, c.args...)
		var out jsonError
		if err := json.Unmarshal([]byte(stdout), &out); err != nil || code != c.code || out.Error.Code != c.code || out.Error.Kind != c.kind || out.Error.Message == "" {
			t.Errorf("strata %q: exit %d, want %d with a JSON %s error; stdout %q, stderr %q", c.args, code, c.code, c.kind, stdout, stderr)
		}
	}
}

func TestAsOfIsChecked(t *testing.T) {
	dir := newProject(t)
	for _, asOf := range []string{"", " ", "2025-02-30", "20250630", "0000-01-01", "0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"} {
		code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "validate")
		if code != exitUsage || !strings.Contains(stderr, "as-of") {
			t.Errorf("--as-of %q: exit %d, want %d\n%s", asOf, code, exitUsage, stderr)
		}
	}
	for _, asOf := range []string{"1900-01-01", "2999-12-31"} {
		if code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "validate"); code != exitOK {
			t.Errorf("--as-of %s: exit %d\n%s", asOf, code, stderr)
		}
	}
}

// A connection string never appears in any output, in any of its shapes;
// the message names the variable to fix.
func TestConnectionStringsStaySecret(t *testing.T) {
	dir := newProject(t)
	const secret = "Hunter2xyzzy"
	server := "host=127.0.0.1 port=1 user=strata_user dbname=strata_db sslmode=disable"
	if dsn := os.Getenv(dbtest.DSNVariable); dsn != "" {
		server = dsn
	}
	shapes := []string{
		secret,
		secret + "=",
		"=" + secret,
		"password=" + secret,
		"'" + secret,
		"host=" + secret,
		"postgres://" + secret,
		"postgres://user:" + secret + "@",
		"postgres://user:" + secret + "@127.0.0.1:1/db",
		"postgres://user:" + secret + "@[::1",
		"postgres://user:" + secret + "@127.0.0.1:notaport/db",
		"postgresql://user:" + secret + "@127.0.0.1/db?sslmode=nonsense",
		"mysql://user:" + secret + "@127.0.0.1/db",
		"host=127.0.0.1 port=1 user=u password=" + secret,
		"host=127.0.0.1 port=notaport password=" + secret,
		"host=127.0.0.1 password='" + secret,
		"host=127.0.0.1 sslmode=nonsense password=" + secret,
		"host=no.such.host.invalid password=" + secret,
		"host=127.0.0.1 port=1 password=" + secret + " connect_timeout=1",
		server + " password=" + secret,
		server + " user=no_such_user_" + secret,
		server + " dbname=no_such_db_" + secret,
		"   " + secret + "   ",
		"\n" + secret,
		"postgres://" + secret + ":" + secret + "@" + secret + "/" + secret,
		"host=" + secret + " user=" + secret + " password=" + secret + " dbname=" + secret,
	}
	for i, dsn := range shapes {
		t.Setenv("STRATA_PG_DSN", dsn)
		for _, args := range [][]string{
			{"--project", dir, "--as-of", asOf, "build", "--target", "warehouse", "--quiet"},
			{"--project", dir, "--json", "show", "customer", "--target", "warehouse"},
		} {
			code, stdout, stderr := strata(t, args...)
			if code == exitOK {
				continue // a shape that happens to connect (the test server, trusting any password)
			}
			out := stdout + stderr
			if strings.Contains(out, secret) || strings.Contains(out, "strata_user") || strings.Contains(out, "127.0.0.1") {
				t.Errorf("shape %d (%q): the output shows the connection string or part of it:\n%s", i, dsn, out)
			}
			if strings.Contains(out, "connecting") && !strings.Contains(out, "STRATA_PG_DSN") {
				t.Errorf("shape %d: the output does not name the variable to fix:\n%s", i, out)
			}
		}
	}
}

// A compile killed while writing leaves a temporary directory; the next
// compile removes it, and the earlier output was intact all along.
func TestCompileCleansUpAfterAKill(t *testing.T) {
	dir := newProject(t)
	out := filepath.Join(t.TempDir(), "sql")
	if code, _, stderr := strata(t, "--project", dir, "compile", "--dialect", "duckdb", "--out", out); code != exitOK {
		t.Fatalf("compile: exit %d\n%s", code, stderr)
	}
	first := readDir(t, out)

	// A compile that was killed: its temporary directory, named after a
	// process that no longer runs, half written; and one that was killed
	// after moving the output aside.
	dead := deadPID(t)
	stale := filepath.Join(filepath.Dir(out), ".sql.tmp-"+strconv.Itoa(dead)+"-123")
	if err := os.MkdirAll(stale, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, stale, "001_half.sql", "CREATE VIEW")
	running := filepath.Join(filepath.Dir(out), ".sql.tmp-"+strconv.Itoa(os.Getpid())+"-456")
	if err := os.MkdirAll(running, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := strata(t, "--project", dir, "compile", "--dialect", "duckdb", "--out", out); code != exitOK {
		t.Fatalf("compile: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the killed compile's directory is still there")
	}
	if _, err := os.Stat(running); err != nil {
		t.Errorf("the directory of a compile that still runs was removed")
	}
	if again := readDir(t, out); !equalMaps(first, again) {
		t.Errorf("the output changed")
	}

	// Killed between moving the output aside and moving the new one in:
	// the next compile puts the output back before it starts.
	aside := filepath.Join(filepath.Dir(out), ".sql.tmp-"+strconv.Itoa(dead)+"-789.old")
	if err := os.Rename(out, aside); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(running)
	writeFile(t, dir, "broken.hcl", `segment "x" { where = nope }`)
	strata(t, "--project", dir, "compile", "--dialect", "duckdb", "--out", out) // fails on the project, after cleaning
	os.Remove(filepath.Join(dir, "broken.hcl"))
	if code, _, stderr := strata(t, "--project", dir, "compile", "--dialect", "duckdb", "--out", out); code != exitOK {
		t.Fatalf("compile: exit %d\n%s", code, stderr)
	}
	if again := readDir(t, out); !equalMaps(first, again) {
		t.Errorf("the output changed")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("left beside the output: %v", entries)
	}
}

// deadPID is the id of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// Two sources loading into one table: validate points at both, for every
// dialect the project targets, and exits 1.
func TestValidateCatchesSilentOverwrites(t *testing.T) {
	dir := smallProject(t, customersSource+`
target "warehouse" {
  dialect        = "postgres"
  connection_env = "STRATA_PG_DSN"
}
source "more_customers" {
  table = "raw.customers"
  file  = "customers.csv"
  column "id" { type = string }
}
`, "id,name,score\na,x,1\n")
	code, _, stderr := strata(t, "--project", dir, "validate")
	if code != exitInvalid || strings.Count(stderr, "Error: Two sources load into one table") != 2 ||
		!strings.Contains(stderr, "project.hcl:9:11") || !strings.Contains(stderr, "project.hcl:25:11") {
		t.Errorf("validate: exit %d\n%s", code, stderr)
	}
}

// Two builds at once: the second stops at DuckDB's file lock with a clear
// message and exit 3; once the first is done, building works again.
func TestConcurrentBuildsOfOneDatabase(t *testing.T) {
	dir := newProject(t)
	if code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "build", "--quiet"); code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	// Another process holds the database, as a build running beside this
	// one does: this test binary, run as TestHelperHoldDuckDB.
	holder := exec.Command(os.Args[0], "-test.run=^TestHelperHoldDuckDB$")
	holder.Env = append(os.Environ(), "STRATA_HOLD_DUCKDB="+filepath.Join(dir, "build", "strata.duckdb"))
	stdin, _ := holder.StdinPipe()
	stdout, _ := holder.StdoutPipe()
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make([]byte, 5)
	if _, err := io.ReadFull(stdout, ready); err != nil || string(ready) != "ready" {
		t.Fatalf("the helper did not open the database: %q %v", ready, err)
	}
	code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "build", "--quiet")
	if code != exitDatabase || !strings.Contains(stderr, "Could not set lock on file") || !strings.Contains(stderr, "left as it was") {
		t.Errorf("a build beside another: exit %d, want %d with the lock named\n%s", code, exitDatabase, stderr)
	}
	stdin.Close()
	holder.Wait()
	if code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "build", "--quiet"); code != exitOK {
		t.Errorf("build after the other finished: exit %d\n%s", code, stderr)
	}
}

// TestHelperHoldDuckDB is not a test: TestConcurrentBuildsOfOneDatabase
// runs it in another process to hold a database open until its stdin
// closes.
func TestHelperHoldDuckDB(t *testing.T) {
	path := os.Getenv("STRATA_HOLD_DUCKDB")
	if path == "" {
		t.Skip("a helper of TestConcurrentBuildsOfOneDatabase")
	}
	db, err := engine.OpenDuckDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	os.Stdout.WriteString("ready")
	io.Copy(io.Discard, os.Stdin)
}
