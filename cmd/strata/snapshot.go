package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/engine"
)

// runSnapshot records today's members of every segment in the target's
// snapshot table, reading the segment views a build created: one
// transaction, which replaces that day's rows of an earlier run and
// leaves every other day's. `build --snapshot` does the same in the
// build's own transaction.
func runSnapshot(e *env, args []string) int {
	fs := newFlagSet("snapshot", e)
	targetName := fs.String("target", "", "target to record in (default: the default target)")
	if _, err := parseCommand(fs, args); err != nil {
		return e.flagError(err)
	}
	ft, code := e.readForTarget(*targetName)
	if ft == nil {
		return code
	}
	l, t, compiled := ft.loaded, ft.target, ft.compiled
	stmts, err := compiler.RenderSnapshot(l.plan, compiled, ft.dialect)
	if err != nil {
		return e.fail(exitInternal, "rendering the snapshot: %v", err)
	}
	ctx := context.Background()
	started := time.Now()
	wh, err := engine.Open(ctx, t, e.project)
	if err != nil {
		return e.databaseError(err)
	}
	defer wh.Close()
	if err := wh.Apply(ctx, stmts); err != nil {
		return e.fail(exitDatabase, "database error while %v\nThe database was left as it was before this command; has `strata build` created the segment views?", err)
	}
	// Definitions that changed since the last recorded day: a break in
	// those segments' history of snapshots.
	changesSQL, err := compiler.RenderSnapshotChanges(l.plan, compiled, ft.dialect)
	if err != nil {
		return e.fail(exitInternal, "rendering the snapshot: %v", err)
	}
	changes, err := wh.Query(ctx, changesSQL)
	if err != nil {
		return e.databaseError(err)
	}
	type changed struct {
		Segment string `json:"segment"`
		Since   string `json:"since"`
	}
	changedList := []changed{}
	for _, r := range changes.Values {
		name, _ := r[0].(string)
		changedList = append(changedList, changed{Segment: name, Since: formatDate(r[1])})
	}
	table := strings.Join(viewPath(l.parsed.Project.Schema, compiled.Place, compiler.SnapshotTable), ".")
	segments := 0
	for _, ent := range l.plan.Model.Entities {
		segments += len(ent.Segments)
	}
	asOf := "today"
	if !l.plan.Model.AsOf.IsZero() {
		asOf = l.plan.Model.AsOf.Format(time.DateOnly)
	}
	if e.json {
		return e.printJSON(map[string]any{"target": t.Name, "table": table, "segments": segments, "as_of": asOf,
			"changed_definitions": changedList, "seconds": time.Since(started).Seconds()})
	}
	fmt.Fprintf(e.stdout, "Recorded the members of %d segments as of %s in %s in %.1fs.\n", segments, asOf, table, time.Since(started).Seconds())
	for _, c := range changedList {
		fmt.Fprintf(e.stdout, "The definition of %s changed since %s, the last day recorded before: its history of snapshots breaks here.\n", c.Segment, c.Since)
	}
	return exitOK
}
