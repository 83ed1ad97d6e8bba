package compiler_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
)

// The fuzzed file is compiled beside the sources of one of the two
// families of golden cases (or alone), so that mutations of definitions
// meet declared sources, entities and columns.
var fuzzContexts = []string{
	"../fixtures/segment_logic/sources.hcl",     // customers, subscriptions, events, tickets, NPS
	"../fixtures/series_by_segment/sources.hcl", // the dated series data
	"",
}

// FuzzCompile compiles arbitrary HCL for every dialect. Whatever the
// input, the compiler returns (never panics, never hangs), reports its
// problems as diagnostics that print, gives the same output twice, and a
// project it accepts renders for every dialect or gets a diagnostic.
// `make test` runs the corpus and a short fuzzing run; `make fuzz` a long
// one. Inputs that once crashed are kept in testdata/fuzz/FuzzCompile.
func FuzzCompile(f *testing.F) {
	contexts := make([][]byte, len(fuzzContexts))
	for i, path := range fuzzContexts {
		if path == "" {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		contexts[i] = b
	}
	// Every golden case's definitions, with the context it was written for.
	cases, _ := filepath.Glob("../fixtures/*/project.hcl")
	for _, p := range cases {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		sources, _ := os.ReadFile(filepath.Join(filepath.Dir(p), "sources.hcl"))
		family := uint8(2)
		for i, c := range contexts {
			if c != nil && bytes.Equal(c, sources) {
				family = uint8(i)
			}
		}
		f.Add(family, b)
	}
	f.Fuzz(func(t *testing.T, family uint8, src []byte) {
		files := []compiler.File{{Name: "fuzz.hcl", Bytes: src}}
		if ctx := contexts[int(family)%len(contexts)]; ctx != nil {
			files = append(files, compiler.File{Name: "sources.hcl", Bytes: ctx})
		}
		// A hang is a failure too: the worker dies and the input is kept.
		timer := time.AfterFunc(30*time.Second, func() { panic(fmt.Sprintf("compiling took over 30s: family %d, %q", family, src)) })
		defer timer.Stop()
		parsed, plan, diags := compiler.Load(files, compiler.Options{AsOf: compiler.MustAsOf("2025-06-30")})
		if err := compiler.WriteDiagnostics(io.Discard, parsed.Files, diags); err != nil {
			t.Fatal(err)
		}
		if plan == nil {
			if !diags.HasErrors() {
				t.Fatal("no plan and no error")
			}
			return
		}
		for _, name := range dialects.Names() {
			d, _ := dialects.Lookup(name)
			first, diags := compiler.Render(plan, d)
			if diags.HasErrors() {
				continue // a feature the dialect lacks, reported
			}
			second, _ := compiler.Render(plan, d)
			if first.Script() != second.Script() {
				t.Fatalf("%s: two renderings differ", name)
			}
		}
	})
}
