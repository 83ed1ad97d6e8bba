package compiler_test

import (
	"fmt"
	"runtime/debug"
	"testing"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/internal/memory"
	"github.com/strata-analytics/strata/internal/synthetic"
)

// BenchmarkCompile compiles synthetic projects of 1k, 10k and 100k metric
// and segment definitions for every dialect: parse, plan, render, with
// the garbage collector tuned as the command line tunes it (GOGC and
// GOMEMLIMIT, when set, win). `make bench` runs it; README.md records the
// figures.
func BenchmarkCompile(b *testing.B) {
	tuneLikeTheCLI(b)
	for _, n := range []int{1000, 10000, 100000} {
		files := synthetic.Project(n)
		b.Run(fmt.Sprintf("definitions=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				compileAll(b, files)
			}
		})
	}
}

// tuneLikeTheCLI sets the collector as the command line does for the
// rest of the benchmark.
func tuneLikeTheCLI(b *testing.B) {
	percent := debug.SetGCPercent(100) // reads the setting; put back below
	debug.SetGCPercent(percent)
	limit := debug.SetMemoryLimit(-1) // a negative limit only reads it
	memory.Tune()
	b.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
}

// load loads a synthetic project, which must be valid.
func load(b *testing.B, files []compiler.File) *compiler.Plan {
	parsed, plan, diags := compiler.Load(files, compiler.Options{AsOf: compiler.MustAsOf("2025-06-30")})
	if plan == nil {
		var buf fmtBuffer
		compiler.WriteDiagnostics(&buf, parsed.Files, diags)
		b.Fatalf("synthetic project is invalid:\n%s", buf.String())
	}
	return plan
}

func compileAll(b *testing.B, files []compiler.File) {
	plan := load(b, files)
	for _, name := range dialects.Names() {
		d, _ := dialects.Lookup(name)
		if _, diags := compiler.Render(plan, d); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

type fmtBuffer struct{ s []byte }

func (f *fmtBuffer) Write(p []byte) (int, error) { f.s = append(f.s, p...); return len(p), nil }
func (f *fmtBuffer) String() string              { return string(f.s) }

// BenchmarkOneEntity is the shape real projects have: every metric and
// segment on one entity. The compiler must stay linear in it.
func BenchmarkOneEntity(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		files := synthetic.OneEntity(n)
		b.Run(fmt.Sprintf("definitions=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				compileAll(b, files)
			}
		})
	}
}

// BenchmarkRender renders the 10k-definition synthetic project, loaded
// once, for each dialect: rendering alone, without parsing and planning.
func BenchmarkRender(b *testing.B) {
	plan := load(b, synthetic.Project(10000))
	for _, name := range dialects.Names() {
		d, _ := dialects.Lookup(name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, diags := compiler.Render(plan, d); diags.HasErrors() {
					b.Fatal(diags)
				}
			}
		})
	}
}
