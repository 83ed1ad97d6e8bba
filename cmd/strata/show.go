package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/sqltree"
)

func runShow(e *env, args []string) int {
	fs := newFlagSet("show", e)
	limit := fs.Int("limit", 20, "rows to print at most")
	targetName := fs.String("target", "", "target to read from (default: the default target)")
	positional, err := parseCommand(fs, args)
	if err != nil {
		return e.flagError(err)
	}
	if len(positional) != 1 {
		return e.fail(exitUsage, "show: name one view, segment or entity, as in: strata show at_risk")
	}
	if *limit < 1 {
		return e.fail(exitUsage, "show: --limit must be at least 1")
	}
	l, code := e.readProject()
	if l == nil {
		return code
	}
	out := findOutput(l.plan, positional[0])
	if out == nil {
		var names []string
		for _, o := range l.plan.Outputs {
			names = append(names, o.Name)
		}
		return e.fail(exitUsage, "show: no view, segment or entity named %q. Views: %s", positional[0], strings.Join(names, ", "))
	}
	t, code := e.target(l, *targetName)
	if t == nil {
		return code
	}
	d, _ := dialects.Lookup(t.Dialect)
	path := viewPath(l.parsed.Project.Schema, compiler.TargetPlace(l.parsed.Project, t, d), out.Name)
	ctx := context.Background()
	wh, err := engine.OpenExisting(ctx, t, e.project)
	if err != nil {
		return e.databaseError(err)
	}
	defer wh.Close()
	view := sqltree.Table{Path: path}
	countSQL, _ := sqltree.RenderQuery(&sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "COUNT", Star: true}}}, From: view}, d)
	total, err := wh.Query(ctx, countSQL)
	if err != nil {
		return e.fail(exitDatabase, "show: cannot read %s; has `strata build` run? (%v)", out.Name, err)
	}
	q := &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Star{}}}, From: view, Limit: *limit}
	// A view's own ORDER BY does not survive an outer query; ordering by
	// the leading columns (the key, or period and segment) is stable.
	for i, c := range out.Columns {
		if i == 3 {
			break
		}
		// A segment's history is read from its latest period: who just
		// entered or left.
		latestFirst := i == 0 && out.Kind == compiler.KindHistory
		q.OrderBy = append(q.OrderBy, sqltree.OrderItem{X: sqltree.Column{Name: c.Name}, Desc: latestFirst})
	}
	rowsSQL, _ := sqltree.RenderQuery(q, d)
	rows, err := wh.Query(ctx, rowsSQL)
	if err != nil {
		return e.databaseError(err)
	}
	n := engine.Int(total.Values[0][0])
	if e.json {
		values := make([][]any, len(rows.Values))
		for i, r := range rows.Values {
			values[i] = make([]any, len(r))
			for j, v := range r {
				values[i][j] = jsonValue(v)
			}
		}
		return e.printJSON(map[string]any{"view": out.Name, "columns": rows.Columns, "rows": values, "total_rows": n})
	}
	fmt.Fprint(e.stdout, strings.Join(path, "."))
	if out.Description != "" {
		fmt.Fprintf(e.stdout, ": %s", out.Description)
	}
	fmt.Fprintln(e.stdout)
	printTable(e.stdout, rows)
	fmt.Fprintf(e.stdout, "(%d of %s rows)\n", len(rows.Values), formatCount(n))
	return exitOK
}

// findOutput accepts a view name, a segment name or an entity name.
func findOutput(plan *compiler.Plan, name string) *compiler.Output {
	for _, candidate := range []string{name, "segment_" + strings.TrimPrefix(name, "segment."), name + "_profile"} {
		for _, o := range plan.Outputs {
			if o.Name == candidate {
				return o
			}
		}
	}
	return nil
}
