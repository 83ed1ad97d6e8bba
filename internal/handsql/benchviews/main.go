// Command benchviews times the example project's profile and segment
// views against the hand-written SQL of internal/handsql on the same
// DuckDB, over the sample data generator's customers (1M by default).
// `make bench` runs it.
//
// Each view is counted (SELECT count(*)), as a BI tool's tile would read
// it; each figure is the median of several rounds, Strata and the
// hand-written query alternating so that both see the same caches. The
// member counts must agree, or the command fails.
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

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/handsql"
)

func main() {
	customers := flag.Int("customers", 1000000, "customers to generate")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "strata-bench-revenue"), "working directory (data is generated once)")
	rounds := flag.Int("rounds", 5, "rounds per view")
	only := flag.String("views", "*", "a glob: time only the views it matches")
	flag.Parse()
	if err := run(*customers, *dir, *rounds, *only); err != nil {
		fmt.Fprintln(os.Stderr, "benchviews:", err)
		os.Exit(1)
	}
}

func run(customers int, dir string, rounds int, only string) error {
	project, err := handsql.BenchProject(dir, "example", customers)
	if err != nil {
		return err
	}
	var files []compiler.File
	paths, _ := filepath.Glob("examples/saas/*.hcl")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files = append(files, compiler.File{Name: filepath.Base(p), Bytes: b})
	}
	if len(files) == 0 {
		return fmt.Errorf("run from the repository's root: examples/saas has no .hcl files here")
	}
	_, plan, diags := compiler.Load(files, compiler.Options{AsOf: compiler.MustAsOf("2025-06-30")})
	if plan == nil {
		return diags
	}
	d, _ := dialects.Lookup("duckdb")
	compiled, diags := compiler.Render(plan, d)
	if diags.HasErrors() {
		return diags
	}
	wh, err := engine.OpenDuckDB(filepath.Join(project, "example.duckdb"))
	if err != nil {
		return err
	}
	defer wh.Close()
	fmt.Printf("loading seeds and creating views in %s\n", project)
	if _, err := wh.Build(context.Background(), engine.BuildInput{Project: plan.Project, ProjectDir: project, Compiled: compiled, LoadSeeds: true}); err != nil {
		return err
	}
	db := wh.DB()

	type pair struct{ view, byHand string }
	pairs := []pair{{"customer_profile", handsql.Profile}}
	for _, s := range handsql.Segments {
		pairs = append(pairs, pair{"segment_" + s.Segment, s.Query})
	}
	pairs = append(pairs, pair{"segment_touch_model_history", handsql.TouchModelHistory}, pair{"segment_advocates_history", handsql.AdvocatesHistory}, pair{"segment_at_risk_history", handsql.AtRiskHistory})
	fmt.Printf("\n%-36s %9s %9s %7s %10s  (count(*), median of %d, %d customers)\n", "view", "strata", "by hand", "ratio", "rows", rounds, customers)
	for _, p := range pairs {
		if matched, err := filepath.Match(only, p.view); err != nil || !matched {
			continue
		}
		var s, h []time.Duration
		var rows int64
		for i := 0; i < rounds; i++ {
			t, n, err := count(db, "SELECT * FROM analytics."+p.view)
			if err != nil {
				return err
			}
			s, rows = append(s, t), n
			t, m, err := count(db, p.byHand)
			if err != nil {
				return err
			}
			if m != n {
				return fmt.Errorf("%s has %d rows, the hand-written SQL %d", p.view, n, m)
			}
			h = append(h, t)
		}
		ms, mh := median(s), median(h)
		fmt.Printf("%-36s %8.2fs %8.2fs %7.2f %10d\n", p.view, ms.Seconds(), mh.Seconds(), ms.Seconds()/mh.Seconds(), rows)
	}
	return nil
}

func count(db *sql.DB, query string) (time.Duration, int64, error) {
	start := time.Now()
	var n int64
	if err := db.QueryRow("SELECT count(*) FROM (" + query + ") AS q").Scan(&n); err != nil {
		return 0, 0, fmt.Errorf("%w\n%s", err, query)
	}
	return time.Since(start), n, nil
}

func median(ds []time.Duration) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}
