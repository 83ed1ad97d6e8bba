package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/parallel"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

func runValidate(e *env, args []string) int {
	fs := newFlagSet("validate", e)
	targetName := fs.String("target", "", "also compare each segment's definition with the last snapshot recorded in this target")
	if _, err := parseCommand(fs, args); err != nil {
		return e.flagError(err)
	}
	l, code := e.readProject()
	if l == nil {
		return code
	}
	// Check every dialect the project targets, so that a feature one
	// warehouse lacks is caught before CI compiles for it.
	used := map[string]bool{}
	for _, t := range l.parsed.Project.Targets {
		used[t.Dialect] = true
	}
	if len(used) == 0 {
		used[dialects.Default().Name()] = true
	}
	var dialectNames []string
	for d := range used {
		dialectNames = append(dialectNames, d)
	}
	sort.Strings(dialectNames)
	// Every dialect's problems at once; one that every dialect has is
	// printed once.
	perDialect := make([]hcl.Diagnostics, len(dialectNames))
	parallel.Do(len(dialectNames), func(i int) {
		d, _ := dialects.Lookup(dialectNames[i])
		perDialect[i] = compiler.CheckDialect(l.plan, d)
	})
	diags := append(hcl.Diagnostics{}, l.warnings...)
	for _, dialectDiags := range perDialect {
		diags = append(diags, dialectDiags...)
	}
	// Seed files: each exists and its header names the declared columns,
	// so that build does not fail on what validate could have read.
	for _, s := range l.parsed.Project.Sources {
		if s.Kind == models.KindSource && s.File != "" {
			_, seedDiags := engine.CheckSeed(s, e.project)
			for _, d := range seedDiags {
				if d.Summary == engine.SeedNotFound {
					d.Severity = hcl.DiagWarning
					d.Detail += " Build needs it; validate checks the header of each seed file that exists."
				}
			}
			diags = append(diags, seedDiags...)
		}
	}
	if diags.HasErrors() {
		e.printDiagnostics(l.parsed.Files, diags)
		return exitInvalid
	}
	if *targetName != "" {
		changed, code := e.changedSinceSnapshots(l, *targetName)
		if changed == nil {
			return code
		}
		diags = append(diags, changed...)
	}
	counts := map[string]int{}
	for _, o := range l.plan.Outputs {
		counts[o.Kind]++
	}
	if e.json {
		return e.printJSON(map[string]any{"valid": true, "dialects": dialectNames, "views": len(l.plan.Outputs), "by_kind": counts,
			"tests": len(l.parsed.Project.Tests), "assertions": len(l.parsed.Project.Assertions),
			"warnings": toJSONDiagnostics(compiler.SortDiagnostics(diags))})
	}
	if len(diags) > 0 {
		compiler.WriteDiagnostics(e.stderr, l.parsed.Files, compiler.SortDiagnostics(diags))
		fmt.Fprintln(e.stderr)
	}
	var parts []string
	for _, k := range []struct{ kind, plural string }{
		{compiler.KindModel, "models"}, {compiler.KindProfile, "profiles"}, {compiler.KindSegment, "segments"},
		{compiler.KindMetric, "metric series"}, {compiler.KindMovements, "movement views"}, {compiler.KindCohort, "cohorts"},
		{compiler.KindHistory, "segment history views"}, {compiler.KindOverlap, "overlap views"},
	} {
		if counts[k.kind] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k.kind], k.plural))
		}
	}
	checks := ""
	if n, m := len(l.parsed.Project.Tests), len(l.parsed.Project.Assertions); n+m > 0 {
		checks = fmt.Sprintf("; %s and %s", plural(n, "test"), plural(m, "assertion"))
	}
	fmt.Fprintf(e.stdout, "valid: %d views (%s), checked for %v%s\n", len(l.plan.Outputs), strings.Join(parts, ", "), dialectNames, checks)
	return exitOK
}

// changedSinceSnapshots is a warning for each segment whose definition
// differs from the one of its last snapshot recorded in the target: the
// next snapshot starts a break in its recorded history. nil with an exit
// code when the target cannot be read.
func (e *env) changedSinceSnapshots(l *loaded, targetName string) (hcl.Diagnostics, int) {
	ft, code := e.forTarget(l, targetName)
	if ft == nil {
		return nil, code
	}
	ctx := context.Background()
	wh, code := e.openTarget(ft)
	if wh == nil {
		return nil, code
	}
	defer wh.Close()
	snapshots, err := readSnapshots(ctx, wh, ft, func(q *sqltree.Select) (*engine.Rows, error) {
		sql, err := sqltree.RenderQuery(q, ft.dialect)
		if err != nil {
			return nil, err
		}
		return wh.Query(ctx, sql)
	})
	if err != nil {
		return nil, e.databaseError(err)
	}
	diags := hcl.Diagnostics{}
	for _, ent := range ft.plan.Model.Entities {
		for _, sg := range ent.Segments {
			last, ok := snapshots[sg.Decl.Name]
			if !ok || !last.changed {
				continue
			}
			r := sg.Decl.DeclRange
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Definition changed since the last snapshot",
				Detail: fmt.Sprintf("Segment %q was last recorded in target %q on %s under another definition (fingerprint %s). "+
					"The next strata snapshot records it under the new one, and its quality shows definition_changed for that period. "+
					"If the change is meant, say so in its review; else undo it.",
					sg.Decl.Name, ft.target.Name, last.day, last.fingerprint),
				Subject: &r,
			})
		}
	}
	return diags, exitOK
}
