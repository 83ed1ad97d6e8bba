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
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// DSNVariable names the environment variable holding the connection string
// of a PostgreSQL server the tests may create databases on.
const DSNVariable = "STRATA_TEST_PG_DSN"

var databaseCounter atomic.Int64

// Postgres returns the connection string of a new, empty database that is
// dropped when the test ends. Without a server it skips the test, except
// under CI (CI=true), where a missing server is a failure.
func Postgres(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(DSNVariable)
	if admin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL tests (.ci/run starts a server)", DSNVariable)
		}
		t.Skipf("SKIPPED: no PostgreSQL server (set %s to run this test against one)", DSNVariable)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connecting to PostgreSQL (%s): %v", DSNVariable, err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("strata_test_%d_%d", os.Getpid(), databaseCounter.Add(1))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
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
