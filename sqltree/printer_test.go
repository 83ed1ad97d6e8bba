package sqltree_test

import (
	"strings"
	"testing"

	"github.com/strata-analytics/strata/dialects/duckdb"
	"github.com/strata-analytics/strata/dialects/postgres"
	"github.com/strata-analytics/strata/sqltree"
)

func col(name string) sqltree.Expr { return sqltree.Column{Name: name} }

func TestPrecedence(t *testing.T) {
	cases := []struct {
		expr sqltree.Expr
		want string
	}{
		{sqltree.Binary{Op: "-", Left: col("a"), Right: sqltree.Binary{Op: "-", Left: col("b"), Right: col("c")}}, `"a" - ("b" - "c")`},
		{sqltree.Binary{Op: "-", Left: sqltree.Binary{Op: "-", Left: col("a"), Right: col("b")}, Right: col("c")}, `"a" - "b" - "c"`},
		{sqltree.Binary{Op: "*", Left: sqltree.Binary{Op: "+", Left: col("a"), Right: col("b")}, Right: col("c")}, `("a" + "b") * "c"`},
		{sqltree.Binary{Op: "OR", Left: col("a"), Right: sqltree.Binary{Op: "AND", Left: col("b"), Right: col("c")}}, `"a" OR "b" AND "c"`},
		{sqltree.Binary{Op: "AND", Left: col("a"), Right: sqltree.Binary{Op: "OR", Left: col("b"), Right: col("c")}}, `"a" AND ("b" OR "c")`},
		{sqltree.Unary{Op: "NOT", X: sqltree.Binary{Op: "AND", Left: col("a"), Right: col("b")}}, `NOT ("a" AND "b")`},
		{sqltree.Unary{Op: "-", X: sqltree.Binary{Op: "+", Left: col("a"), Right: col("b")}}, `-("a" + "b")`},
		{sqltree.IsNull{X: sqltree.Binary{Op: "+", Left: col("a"), Right: col("b")}, Negate: true}, `"a" + "b" IS NOT NULL`},
		{sqltree.Binary{Op: "=", Left: sqltree.IsNull{X: col("a")}, Right: sqltree.Bool(true)}, `("a" IS NULL) = TRUE`},
	}
	for _, c := range cases {
		got, err := sqltree.RenderExpr(c.expr, duckdb.New())
		if err != nil || got != c.want {
			t.Errorf("got %s (%v), want %s", got, err, c.want)
		}
	}
}

func TestPortableFunctionsPerDialect(t *testing.T) {
	days := sqltree.Portable{Name: "days_between", Args: []sqltree.Expr{col("a"), sqltree.Binary{Op: "+", Left: col("b"), Right: sqltree.Num("1")}}}
	got, _ := sqltree.RenderExpr(days, duckdb.New())
	if got != `date_diff('day', CAST("a" AS DATE), CAST(("b" + 1) AS DATE))` {
		t.Errorf("duckdb: %s", got)
	}
	got, _ = sqltree.RenderExpr(days, postgres.New())
	if got != `CAST(CAST(("b" + 1) AS DATE) - CAST("a" AS DATE) AS BIGINT)` {
		t.Errorf("postgres: %s", got)
	}
	if _, err := sqltree.RenderExpr(sqltree.Portable{Name: "approx_count_distinct", Args: []sqltree.Expr{col("a")}}, postgres.New()); err == nil {
		t.Error("a function the dialect lacks must be an error, not empty SQL")
	}
}

func TestQuoting(t *testing.T) {
	hostile := `we"ird; DROP TABLE x; -- ünï`
	for _, d := range []sqltree.Dialect{duckdb.New(), postgres.New()} {
		got, _ := sqltree.RenderExpr(sqltree.Binary{Op: "=", Left: col(hostile), Right: sqltree.Str("it's")}, d)
		want := `"we""ird; DROP TABLE x; -- ünï" = 'it''s'`
		if got != want {
			t.Errorf("%s: %s, want %s", d.Name(), got, want)
		}
	}
}

func TestCreateViewPerDialect(t *testing.T) {
	view := &sqltree.CreateView{
		Name:           []string{"s", "v"},
		Query:          &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Num("1"), Alias: "one"}}},
		Comment:        "it's",
		ColumnComments: []sqltree.ColumnComment{{Column: "one", Comment: "One"}},
	}
	duck, _ := sqltree.Render(view, duckdb.New())
	pg, _ := sqltree.Render(view, postgres.New())
	if !strings.HasPrefix(duck, `CREATE OR REPLACE VIEW "s"."v" AS`) || !strings.Contains(duck, `COMMENT ON VIEW "s"."v" IS 'it''s';`) {
		t.Errorf("duckdb:\n%s", duck)
	}
	// PostgreSQL cannot replace a view whose columns change: drop and create.
	if !strings.HasPrefix(pg, "DROP VIEW IF EXISTS \"s\".\"v\" CASCADE;\nCREATE VIEW \"s\".\"v\" AS") ||
		!strings.Contains(pg, `COMMENT ON COLUMN "s"."v"."one" IS 'One';`) {
		t.Errorf("postgres:\n%s", pg)
	}
}
