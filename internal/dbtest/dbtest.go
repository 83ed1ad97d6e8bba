// Package dbtest holds what the tests of several packages need to run
// generated SQL for real: a fresh PostgreSQL database per test, empty
// tables for declared sources, and rows normalised so that results of
// DuckDB and PostgreSQL compare equal. It is for tests only.
package dbtest

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// UnderCI reports whether the tests run under CI (CI=true, as .ci/run
// sets it), where everything a test needs must be there.
func UnderCI() bool { return os.Getenv("CI") == "true" }

// Missing stops a test whose prerequisite (a server, a checker, a
// dataset) is missing: under CI it fails, since CI installs everything;
// elsewhere it skips, saying why, so that a plain `go test` runs on any
// machine.
func Missing(t testing.TB, why string) {
	t.Helper()
	if UnderCI() {
		t.Fatal(why)
	}
	t.Skip("SKIPPED: " + why)
}

// DSNVariable names the environment variable holding the connection string
// of a PostgreSQL server the tests may create databases on.
const DSNVariable = "STRATA_TEST_PG_DSN"

var databaseCounter atomic.Int64

// Postgres returns the connection string of a new, empty database that is
// dropped when the test ends. Without a server it skips the test, except
// under CI (CI=true), where a missing server is a failure.
func Postgres(t testing.TB) string {
	t.Helper()
	return PostgresWith(t, "")
}

// PostgresWith is Postgres with options for CREATE DATABASE, such as a
// collation: "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' TEMPLATE template0".
func PostgresWith(t testing.TB, options string) string {
	t.Helper()
	admin := os.Getenv(DSNVariable)
	if admin == "" {
		Missing(t, fmt.Sprintf("no PostgreSQL server: set %s to run this test against one (.ci/run starts one)", DSNVariable))
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connecting to PostgreSQL (%s): %v", DSNVariable, err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("strata_test_%d_%d", os.Getpid(), databaseCounter.Add(1))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name+" "+options); err != nil {
		t.Fatalf("creating database %s: %v", name, err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	cfg, err := pgx.ParseConfig(admin)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable", cfg.Host, cfg.Port, cfg.User, name) + password(cfg)
}

func password(cfg *pgx.ConnConfig) string {
	if cfg.Password == "" {
		return ""
	}
	return " password=" + cfg.Password
}

// EmptySourceTables are the statements that create an empty table for each
// table source without a seed file, so that views over them can be created
// and queried.
func EmptySourceTables(p *models.Project, d sqltree.Dialect) []string {
	var stmts []string
	for _, s := range p.Sources {
		if s.Kind != models.KindSource || s.File != "" || s.Table == nil {
			continue
		}
		quoted := make([]string, len(s.Table))
		for i, part := range s.Table {
			quoted[i] = d.QuoteIdent(part)
		}
		if len(quoted) > 1 {
			stmts = append(stmts, "CREATE SCHEMA IF NOT EXISTS "+strings.Join(quoted[:len(quoted)-1], "."))
		}
		var cols []string
		for _, c := range s.Columns {
			cols = append(cols, d.QuoteIdent(c.Name)+" "+d.TypeName(compiler.SQLType(c.Type)))
		}
		stmts = append(stmts, "CREATE TABLE IF NOT EXISTS "+strings.Join(quoted, ".")+" ("+strings.Join(cols, ", ")+")")
	}
	return stmts
}

// Normalize renders rows as sorted lines of text, so that results of two
// engines compare equal when their values are: numbers to 9 significant
// digits (sums of doubles differ in the last bits with summation order),
// dates and timestamps in ISO form.
func Normalize(rows *engine.Rows) []string {
	lines := make([]string, len(rows.Values))
	for i, r := range rows.Values {
		cells := make([]string, len(r))
		for j, v := range r {
			cells[j] = normalizeValue(v)
		}
		lines[i] = strings.Join(cells, " | ")
	}
	sort.Strings(lines)
	return lines
}

func normalizeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return strconv.Quote(x)
	case []byte:
		return strconv.Quote(string(x))
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int:
		return strconv.Itoa(x)
	case *big.Int:
		return x.String()
	case float32:
		return normalizeFloat(float64(x))
	case float64:
		return normalizeFloat(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.Format("2006-01-02 15:04:05.999999")
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

func normalizeFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'g', 9, 64)
}

// HCLFiles reads the .hcl files of dir, named as a user sees them in it.
func HCLFiles(t testing.TB, dir string) []compiler.File {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "*.hcl"))
	var files []compiler.File
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, compiler.File{Name: filepath.Base(p), Bytes: b})
	}
	return files
}

// Compile loads the .hcl files of dir with as_of pinned and renders them
// for every dialect; a diagnostic fails the test.
func Compile(t testing.TB, dir, asOf string) (*compiler.Plan, map[string]*compiler.Compiled) {
	t.Helper()
	files := HCLFiles(t, dir)
	_, plan, diags := compiler.Load(files, compiler.Options{AsOf: compiler.MustAsOf(asOf)})
	if diags.HasErrors() {
		t.Fatalf("compiling %s: %v", dir, diags)
	}
	out := map[string]*compiler.Compiled{}
	for _, name := range dialects.Names() {
		d, _ := dialects.Lookup(name)
		compiled, diags := compiler.Render(plan, d)
		if diags.HasErrors() {
			t.Fatalf("rendering %s for %s: %v", dir, name, diags)
		}
		out[name] = compiled
	}
	return plan, out
}

// BuildDuckDB builds a compiled project on a new in-memory DuckDB: empty
// tables for the sources without seed files, then the seeds and views.
func BuildDuckDB(t testing.TB, dir string, plan *compiler.Plan, compiled *compiler.Compiled) *engine.DuckDB {
	t.Helper()
	db, err := engine.OpenDuckDB("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d, _ := dialects.Lookup("duckdb")
	for _, stmt := range EmptySourceTables(plan.Project, d) {
		if _, err := db.DB().Exec(stmt); err != nil {
			t.Fatalf("creating source table: %v\n%s", err, stmt)
		}
	}
	if _, err := db.Build(context.Background(), engine.BuildInput{Project: plan.Project, ProjectDir: dir, Compiled: compiled, LoadSeeds: true}); err != nil {
		t.Fatalf("building on DuckDB: %v", err)
	}
	return db
}

// BuildPostgres builds a compiled project on the PostgreSQL database dsn
// names, in the same way as BuildDuckDB.
func BuildPostgres(t testing.TB, dsn, dir string, plan *compiler.Plan, compiled *compiler.Compiled) *engine.Postgres {
	t.Helper()
	ctx := context.Background()
	pg, err := engine.OpenPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	d, _ := dialects.Lookup("postgres")
	for _, stmt := range EmptySourceTables(plan.Project, d) {
		if err := pg.Exec(ctx, stmt); err != nil {
			t.Fatalf("creating source table: %v\n%s", err, stmt)
		}
	}
	if _, err := pg.Build(ctx, engine.BuildInput{Project: plan.Project, ProjectDir: dir, Compiled: compiled, LoadSeeds: true}); err != nil {
		t.Fatalf("building on PostgreSQL: %v", err)
	}
	return pg
}

// ViewRows reads every view of a plan and renders its rows as text, sorted
// and normalised, so that two engines' results compare with ==.
func ViewRows(t testing.TB, wh engine.Warehouse, plan *compiler.Plan, dialect string) string {
	t.Helper()
	d, _ := dialects.Lookup(dialect)
	var b strings.Builder
	for _, o := range plan.Outputs {
		q := "SELECT * FROM " + d.QuoteIdent(plan.Project.Schema) + "." + d.QuoteIdent(o.Name)
		rows, err := wh.Query(context.Background(), q)
		if err != nil {
			t.Fatalf("querying %s on %s: %v", o.Name, dialect, err)
		}
		WriteRows(&b, o.Name, rows)
	}
	return b.String()
}

// WriteRows prints one view's rows as ViewRows does: its name, how many
// rows and its columns, then the rows, normalised and sorted.
func WriteRows(b *strings.Builder, name string, rows *engine.Rows) {
	fmt.Fprintf(b, "== %s (%d rows)\n%s\n", name, len(rows.Values), strings.Join(rows.Columns, " | "))
	for _, line := range Normalize(rows) {
		b.WriteString(line + "\n")
	}
}

// HasPostgres reports whether a PostgreSQL server is set for the tests.
func HasPostgres() bool { return os.Getenv(DSNVariable) != "" }
