// Command benchrevenue times Strata's revenue views against the
// hand-written SQL of internal/handsql on the same DuckDB: monthly MRR,
// MRR movements and a 24-month cohort matrix over the sample data
// generator's customers (1M by default). `make bench` runs it.
//
// Each query is materialized (CREATE TABLE AS) so that the whole result is
// computed; the figure per query is the median of several rounds, run in
// alternation so that both sides see the same caches.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	_ "github.com/marcboeker/go-duckdb/v2"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/handsql"
)

const asOf = "2025-06-30"

func main() {
	customers := flag.Int("customers", 1000000, "customers to generate")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "strata-bench-revenue"), "working directory (data is generated once)")
	rounds := flag.Int("rounds", 3, "rounds per query")
	flag.Parse()
	if err := run(*customers, *dir, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "benchrevenue:", err)
		os.Exit(1)
	}
}

func run(customers int, dir string, rounds int) error {
	project, err := handsql.BenchProject(dir, "project", customers)
	if err != nil {
		return err
	}
	_, plan, diags := compiler.Load([]compiler.File{{Name: "project.hcl", Bytes: []byte(handsql.Project)}}, compiler.Options{AsOf: compiler.MustAsOf(asOf)})
	if plan == nil {
		return diags
	}
	d, _ := dialects.Lookup("duckdb")
	compiled, diags := compiler.Render(plan, d)
	if diags.HasErrors() {
		return diags
	}
	path := filepath.Join(project, "revenue.duckdb")
	wh, err := engine.OpenDuckDB(path)
	if err != nil {
		return err
	}
	fmt.Printf("loading seeds and creating views in %s\n", path)
	if _, err := wh.Build(context.Background(), engine.BuildInput{Project: plan.Project, ProjectDir: project, Compiled: compiled, LoadSeeds: true}); err != nil {
		return err
	}
	db := wh.DB()
	db.SetMaxOpenConns(1)
	defer wh.Close()

	var strataTotal, handTotal time.Duration
	fmt.Printf("\n%-16s %10s %10s %7s  (median of %d, %d customers)\n", "view", "strata", "by hand", "ratio", rounds, customers)
	for _, v := range handsql.Views {
		var s, h []time.Duration
		for i := 0; i < rounds; i++ {
			t, err := timed(db, "SELECT * FROM analytics."+v.View)
			if err != nil {
				return err
			}
			s = append(s, t)
			if t, err = timed(db, handsql.At(v.Query, asOf)); err != nil {
				return err
			}
			h = append(h, t)
		}
		ms, mh := median(s), median(h)
		strataTotal += ms
		handTotal += mh
		fmt.Printf("%-16s %9.2fs %9.2fs %7.2f\n", v.View, ms.Seconds(), mh.Seconds(), ms.Seconds()/mh.Seconds())
	}
	fmt.Printf("%-16s %9.2fs %9.2fs %7.2f\n", "all three", strataTotal.Seconds(), handTotal.Seconds(), strataTotal.Seconds()/handTotal.Seconds())
	return nil
}

func timed(db *sql.DB, query string) (time.Duration, error) {
	if _, err := db.Exec("DROP TABLE IF EXISTS bench_result"); err != nil {
		return 0, err
	}
	start := time.Now()
	if _, err := db.Exec("CREATE TEMP TABLE bench_result AS " + query); err != nil {
		return 0, fmt.Errorf("%w\n%s", err, query)
	}
	return time.Since(start), nil
}

func median(ds []time.Duration) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}
