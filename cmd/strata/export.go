package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/engine"
)

// runExport writes a segment's members as of as_of, or who entered and
// who exited it since a day, to a file, with the engine's own writers,
// for a CRM list or a spreadsheet. The file appears whole or not at all.
func runExport(e *env, args []string) int {
	fs := newFlagSet("export", e)
	out := fs.String("out", "", "the file to write (required)")
	format := fs.String("format", "", "csv, json or parquet (default: from the file's extension)")
	targetName := fs.String("target", "", "target to read from (default: the default target)")
	var since time.Time
	fs.Func("changes-since", "YYYY-MM-DD: write only who entered and who exited the segment since that day", func(s string) error {
		day, err := compiler.ParseAsOf(s)
		since = day
		return err
	})
	positional, err := parseCommand(fs, args)
	if err != nil {
		return e.flagError(err)
	}
	if len(positional) != 1 || *out == "" {
		return e.fail(exitUsage, "export: name one segment and the file, as in: strata export at_risk --out at_risk.csv")
	}
	if *format == "" {
		*format = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
	}
	if !slices.Contains(engine.ExportFormats, *format) {
		return e.fail(exitUsage, "export: unknown format %q; use --format with one of %s", *format, strings.Join(engine.ExportFormats, ", "))
	}
	ft, code := e.readForTarget(*targetName)
	if ft == nil {
		return code
	}
	l, t, compiled := ft.loaded, ft.target, ft.compiled
	o := findOutput(l.plan, positional[0])
	if o == nil || o.Kind != compiler.KindSegment {
		return e.fail(exitUsage, "export: no segment named %q; export writes a segment's members", positional[0])
	}
	var before *compiler.Plan
	if !since.IsZero() {
		asOf := e.asOf
		if asOf.IsZero() {
			asOf = time.Now().UTC().Truncate(24 * time.Hour)
		}
		if !since.Before(asOf) {
			return e.fail(exitUsage, "export: --changes-since %s is not before as_of %s", since.Format(time.DateOnly), asOf.Format(time.DateOnly))
		}
		e.asOf, asOf = since, e.asOf
		then, code := e.readProject()
		e.asOf = asOf
		if then == nil {
			return code
		}
		before = then.plan
	}
	query, err := compiler.RenderExport(l.plan, before, o.Name, ft.dialect, compiled.Place)
	if err != nil {
		return e.fail(exitInternal, "export: %v", err)
	}
	ctx := context.Background()
	started := time.Now()
	wh, err := engine.OpenExisting(ctx, t, e.project)
	if err != nil {
		return e.databaseError(err)
	}
	defer wh.Close()
	n, err := wh.Export(ctx, query, *format, *out)
	if err != nil {
		return e.fail(exitDatabase, "%v\nNo file was written; has `strata build` run?", err)
	}
	what := "members of " + o.Name
	if before != nil {
		what = "changes of " + o.Name + " since " + since.Format(time.DateOnly)
	}
	if e.json {
		return e.printJSON(map[string]any{"view": o.Name, "file": *out, "format": *format, "rows": n, "changes": before != nil, "seconds": time.Since(started).Seconds()})
	}
	fmt.Fprintf(e.stdout, "Wrote %s rows (%s) to %s as %s in %.1fs.\n", formatCount(n), what, *out, *format, time.Since(started).Seconds())
	return exitOK
}
