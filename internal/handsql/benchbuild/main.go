// Command benchbuild times `strata build` of the example project over the
// sample data generator's customers (1M by default) and reports how much
// of the build the summary takes: the time from "summarising the views"
// to "committing" in the build's own progress lines, against the whole
// build's wall time. It is for benchmarks only (make bench-build).
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/strata-analytics/strata/internal/handsql"
)

func main() {
	customers := flag.Int("customers", 1000000, "customers to generate")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "strata-bench-revenue"), "working directory (data is generated once)")
	rounds := flag.Int("rounds", 3, "builds; the median is reported")
	bin := flag.String("bin", "bin/strata", "the strata binary")
	flag.Parse()
	if err := run(*customers, *dir, *rounds, *bin); err != nil {
		fmt.Fprintln(os.Stderr, "benchbuild:", err)
		os.Exit(1)
	}
}

// progress matches a build's progress line: "  [ 46.7s] committing".
var progress = regexp.MustCompile(`^\s*\[\s*([0-9.]+)s\] (.*)$`)

// afterSeeds is the first step after the seeds are loaded.
var afterSeeds = regexp.MustCompile(`^(replacing|creating) `)

func run(customers int, dir string, rounds int, bin string) error {
	project, err := handsql.BenchProject(dir, "build-example", customers)
	if err != nil {
		return err
	}
	paths, _ := filepath.Glob("examples/saas/*.hcl")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(project, filepath.Base(p)), b, 0o644); err != nil {
			return err
		}
	}
	var walls, summaries, seeds []float64
	for i := 0; i < rounds; i++ {
		var stderr bytes.Buffer
		cmd := exec.Command(bin, "--project", project, "--as-of", "2025-06-30", "build")
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build: %v\n%s", err, stderr.String())
		}
		wall := time.Since(start).Seconds()
		steps := map[string]float64{}
		var firstView float64 = -1
		sc := bufio.NewScanner(&stderr)
		for sc.Scan() {
			if m := progress.FindStringSubmatch(sc.Text()); m != nil {
				t, _ := strconv.ParseFloat(m[1], 64)
				steps[m[2]] = t
				if firstView < 0 && afterSeeds.MatchString(m[2]) {
					firstView = t
				}
			}
		}
		summarising, ok1 := steps["summarising the views"]
		committing, ok2 := steps["committing"]
		if !ok1 || !ok2 {
			return fmt.Errorf("build printed no summary or commit step:\n%s", stderr.String())
		}
		walls = append(walls, wall)
		summaries = append(summaries, committing-summarising)
		seeds = append(seeds, firstView)
		fmt.Printf("build %d: %.1f s, seeds %.1f s, summary %.2f s (%.1f%%)\n", i+1, wall, firstView, committing-summarising, 100*(committing-summarising)/wall)
	}
	wall, summary := median(walls), median(summaries)
	fmt.Printf("\nmedian of %d builds of the example at %d customers: %.1f s, seeds loaded in %.1f s, summary %.2f s = %.1f%% of the build\n",
		rounds, customers, wall, median(seeds), summary, 100*summary/wall)
	return nil
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}
