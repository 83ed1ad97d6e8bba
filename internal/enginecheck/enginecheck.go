package enginecheck

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/dbtest"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// Engine is a real engine that runs one dialect's SQL, through runner.py.
type Engine struct {
	// Name is runner.py's name for it.
	Name string
	// Dialect is the dialect whose SQL it runs.
	Dialect string
	// Title is how messages name it.
	Title string
	// Server names the environment variable with the address of a server
	// to run on; "" when the engine runs inside runner.py.
	Server string
	// NotShared are the statements of the dialect that the engine does
	// not run because the warehouse has them and the engine does not
	// (Spark is not all of Databricks SQL); the parsers check them.
	NotShared []NotShared
	// Secondary is an emulator: its results are a signal, not proof;
	// where it departs from the warehouse's documented semantics the
	// departure is listed in Departures.
	Secondary bool
	// Unsupported are the cases that use what the engine lacks and the
	// warehouse has: each must stop with the error given. A real engine
	// may fail to run a case; it may not give it other rows.
	Unsupported []Unsupported
	// Node is the Node.js script that runs the engine instead of
	// runner.py, relative to the repository's root; it speaks runner.py's
	// protocol.
	Node string
	// Departures are the cases whose rows or error differ from DuckDB's
	// because of the emulator, not because of the dialect's SQL, each
	// with its reason. The tests log them instead of failing, and fail
	// when a listed case no longer differs, so that the list stays true.
	Departures []Departure
}

// Departure is a case that a secondary engine runs otherwise than the
// warehouse it stands for, and why: what the warehouse does, with its
// documentation, against what the emulator (or what it is built on) does.
type Departure struct {
	Case string
	Why  string
}

// Unsupported is a case that an engine cannot run, the error it stops
// with (a part of the message), and why the warehouse can.
type Unsupported struct {
	Case  string
	Error string
	Why   string
}

// NotShared is a kind of statement an engine does not run as it is, and
// why: it skips it, or, where Instead is set, runs it with what Statement
// matched replaced by Instead (the query in it unchanged).
type NotShared struct {
	Statement *regexp.Regexp
	Instead   string
	Why       string
}

// Engines are the engines the tests run goldens on besides DuckDB and
// PostgreSQL. fakesnow is Secondary: it transpiles Snowflake's SQL with
// sqlglot and runs it on DuckDB, the engine the rows are compared with,
// so that agreeing proves little; it still runs the dialect's functions
// and syntax, and sqlglot carries over semantics DuckDB lacks (LEAST
// returning NULL for a NULL argument, for one).
var Engines = []Engine{
	{Name: "clickhouse", Dialect: "clickhouse", Title: "ClickHouse (chDB)"},
	{Name: "spark", Dialect: "databricks", Title: "Apache Spark", NotShared: []NotShared{{
		Statement: regexp.MustCompile(`^COMMENT ON COLUMN `),
		Why: "Apache Spark comments on the columns of tables only ('COMMENT ON COLUMN' expects a table); Databricks SQL " +
			"and Runtime 16.1+ comment on a view's columns (docs.databricks.com/en/sql/language-manual/sql-ref-syntax-ddl-comment.html)",
	}, {
		Statement: regexp.MustCompile(`^CREATE OR REPLACE TABLE `),
		Instead:   "CREATE TABLE ",
		Why: "Apache Spark replaces only tables of a catalog that can (Delta Lake's, Databricks' default); its own " +
			"file tables cannot be replaced. Each case starts empty, so CREATE TABLE creates the same table",
	}}},
	{Name: "trino", Dialect: "trino", Title: "Trino", Server: "STRATA_TEST_TRINO", NotShared: []NotShared{{
		Statement: regexp.MustCompile(`^CREATE OR REPLACE TABLE `),
		Instead:   "CREATE TABLE ",
		Why: "Trino's memory connector cannot replace a table; the Iceberg and Delta Lake connectors, where " +
			"warehouses keep tables, can (trino.io/docs/current/sql/create-table-as.html). Each case starts empty",
	}}},
	// ZetaSQL's reference implementation evaluates GoogleSQL as BigQuery
	// defines it; evaluate.mjs keeps the tables between statements.
	{Name: "zetasql", Dialect: "bigquery", Title: "ZetaSQL's reference implementation (BigQuery's SQL)",
		Node: "internal/zetasqlcheck/evaluate.mjs",
		Unsupported: []Unsupported{{
			Case:  "error_dialect",
			Error: "Unsupported built-in function: approx_count_distinct",
			Why: "the reference implementation leaves approximate aggregates out, their results being the engine's choice; " +
				"ZetaSQL's analyser resolves APPROX_COUNT_DISTINCT (TestBigQueryGoldensAnalyse) and BigQuery has it " +
				"(cloud.google.com/bigquery/docs/reference/standard-sql/approximate_aggregate_functions#approx_count_distinct)",
		}}},
	{Name: "fakesnow", Dialect: "snowflake", Title: "fakesnow (Snowflake emulated over DuckDB)", Secondary: true,
		NotShared: []NotShared{{
			Statement: regexp.MustCompile(`^COMMENT ON (VIEW|TABLE) .* IS '.*\\'`),
			Why: "Snowflake takes \\' for a quote in a string constant (docs.snowflake.com/en/sql-reference/data-types-text#escape-sequences-in-single-quoted-string-constants); " +
				"fakesnow records a view's comment by pasting its text, unescaped, into a DuckDB INSERT (fakesnow/info_schema.py, " +
				"insert_table_comment_sql), which a quote in it breaks. A comment changes no rows",
		}},
		Departures: []Departure{{
			Case: "hostile_names",
			Why: "Snowflake allows any character in a double-quoted identifier, \"\" for a double quote " +
				"(docs.snowflake.com/en/sql-reference/identifiers-syntax), and CREATE SCHEMA makes the schema the session's " +
				"current one (docs.snowflake.com/en/sql-reference/sql/create-schema); fakesnow does that with SET schema='<database>.<schema>', the name pasted in unquoted " +
				"(fakesnow/cursor.py), and DuckDB finds no schema by that name: `CREATE SCHEMA \"Analytics \"\"Prod\"\"; x\"` fails",
		}},
	},
}

// shared is stmt as the engine runs it; ok is false where it does not.
func (e Engine) shared(stmt string) (string, bool) {
	for _, n := range e.NotShared {
		if loc := n.Statement.FindStringIndex(stmt); loc != nil {
			if n.Instead == "" {
				return "", false
			}
			return stmt[:loc[0]] + n.Instead + stmt[loc[1]:], true
		}
	}
	return stmt, true
}

// Lacks is the listed unsupported case called name, if any.
func (e Engine) Lacks(name string) (Unsupported, bool) {
	for _, u := range e.Unsupported {
		if u.Case == name {
			return u, true
		}
	}
	return Unsupported{}, false
}

// Departure is the listed departure of the case called name, if any.
func (e Engine) Departure(name string) (Departure, bool) {
	for _, d := range e.Departures {
		if d.Case == name {
			return d, true
		}
	}
	return Departure{}, false
}

// Lookup returns the engine called name.
func Lookup(name string) Engine {
	for _, e := range Engines {
		if e.Name == name {
			return e
		}
	}
	panic("enginecheck: no engine " + name)
}

// Case is a compiled golden case to run: its seed rows are read from
// Seeds, the case built on DuckDB.
type Case struct {
	Name     string
	Plan     *compiler.Plan
	Compiled *compiler.Compiled
	Seeds    engine.Warehouse
}

// Result is what a case gave on an engine: its views' rows as
// dbtest.ViewRows prints them, or the error that stopped it.
type Result struct {
	Rows    string
	Error   string
	Seconds float64
}

// Run runs the cases on the engine in one runner.py process, and returns
// each case's result by name. Without the runner's environment (`make
// checkers` installs it) or the engine's server it skips the test,
// except under CI, where either is a failure.
func Run(t *testing.T, e Engine, cases []Case) map[string]Result {
	t.Helper()
	program, args, env := e.program(t)
	if e.Server != "" && os.Getenv(e.Server) == "" {
		dbtest.Missing(t, fmt.Sprintf("no %s server: set %s (.ci/run starts one with internal/enginecheck/trino/server.sh)", e.Title, e.Server))
	}
	d, _ := dialects.Lookup(e.Dialect)
	var req request
	for _, c := range cases {
		req.Cases = append(req.Cases, buildCase(t, e, d, c))
	}
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "request.json")
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	cmd := exec.Command(program, append(args, file)...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s runner: %v\n%s", e.Title, err, tail(stderr.String(), 4000))
	}
	var resp response
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("the %s runner printed no response: %v\n%s", e.Title, err, tail(stderr.String(), 4000))
	}
	t.Logf("%s %s: %d cases in %.1fs", e.Title, resp.Version, len(resp.Cases), time.Since(started).Seconds())
	results := map[string]Result{}
	for i, rc := range resp.Cases {
		r := Result{Error: rc.Error, Seconds: rc.Seconds}
		if r.Error == "" {
			r.Rows, r.Error = viewRows(d, cases[i].Plan, rc.Results)
		}
		results[rc.Name] = r
	}
	return results
}

type request struct {
	Cases []requestCase `json:"cases"`
}

type requestCase struct {
	Name     string   `json:"name"`
	Setup    []string `json:"setup"`
	Queries  []query  `json:"queries"`
	Teardown []string `json:"teardown"`
}

type query struct {
	Name string `json:"name"`
	SQL  string `json:"sql"`
}

type response struct {
	Engine  string         `json:"engine"`
	Version string         `json:"version"`
	Cases   []responseCase `json:"cases"`
}

type responseCase struct {
	Name    string        `json:"name"`
	Error   string        `json:"error"`
	Seconds float64       `json:"seconds"`
	Results []queryResult `json:"results"`
}

type queryResult struct {
	Name    string              `json:"name"`
	Columns []string            `json:"columns"`
	Rows    [][]json.RawMessage `json:"rows"`
	Error   string              `json:"error"`
}

// buildCase is a case's statements: its schemas and seed tables with
// their rows, then the compiled project; a query per view; and what
// drops it all again.
func buildCase(t *testing.T, e Engine, d dialects.Dialect, c Case) requestCase {
	t.Helper()
	rc := requestCase{Name: c.Name}
	// Dropped in the reverse order of creation: views, tables, schemas.
	var tables, schemas []string
	seen := map[string]bool{}
	addSchema := func(parts []string) (added bool) {
		schema := path(d, parts)
		if seen[schema] {
			return false
		}
		seen[schema] = true
		schemas = append(schemas, schema)
		return true
	}
	// The project's schema first: a source may be a table in it.
	addSchema([]string{c.Plan.Project.Schema})
	rc.Setup = append(rc.Setup, c.Compiled.Schema)
	for _, s := range tableSources(c.Plan.Project) {
		tables = append(tables, path(d, s.Table))
		if addSchema(s.Table[:len(s.Table)-1]) {
			sql, err := sqltree.Render(&sqltree.CreateSchema{Path: s.Table[:len(s.Table)-1]}, d)
			if err != nil {
				t.Fatal(err)
			}
			rc.Setup = append(rc.Setup, sql)
		}
		rc.Setup = append(rc.Setup, seedTable(t, e, d, c, s)...)
	}
	rc.Setup = append(rc.Setup, c.Compiled.Tables...)
	for _, v := range c.Compiled.Views {
		for _, stmt := range v.Statements {
			if stmt, ok := e.shared(stmt); ok {
				rc.Setup = append(rc.Setup, stmt)
			}
		}
	}
	for _, o := range c.Plan.Outputs {
		rc.Queries = append(rc.Queries, query{Name: o.Name,
			SQL: "SELECT * FROM " + d.QuoteIdent(c.Plan.Project.Schema) + "." + d.QuoteIdent(o.Name)})
	}
	for i := len(c.Plan.Outputs) - 1; i >= 0; i-- {
		o := c.Plan.Outputs[i]
		object := "VIEW"
		if c.Compiled.Views[i].Output.View.AsTable {
			object = "TABLE"
		}
		rc.Teardown = append(rc.Teardown, "DROP "+object+" IF EXISTS "+d.QuoteIdent(c.Plan.Project.Schema)+"."+d.QuoteIdent(o.Name))
	}
	for _, table := range tables {
		rc.Teardown = append(rc.Teardown, "DROP TABLE IF EXISTS "+table)
	}
	for _, schema := range schemas {
		rc.Teardown = append(rc.Teardown, "DROP "+d.SchemaObject()+" IF EXISTS "+schema)
	}
	return rc
}

// tableSources are the sources that read a table, one per table, with
// the columns every source of that table declares.
func tableSources(p *models.Project) []*models.Source {
	var out []*models.Source
	byTable := map[string]*models.Source{}
	for _, s := range p.Sources {
		if s.Kind != models.KindSource || len(s.Table) < 2 {
			continue
		}
		key := strings.Join(s.Table, "\x00")
		merged, seen := byTable[key]
		if !seen {
			merged = &models.Source{Name: s.Name, Kind: s.Kind, Table: s.Table}
			byTable[key] = merged
			out = append(out, merged)
		}
		for _, col := range s.Columns {
			if merged.Column(col.Name) == nil {
				merged.Columns = append(merged.Columns, col)
			}
		}
	}
	return out
}

func path(d dialects.Dialect, parts []string) string {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = d.QuoteIdent(p)
	}
	return strings.Join(quoted, ".")
}

// seedTable creates a source's table and inserts the rows the case's
// DuckDB build holds for it, each value a literal of the column's type.
func seedTable(t *testing.T, e Engine, d dialects.Dialect, c Case, s *models.Source) []string {
	t.Helper()
	table := &sqltree.CreateTable{Name: s.Table}
	read := &sqltree.Select{From: sqltree.Table{Path: s.Table}}
	var names []string
	for _, col := range s.Columns {
		table.Columns = append(table.Columns, sqltree.ColumnDef{Name: col.Name, Type: compiler.SQLType(col.Type)})
		read.Columns = append(read.Columns, sqltree.SelectItem{X: sqltree.Column{Name: col.Name}})
		names = append(names, d.QuoteIdent(col.Name))
	}
	create, err := sqltree.Render(table, d)
	if err != nil {
		t.Fatal(err)
	}
	create = strings.TrimSuffix(create, ";\n")
	out := []string{create}
	duck, _ := dialects.Lookup("duckdb")
	readSQL, err := sqltree.RenderQuery(read, duck)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := c.Seeds.Query(context.Background(), readSQL)
	if err != nil {
		t.Fatalf("reading the seed rows of %s: %v", s.Name, err)
	}
	const batch = 500
	for start := 0; start < len(rows.Values); start += batch {
		end := min(start+batch, len(rows.Values))
		var values []string
		for _, row := range rows.Values[start:end] {
			cells := make([]string, len(row))
			for j, v := range row {
				cells[j] = literal(t, d, compiler.SQLType(s.Columns[j].Type), v)
			}
			values = append(values, "("+strings.Join(cells, ", ")+")")
		}
		out = append(out, "INSERT INTO "+path(d, s.Table)+" ("+strings.Join(names, ", ")+") VALUES "+strings.Join(values, ", "))
	}
	return out
}

// literal writes a seed value as a literal of its column's type.
func literal(t *testing.T, d dialects.Dialect, typ sqltree.Type, v any) string {
	t.Helper()
	var x sqltree.Expr
	switch v := v.(type) {
	case nil:
		x = sqltree.Cast{X: sqltree.Keyword{Word: "NULL"}, Type: typ}
	case string:
		x = sqltree.Str(v)
	case bool:
		x = sqltree.Keyword{Word: strings.ToUpper(strconv.FormatBool(v))}
	case int64:
		x = sqltree.Num(strconv.FormatInt(v, 10))
	case int32:
		x = sqltree.Num(strconv.FormatInt(int64(v), 10))
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("seed value %v cannot be a literal", v)
		}
		x = sqltree.Num(strconv.FormatFloat(v, 'f', -1, 64))
	case *big.Int:
		x = sqltree.Num(v.String())
	case time.Time:
		text := v.Format("2006-01-02 15:04:05.999999")
		if typ == sqltree.Date {
			text = v.Format(time.DateOnly)
		}
		x = sqltree.Str(text)
	default:
		t.Fatalf("seed value %T(%v) has no literal", v, v)
	}
	if v != nil {
		x = sqltree.Cast{X: x, Type: typ}
	}
	sql, err := sqltree.RenderExpr(x, d)
	if err != nil {
		t.Fatal(err)
	}
	return sql
}

// viewRows prints the results as dbtest.ViewRows prints a warehouse's.
// A column the engine names as the dialect stores the view's column
// name (Snowflake folds an unquoted name to upper case) is printed with
// the plan's name.
func viewRows(d dialects.Dialect, plan *compiler.Plan, results []queryResult) (string, string) {
	var b strings.Builder
	for i, o := range plan.Outputs {
		if i >= len(results) {
			return "", "no result for " + o.Name
		}
		r := results[i]
		if r.Error != "" {
			return "", fmt.Sprintf("querying %s: %s", o.Name, r.Error)
		}
		rows := &engine.Rows{Columns: r.Columns}
		if len(r.Columns) == len(o.Columns) {
			for j, c := range o.Columns {
				if r.Columns[j] == d.StoredName(c.Name) {
					rows.Columns[j] = c.Name
				}
			}
		}
		for _, raw := range r.Rows {
			row := make([]any, len(raw))
			for j, cell := range raw {
				v, err := decodeCell(cell)
				if err != nil {
					return "", fmt.Sprintf("%s: %v", o.Name, err)
				}
				row[j] = v
			}
			rows.Values = append(rows.Values, row)
		}
		dbtest.WriteRows(&b, o.Name, rows)
	}
	return b.String(), ""
}

// decodeCell turns runner.py's typed cell into the Go value a database
// driver would give, so that dbtest.Normalize prints it as it prints
// DuckDB's.
func decodeCell(raw json.RawMessage) (any, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	if string(raw) == "true" || string(raw) == "false" {
		return string(raw) == "true", nil
	}
	var cell map[string]any
	if err := json.Unmarshal(raw, &cell); err != nil {
		return nil, fmt.Errorf("cell %s: %v", raw, err)
	}
	for kind, value := range cell {
		text, _ := value.(string)
		switch kind {
		case "int":
			n, ok := new(big.Int).SetString(text, 10)
			if !ok {
				return nil, fmt.Errorf("integer cell %s", raw)
			}
			if n.IsInt64() {
				return n.Int64(), nil
			}
			return n, nil
		case "float":
			if f, ok := value.(float64); ok {
				return f, nil
			}
			return strconv.ParseFloat(text, 64)
		case "decimal":
			return strconv.ParseFloat(text, 64)
		case "str":
			return text, nil
		case "date":
			return time.Parse(time.DateOnly, text)
		case "ts", "tstz":
			return parseTime(text)
		}
	}
	return nil, fmt.Errorf("cell of unknown type %s", raw)
}

func parseTime(text string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999Z07:00"} {
		if t, err := time.Parse(layout, text); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("timestamp cell %q", text)
}

// findPython is the Python of the environment `make checkers` creates
// for runner.py (STRATA_ENGINES_PYTHON names another).
func findPython(t *testing.T) string {
	t.Helper()
	py := os.Getenv("STRATA_ENGINES_PYTHON")
	if py == "" {
		py = filepath.Join(repoRoot(), ".cache", "engines", "venv", "bin", "python")
	}
	if _, err := os.Stat(py); err != nil {
		dbtest.Missing(t, "the engines' Python environment is not installed ("+py+"): run `make checkers`")
	}
	return py
}

func runnerPath() string { return filepath.Join(repoRoot(), "internal", "enginecheck", "runner.py") }

// program is the command that runs e, without the request file, and
// what it adds to the environment: runner.py
// in the engines' Python environment, or e's Node script, with ZetaSQL
// where `make checkers` installs it (STRATA_ZETASQL_PREFIX names another
// place). What is missing skips the test, or fails it in CI.
func (e Engine) program(t *testing.T) (program string, args, env []string) {
	t.Helper()
	if e.Node == "" {
		return findPython(t), []string{runnerPath(), e.Name}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		dbtest.Missing(t, "node is not on PATH; "+e.Title+" needs it")
	}
	prefix := os.Getenv("STRATA_ZETASQL_PREFIX")
	if prefix == "" {
		prefix = filepath.Join(repoRoot(), ".cache", "zetasql")
	}
	if _, err := os.Stat(filepath.Join(prefix, "node_modules", "@fivetrandevelopers", "zetasql", "package.json")); err != nil {
		dbtest.Missing(t, "ZetaSQL is not installed in "+prefix+": run `make checkers`")
	}
	return node, []string{filepath.Join(repoRoot(), filepath.FromSlash(e.Node))}, []string{"ZETASQL_PREFIX=" + prefix}
}

// repoRoot is the repository's root, found from this file's place in it.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
