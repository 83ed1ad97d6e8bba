// Command benchcompile measures the compiler on the shape real projects
// have: one entity with n metrics and segments (synthetic.OneEntity), for
// each n asked. For each size it reports, as medians of the rounds:
//
//   - hclsyntax alone: hclsyntax.ParseConfig on every file, one after the
//     other, in this process: the floor any HCL tool pays;
//   - Load (parse, decode, check, plan) and Render for one dialect, in
//     this process, and the memory they allocate;
//   - `strata validate` and `strata compile --dialect duckdb` from the
//     command line: wall time and peak resident memory; compile into a
//     new directory each round, then once more into the first one, whose
//     files are all unchanged (recompile);
//   - writing the compiled files alone: os.WriteFile of the same files
//     into a new directory, one after the other (compile writes four at
//     a time), what the disk alone takes for compile's output.
//
// Nothing is deleted until every size is measured: on ext4 without a
// journal, as this project's machine has, creating files within minutes
// of deleting many crawls (the allocator skips inodes freed in the last
// 60 to 360 seconds), which would charge one size's clean-up to the next.
//
// Then the ratios the compiler must keep: Load+Render against hclsyntax
// alone, and the growth of each from one size to the next. It is for
// benchmarks only (make bench-one-entity).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/internal/memory"
	"github.com/strata-analytics/strata/internal/synthetic"
)

type result struct {
	n                      int
	parse, load, render    time.Duration
	allocated              uint64
	validate, compile      time.Duration
	recompile              time.Duration
	validateRSS, compileKB int64
	write                  time.Duration
	files                  int
}

func main() {
	sizes := flag.String("sizes", "1000,10000,100000,300000", "definition counts, comma-separated")
	rounds := flag.Int("rounds", 3, "rounds per measurement; the median is reported")
	bin := flag.String("bin", "bin/strata", "the strata binary")
	flag.Parse()
	// The same collector settings as the command line.
	memory.Tune()
	var results []result
	var dirs []string
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			fail(err)
		}
		r, dir := measure(n, *rounds, *bin)
		results, dirs = append(results, r), append(dirs, dir)
		fmt.Fprintf(os.Stderr, "%d definitions done\n", n)
	}
	report(results)
	for _, dir := range dirs {
		os.RemoveAll(dir)
	}
}

// measure measures one size; the directory it wrote to is the caller's
// to delete.
func measure(n, rounds int, bin string) (result, string) {
	debug.FreeOSMemory() // the last size's heap, out of the commands' way
	r := result{n: n}
	files := synthetic.OneEntity(n)
	dir, err := os.MkdirTemp("", "strata-one-entity-")
	if err != nil {
		fail(err)
	}
	project := filepath.Join(dir, "project")
	if err := os.MkdirAll(project, 0o755); err != nil {
		fail(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(project, f.Name), f.Bytes, 0o644); err != nil {
			fail(err)
		}
	}
	// The command line first, while this process holds little memory.
	args := []string{"--project", project, "--as-of", "2025-06-30"}
	r.validate, r.validateRSS = command(rounds, bin, func(int) []string { return append(args, "validate") })
	out := func(round int) string { return filepath.Join(dir, "sql-"+strconv.Itoa(round)) }
	r.compile, r.compileKB = command(rounds, bin, func(round int) []string {
		return append(args, "compile", "--dialect", "duckdb", "--out", out(round))
	})
	r.recompile, _ = command(1, bin, func(int) []string { return append(args, "compile", "--dialect", "duckdb", "--out", out(0)) })
	r.write, r.files = writeFloor(rounds, out(0), filepath.Join(dir, "copy"))

	d, _ := dialects.Lookup("duckdb")
	syscall.Sync() // as in command
	var parse, load, render []time.Duration
	for i := 0; i < rounds; i++ {
		runtime.GC()
		start := time.Now()
		for _, f := range files {
			if _, diags := hclsyntax.ParseConfig(f.Bytes, f.Name, hcl.InitialPos); diags.HasErrors() {
				fail(diags)
			}
		}
		parse = append(parse, time.Since(start))

		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		start = time.Now()
		_, plan, diags := compiler.Load(files, compiler.Options{AsOf: compiler.MustAsOf("2025-06-30")})
		if diags.HasErrors() {
			fail(diags)
		}
		load = append(load, time.Since(start))
		start = time.Now()
		if _, diags := compiler.Render(plan, d); diags.HasErrors() {
			fail(diags)
		}
		render = append(render, time.Since(start))
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		r.allocated = after.TotalAlloc - before.TotalAlloc
	}
	r.parse, r.load, r.render = median(parse), median(load), median(render)
	return r, dir
}

// writeFloor writes the files of the compiled directory from into a new
// directory, one after the other, as plainly as Go can: the time the disk
// alone takes for compile's output.
func writeFloor(rounds int, from, to string) (time.Duration, int) {
	entries, err := os.ReadDir(from)
	if err != nil {
		fail(err)
	}
	contents := make([][]byte, len(entries))
	for i, e := range entries {
		if contents[i], err = os.ReadFile(filepath.Join(from, e.Name())); err != nil {
			fail(err)
		}
	}
	var walls []time.Duration
	for i := 0; i < rounds; i++ {
		syscall.Sync() // as in command
		round := to + "-" + strconv.Itoa(i)
		start := time.Now()
		if err := os.Mkdir(round, 0o755); err != nil {
			fail(err)
		}
		for j, e := range entries {
			if err := os.WriteFile(filepath.Join(round, e.Name()), contents[j], 0o644); err != nil {
				fail(err)
			}
		}
		walls = append(walls, time.Since(start))
	}
	return median(walls), len(entries)
}

// command runs the command line rounds times, with the arguments for each
// round: the median wall time and the largest peak resident memory, in KB.
func command(rounds int, bin string, args func(round int) []string) (time.Duration, int64) {
	var walls []time.Duration
	var peak int64
	for i := 0; i < rounds; i++ {
		// The files the last round wrote reach the disk first, so that
		// the kernel's writing them back does not share the cores with
		// this round.
		syscall.Sync()
		cmd := exec.Command(bin, args(i)...)
		cmd.Stderr = os.Stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			fail(fmt.Errorf("%s %s: %v", bin, strings.Join(args(i), " "), err))
		}
		walls = append(walls, time.Since(start))
		if u, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peak = max(peak, u.Maxrss)
		}
	}
	return median(walls), peak
}

func report(rs []result) {
	fmt.Println("| definitions | hclsyntax alone | Load | Render (duckdb) | Load+Render / hclsyntax | allocated | validate | peak RSS | compile | peak RSS | recompile, unchanged | files | writing them alone |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		fmt.Printf("| %s | %s | %s | %s | %.2fx | %s | %s | %s | %s | %s | %s | %s | %s |\n", count(r.n), secs(r.parse), secs(r.load), secs(r.render),
			float64(r.load+r.render)/float64(r.parse), bytes(r.allocated), secs(r.validate), kb(r.validateRSS), secs(r.compile), kb(r.compileKB),
			secs(r.recompile), count(r.files), secs(r.write))
	}
	fmt.Println()
	fmt.Println("| growth | definitions | hclsyntax alone | Load+Render | validate | compile |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	for i := 1; i < len(rs); i++ {
		a, b := rs[i-1], rs[i]
		fmt.Printf("| %s to %s | %.1fx | %.2fx | %.2fx | %.2fx | %.2fx |\n", count(a.n), count(b.n), float64(b.n)/float64(a.n),
			ratio(b.parse, a.parse), ratio(b.load+b.render, a.load+a.render), ratio(b.validate, a.validate), ratio(b.compile, a.compile))
	}
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func secs(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func bytes(b uint64) string {
	if b >= 1<<30 {
		return fmt.Sprintf("%.1f GB", float64(b)/(1<<30))
	}
	return fmt.Sprintf("%d MB", b>>20)
}

func kb(k int64) string {
	if k >= 1<<20 {
		return fmt.Sprintf("%.1f GB", float64(k)/(1<<20))
	}
	return fmt.Sprintf("%d MB", k>>10)
}

func count(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func fail(v any) {
	fmt.Fprintln(os.Stderr, "benchcompile:", v)
	os.Exit(1)
}
