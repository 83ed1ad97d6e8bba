package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/models"
)

// loaded is a project read from disk and planned.
type loaded struct {
	parsed *compiler.Parsed
	plan   *compiler.Plan
	// warnings are the project's warnings, which validate reports.
	warnings hcl.Diagnostics
}

// readProject reads every .hcl file under the project directory (hidden
// directories skipped) and plans the project. On errors it prints every
// diagnostic and returns nil.
func (e *env) readProject() (*loaded, int) {
	files, code := e.projectFiles()
	if files == nil {
		return nil, code
	}
	return e.load(files, e.asOf)
}

// load plans the project's files as of asOf (zero: live); on errors it
// prints every diagnostic and returns nil.
func (e *env) load(files []compiler.File, asOf time.Time) (*loaded, int) {
	parsed, plan, diags := compiler.Load(files, compiler.Options{AsOf: asOf})
	if plan == nil {
		e.printDiagnostics(parsed.Files, diags)
		return nil, exitInvalid
	}
	return &loaded{parsed: parsed, plan: plan, warnings: diags}, exitOK
}

// projectFiles reads every .hcl file under the project directory, hidden
// directories skipped; on a problem it says why and returns nil.
func (e *env) projectFiles() ([]compiler.File, int) {
	var files []compiler.File
	err := filepath.WalkDir(e.project, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != e.project && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".hcl") {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files = append(files, compiler.File{Name: path, Bytes: b})
		}
		return nil
	})
	if err != nil {
		return nil, e.fail(exitUsage, "reading project: %v", err)
	}
	if len(files) == 0 {
		return nil, e.fail(exitUsage, "no .hcl files in %s; create a project with `strata init DIR` or pass --project DIR", e.project)
	}
	return files, exitOK
}

// target picks the named target, or the project's default one.
func (e *env) target(l *loaded, name string) (*models.Target, int) {
	p := l.parsed.Project
	if name == "" {
		name = p.DefaultTarget
	}
	if name == "" && len(p.Targets) == 1 {
		name = p.Targets[0].Name
	}
	for _, t := range p.Targets {
		if t.Name == name {
			return t, exitOK
		}
	}
	if name == "" {
		return nil, e.fail(exitUsage, "the project has no default_target; pass --target NAME")
	}
	return nil, e.fail(exitUsage, "no target named %q", name)
}

// viewPath is the name of a view in the schema a target placed the
// views in (place, from compiler.TargetPlace), or in the project's schema
// where place is nil; name "" gives the schema's own path.
func viewPath(schema string, place []string, name string) []string {
	path := []string{schema}
	if place != nil {
		path = append([]string{}, place...)
	}
	if name != "" {
		path = append(path, name)
	}
	return path
}

// render renders the plan for a dialect, into the schema the target
// says (nil: the project's), printing diagnostics on failure.
func (e *env) render(l *loaded, dialect string, target *models.Target) (*compiler.Compiled, int) {
	d, ok := dialects.Lookup(dialect)
	if !ok {
		return nil, e.fail(exitUsage, "unknown dialect %q (known: %s)", dialect, strings.Join(dialects.Names(), ", "))
	}
	var place []string
	if target != nil {
		place = compiler.TargetPlace(l.parsed.Project, target, d)
	}
	compiled, diags := compiler.RenderAt(l.plan, d, place)
	if diags.HasErrors() {
		e.printDiagnostics(l.parsed.Files, diags)
		return nil, exitInvalid
	}
	return compiled, exitOK
}

// forTarget is a project rendered for one of its targets.
type forTarget struct {
	*loaded
	target   *models.Target
	compiled *compiler.Compiled
	dialect  dialects.Dialect
}

// readForTarget reads the project and renders it for the target named
// (the default target when name is ""), as the commands that run on a
// target need it; on a problem it returns nil and the exit code, having
// said why.
func (e *env) readForTarget(name string) (*forTarget, int) {
	l, code := e.readProject()
	if l == nil {
		return nil, code
	}
	return e.forTarget(l, name)
}

// forTarget is readForTarget for a project already read.
func (e *env) forTarget(l *loaded, name string) (*forTarget, int) {
	t, code := e.target(l, name)
	if t == nil {
		return nil, code
	}
	compiled, code := e.render(l, t.Dialect, t)
	if compiled == nil {
		return nil, code
	}
	d, _ := dialects.Lookup(t.Dialect)
	return &forTarget{loaded: l, target: t, compiled: compiled, dialect: d}, exitOK
}

// openTarget connects to a target's warehouse to read it (a DuckDB file
// must exist); on failure it says why and returns nil and the exit code.
func (e *env) openTarget(ft *forTarget) (engine.Warehouse, int) {
	wh, err := engine.OpenExisting(context.Background(), ft.target, e.project)
	if err != nil {
		return nil, e.databaseError(err)
	}
	return wh, exitOK
}

// jsonDiagnostic is the --json form of a diagnostic; it is built from the
// same hcl.Diagnostic as the text form, so the two never drift.
type jsonDiagnostic struct {
	Severity string     `json:"severity"`
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail,omitempty"`
	Range    *jsonRange `json:"range,omitempty"`
}

type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

func (e *env) printDiagnostics(files map[string]*hcl.File, diags hcl.Diagnostics) {
	diags = compiler.SortDiagnostics(diags)
	if e.json {
		out := struct {
			Diagnostics []jsonDiagnostic `json:"diagnostics"`
		}{Diagnostics: toJSONDiagnostics(diags)}
		e.printJSON(out)
		return
	}
	compiler.WriteDiagnostics(e.stderr, files, diags)
	errs := 0
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errs++
		}
	}
	fmt.Fprintf(e.stderr, "%d error(s). Nothing was compiled, written or built.\n", errs)
}

func toJSONDiagnostics(diags hcl.Diagnostics) []jsonDiagnostic {
	out := []jsonDiagnostic{}
	for _, d := range diags {
		jd := jsonDiagnostic{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
		}
		if d.Subject != nil {
			r := d.Subject
			jd.Range = &jsonRange{Filename: r.Filename,
				Start: jsonPos{r.Start.Line, r.Start.Column, r.Start.Byte},
				End:   jsonPos{r.End.Line, r.End.Column, r.End.Byte}}
		}
		out = append(out, jd)
	}
	return out
}
