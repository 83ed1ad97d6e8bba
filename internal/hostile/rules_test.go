package hostile

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/dbtest"
)

// The rules are fuzzed over the golden cases' customer data: the sources
// and seed files of fixtures/segment_logic, and metrics of every kind
// for a rule to read.
const rulesDir = "../../fixtures/segment_logic"

const rulesProject = `
metric "mrr" {
  from  = source.subscriptions
  value = sum(monthly_amount)
  valid = [started_at, ended_at]
}
metric "logins_30d" {
  from   = source.events
  where  = name == "login"
  value  = count()
  window = "30 days"
}
metric "tickets" {
  from  = source.tickets
  value = count()
}
metric "resolution" {
  from  = source.tickets
  value = avg(resolution_hours)
}
metric "nps" {
  from  = source.nps_responses
  value = avg(score)
}
metric "last_ticket" {
  from  = source.tickets
  value = max(opened_at)
}
metric "health" {
  value = coalesce(metric.nps, 5) * 10 - metric.tickets
}
segment "paying" {
  where = metric.mrr > 0
}
segment "size" {
  tier "large" { where = company_size >= 100 }
  tier "small" {}
}
`

// ruleEngines are the databases the fuzzed rules run on, set up once per
// process: the seed tables loaded, each rule then created and read inside
// a transaction that is rolled back.
type ruleEngines struct {
	duck *sql.DB
	pg   *pgx.Conn // nil without a server
}

// rulesFiles are the rules' context: the sources and the metrics.
func rulesFiles(t testing.TB) []compiler.File {
	sources, err := os.ReadFile(filepath.Join(rulesDir, "sources.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	return []compiler.File{{Name: "sources.hcl", Bytes: sources}, {Name: "project.hcl", Bytes: []byte(rulesProject)}}
}

// withRule adds the segment "fuzzed" with the rule.
func withRule(files []compiler.File, rule string) []compiler.File {
	return append(files, compiler.File{Name: "fuzz.hcl", Bytes: []byte("segment \"fuzzed\" {\n  where = " + rule + "\n}\n")})
}

// setUpEngines builds the rules' context on DuckDB and, with a server, on
// PostgreSQL. It runs before f.Fuzz, in every fuzzing worker.
func setUpEngines(f *testing.F) ruleEngines {
	_, plan, diags := compiler.Load(rulesFiles(f), compiler.Options{AsOf: compiler.MustAsOf("2025-06-30")})
	if diags.HasErrors() {
		f.Fatal(diags)
	}
	d, _ := dialects.Lookup("duckdb")
	compiled, _ := compiler.Render(plan, d)
	eng := ruleEngines{duck: dbtest.BuildDuckDB(f, rulesDir, plan, compiled).DB()}
	if !dbtest.HasPostgres() {
		return eng
	}
	dsn := dbtest.Postgres(f)
	d, _ = dialects.Lookup("postgres")
	compiled, _ = compiler.Render(plan, d)
	dbtest.BuildPostgres(f, dsn, rulesDir, plan, compiled)
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { conn.Close(context.Background()) })
	eng.pg = conn
	return eng
}

// overflow says whether an engine's error is arithmetic leaving the 64-bit
// integers on this data: known only when the rule runs, and reported by
// every engine alike.
var overflow = regexp.MustCompile(`(?i)overflow|out of range`)

// FuzzRules mutates segment rules and runs every rule the compiler
// accepts on DuckDB and, with a server, on PostgreSQL: what validates
// must build (the only runtime failure allowed is 64-bit integer overflow
// on the data, which the compiler cannot know), and both engines must
// return the same members.
// Inputs that once failed are kept in testdata/fuzz/FuzzRules.
func FuzzRules(f *testing.F) {
	cases, _ := filepath.Glob("../../fixtures/*/project.hcl")
	where := regexp.MustCompile(`(?m)where\s*=\s*(.+?)\s*(#.*)?$`)
	for _, p := range cases {
		b, _ := os.ReadFile(p)
		for _, m := range where.FindAllStringSubmatch(string(b), -1) {
			f.Add(strings.TrimSuffix(m[1], "}"))
		}
	}
	for _, rule := range []string{
		`name == "\\' OR TRUE, FALSE) AS \"vip\" --"`,
		`lower(name) < "m" && metric.health >= 0`,
		`percent_rank(metric.mrr) >= 0.5 || contains(["a", "b"], plan)`,
		`metric.last_ticket > "2025-01-01" && days_since(metric.last_ticket) <= 90`,
		`round(metric.resolution / 3, 1) > metric.nps % 2`,
		`segment.size == "large" && segment.paying`,
		`company_size * 9223372036854775807 > 0`,
	} {
		f.Add(rule)
	}
	eng := setUpEngines(f)
	context := rulesFiles(f)
	f.Fuzz(func(t *testing.T, rule string) {
		_, plan, diags := compiler.Load(withRule(context[:len(context):len(context)], rule), compiler.Options{AsOf: compiler.MustAsOf("2025-06-30")})
		if diags.HasErrors() {
			return
		}
		duck, duckErr := runRule(t, "duckdb", plan, func(stmts []string, query string) (*engine.Rows, error) {
			return inDuckDBTransaction(eng.duck, stmts, query)
		})
		if eng.pg == nil {
			if duckErr != nil && !overflow.MatchString(duckErr.Error()) {
				t.Fatalf("the rule validates but does not build on DuckDB: %v\nrule: %s", duckErr, rule)
			}
			return
		}
		pg, pgErr := runRule(t, "postgres", plan, func(stmts []string, query string) (*engine.Rows, error) {
			return inPostgresTransaction(eng.pg, stmts, query)
		})
		switch {
		case duckErr != nil && overflow.MatchString(duckErr.Error()) && pgErr == nil,
			pgErr != nil && overflow.MatchString(pgErr.Error()) && (duckErr == nil || overflow.MatchString(duckErr.Error())):
			// Overflow on this data. DuckDB may rewrite x * c > 0 into
			// x > 0 and so not overflow where PostgreSQL does.
			return
		case duckErr != nil:
			t.Fatalf("the rule validates but does not build on DuckDB: %v\nrule: %s", duckErr, rule)
		case pgErr != nil:
			t.Fatalf("the rule validates but does not build on PostgreSQL: %v\nrule: %s", pgErr, rule)
		}
		if a, b := strings.Join(dbtest.Normalize(duck), "\n"), strings.Join(dbtest.Normalize(pg), "\n"); a != b {
			t.Fatalf("DuckDB and PostgreSQL disagree on the members of\n  %s\n--- duckdb\n%s\n--- postgres\n%s", rule, a, b)
		}
	})
}

// runRule creates the profile and the fuzzed segment's view for one
// dialect and reads the segment's members; a dialect that cannot express
// the rule gives no rows and no error.
func runRule(t *testing.T, dialect string, plan *compiler.Plan, run func(stmts []string, query string) (*engine.Rows, error)) (*engine.Rows, error) {
	d, _ := dialects.Lookup(dialect)
	compiled, diags := compiler.Render(plan, d)
	if diags.HasErrors() {
		return &engine.Rows{}, nil
	}
	var stmts []string
	for _, v := range compiled.Views {
		if v.Output.Name == "customer_profile" || v.Output.Name == "segment_fuzzed" {
			stmts = append(stmts, v.SQL)
		}
	}
	if len(stmts) != 2 {
		t.Fatalf("the plan lacks the profile or the segment: %d views", len(stmts))
	}
	return run(stmts, `SELECT * FROM "analytics"."segment_fuzzed"`)
}

func inDuckDBTransaction(db *sql.DB, stmts []string, query string) (*engine.Rows, error) {
	tx, err := db.Begin()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, s := range stmts {
		if _, err := tx.Exec(s); err != nil {
			return nil, err
		}
	}
	rows, err := tx.Query(query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := &engine.Rows{Columns: cols}
	for rows.Next() {
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out.Values = append(out.Values, values)
	}
	return out, rows.Err()
}

func inPostgresTransaction(conn *pgx.Conn, stmts []string, query string) (*engine.Rows, error) {
	ctx := context.Background()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx)
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s); err != nil {
			return nil, err
		}
	}
	// The same query text returns other columns for each rule: no cached plan.
	rows, err := tx.Query(ctx, query, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := &engine.Rows{}
	for _, fd := range rows.FieldDescriptions() {
		out.Columns = append(out.Columns, fd.Name)
	}
	for rows.Next() {
		values, err := rows.Values()
		if err != nil {
			return nil, fmt.Errorf("reading rows: %w", err)
		}
		out.Values = append(out.Values, values)
	}
	return out, rows.Err()
}
