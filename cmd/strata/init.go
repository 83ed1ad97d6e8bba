package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/examples"
	"github.com/strata-analytics/strata/sampledata"
)

// runInit writes the example project into a new directory and generates
// its sample data, so the project builds at once.
func runInit(e *env, args []string) int {
	flags := newFlagSet("init", e)
	customers := flags.Int("customers", 2000, "customers in the sample data")
	var names []string
	for _, t := range examples.TemplateList {
		names = append(names, t.Name)
	}
	templateName := flags.String("template", "saas", "the project to start from: "+strings.Join(names, ", "))
	positional, err := parseCommand(flags, args)
	if err != nil {
		return e.flagError(err)
	}
	var tmpl *examples.Template
	for i := range examples.TemplateList {
		if examples.TemplateList[i].Name == *templateName {
			tmpl = &examples.TemplateList[i]
		}
	}
	if tmpl == nil {
		return e.fail(exitUsage, "init: no template %q (templates: %s)%s", *templateName, strings.Join(names, ", "), diag.DidYouMean(*templateName, names))
	}
	dir := e.project
	if len(positional) == 1 {
		dir = positional[0]
	} else if len(positional) > 1 {
		return e.fail(exitUsage, "init: give one directory")
	}
	if existing, _ := filepath.Glob(filepath.Join(dir, "*.hcl")); len(existing) > 0 {
		return e.fail(exitUsage, "init: %s already holds a project (%s); choose an empty directory", dir, existing[0])
	}
	err = fs.WalkDir(examples.Templates, tmpl.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := examples.Templates.ReadFile(path)
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(path[len(tmpl.Dir)+1:]))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		return e.fail(exitUsage, "init: %v", err)
	}
	if code := e.generateFor(tmpl, filepath.Join(dir, "data"), *customers, 1); code != exitOK {
		return code
	}
	if !e.json {
		fmt.Fprintf(e.stdout, "\nCreated a project in %s from template %s (%s). Next:\n", dir, tmpl.Name, tmpl.Description)
		fmt.Fprintf(e.stdout, "  strata --project %s test\n", dir)
		fmt.Fprintf(e.stdout, "  strata --project %s --as-of 2025-06-30 build\n", dir)
		if tmpl.Name == "saas" {
			fmt.Fprintf(e.stdout, "  strata --project %s --as-of 2025-06-30 show at_risk\n", dir)
		}
	}
	return exitOK
}

// generateFor writes a template's sample data: a shop's orders, or the
// SaaS data set.
func (e *env) generateFor(t *examples.Template, dir string, customers int, seed uint64) int {
	if t.Orders {
		return e.generateWith(sampledata.GenerateOrders, dir, customers, seed)
	}
	return e.generate(dir, customers, seed)
}

// runSampleData writes the sample SaaS dataset.
func runSampleData(e *env, args []string) int {
	flags := newFlagSet("sample-data", e)
	out := flags.String("out", "", "directory to write the CSV files to (required)")
	customers := flags.Int("customers", 2000, "customers to generate (1000000 for a benchmark-sized dataset)")
	seed := flags.Uint64("seed", 1, "random seed; the same seed gives the same files")
	if _, err := parseCommand(flags, args); err != nil {
		return e.flagError(err)
	}
	if *out == "" || *customers < 1 {
		return e.fail(exitUsage, "sample-data: --out DIR is required and --customers must be at least 1")
	}
	return e.generate(*out, *customers, *seed)
}

func (e *env) generate(dir string, customers int, seed uint64) int {
	return e.generateWith(sampledata.Generate, dir, customers, seed)
}

// generateWith writes sample data with one of sampledata's generators,
// and says what it wrote.
func (e *env) generateWith(generate func(string, sampledata.Options) (sampledata.Summary, error), dir string, customers int, seed uint64) int {
	started := time.Now()
	if !e.json {
		fmt.Fprintf(e.stderr, "generating sample data for %s customers in %s ...\n", formatCount(int64(customers)), dir)
	}
	summary, err := generate(dir, sampledata.Options{Customers: customers, Seed: seed})
	if err != nil {
		return e.fail(exitUsage, "generating sample data: %v", err)
	}
	if e.json {
		return e.printJSON(map[string]any{"dir": dir, "files": summary.Files, "seconds": time.Since(started).Seconds()})
	}
	for _, name := range sortedFileNames(summary.Files) {
		fmt.Fprintf(e.stdout, "  %-20s %12s rows\n", name, formatCount(int64(summary.Files[name])))
	}
	fmt.Fprintf(e.stdout, "  done in %.1fs\n", time.Since(started).Seconds())
	return exitOK
}

func sortedFileNames(m map[string]int) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
