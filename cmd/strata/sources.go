package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/engine"
)

// sourceReport is what a source's data does that changes the numbers
// without an error (compiler.RenderSourceReports): rows of no entity,
// repeated keys, rows after as_of, empty cells.
type sourceReport struct {
	Source string `json:"source"`
	Table  string `json:"table"`
	// EntityOf names the entity declared from the table: its rows are
	// that entity's.
	EntityOf string `json:"entity_of,omitempty"`
	Rows     int64  `json:"rows"`
	// WithoutKey are the rows whose entity key is NULL: they belong to
	// no entity.
	WithoutKey *columnCount `json:"without_key,omitempty"`
	// DuplicateKey are the rows whose key an earlier row has.
	DuplicateKey *columnCount `json:"duplicate_key,omitempty"`
	// AfterAsOf are the rows dated after as_of.
	AfterAsOf *columnCount `json:"after_as_of,omitempty"`
	// Empty are the columns with NULL cells (blank in a seed file), in
	// declaration order.
	Empty []columnCount `json:"empty"`
}

type columnCount struct {
	Column string `json:"column"`
	Rows   int64  `json:"rows"`
}

// readSourceReports counts every source's rows and quirks, one query per
// source; every counts repeated primary keys of every source, not only of
// the tables entities are declared from.
func readSourceReports(query func(string) (*engine.Rows, error), plan *compiler.Plan, dialect string, every bool) ([]sourceReport, error) {
	d, _ := dialects.Lookup(dialect)
	rendered, err := compiler.RenderSourceReports(plan, d, every)
	if err != nil {
		return nil, err
	}
	out := []sourceReport{}
	for _, r := range rendered {
		rows, err := query(r.SQL)
		if err != nil {
			return nil, fmt.Errorf("counting the rows of source %q (%s): %w", r.Source, strings.Join(r.Table, "."), err)
		}
		row := rows.Values[0]
		rep := sourceReport{Source: r.Source, Table: strings.Join(r.Table, "."), EntityOf: r.EntityOf, Rows: engine.Int(row[0]), Empty: []columnCount{}}
		for i, m := range r.Measures {
			c := columnCount{Column: m.Column, Rows: engine.Int(row[i+1])}
			switch m.Kind {
			case compiler.MeasureWithoutKey:
				rep.WithoutKey = &c
			case compiler.MeasureDuplicateKey:
				rep.DuplicateKey = &c
			case compiler.MeasureAfterAsOf:
				rep.AfterAsOf = &c
			case compiler.MeasureEmpty:
				if c.Rows > 0 {
					rep.Empty = append(rep.Empty, c)
				}
			}
		}
		out = append(out, rep)
	}
	return out, nil
}

// quirks are the sentences that say what a source's data does to the
// numbers; none for a source without quirks. entity names what the key
// is of, asOf the day.
func (r sourceReport) quirks(asOf string) []string {
	var out []string
	of := func(n int64) string { return formatCount(n) + " of " + formatCount(r.Rows) + " rows" }
	if c := r.WithoutKey; c != nil && c.Rows > 0 && r.EntityOf != "" {
		out = append(out, fmt.Sprintf("%s have no %s: each is a %s without a key in %s_profile, counted in its segments and totals.", of(c.Rows), c.Column, r.EntityOf, r.EntityOf))
	} else if c != nil && c.Rows > 0 {
		out = append(out, fmt.Sprintf("%s have no %s: they belong to no entity, so no profile, segment, breakdown or cohort counts them.", of(c.Rows), c.Column))
	}
	if c := r.DuplicateKey; c != nil && c.Rows > 0 && r.EntityOf != "" {
		out = append(out, fmt.Sprintf("%s repeat a %s another row has: %s_profile has a row per repeat, so that %s counts twice.", of(c.Rows), c.Column, r.EntityOf, r.EntityOf))
	} else if c != nil && c.Rows > 0 {
		out = append(out, fmt.Sprintf("%s repeat a %s another row has (its primary key).", of(c.Rows), c.Column))
	}
	if c := r.AfterAsOf; c != nil && c.Rows > 0 {
		out = append(out, fmt.Sprintf("%s are dated (%s) after as_of, %s: no metric counts them.", of(c.Rows), c.Column, asOf))
	}
	if len(r.Empty) > 0 {
		var cols []string
		for _, c := range r.Empty {
			cols = append(cols, fmt.Sprintf("%s %s", c.Column, formatCount(c.Rows)))
		}
		out = append(out, "empty (NULL) cells: "+strings.Join(cols, ", ")+".")
	}
	return out
}

// printSourceReports prints each source's rows and its quirks; with
// onlyQuirks, the sources that have some.
func printSourceReports(e *env, reports []sourceReport, asOf string, onlyQuirks bool) {
	for _, r := range reports {
		quirks := r.quirks(asOf)
		if onlyQuirks && len(quirks) == 0 {
			continue
		}
		fmt.Fprintf(e.stdout, "\nsource %s (%s): %s rows\n", r.Source, r.Table, formatCount(r.Rows))
		for _, q := range quirks {
			fmt.Fprintf(e.stdout, "  %s\n", q)
		}
	}
}

// runSources counts what every source's data does to the numbers, in the
// target's tables, as build does after creating the views.
func runSources(e *env, args []string) int {
	fs := newFlagSet("sources", e)
	targetName := fs.String("target", "", "target whose tables to read (default: the default target)")
	if _, err := parseCommand(fs, args); err != nil {
		return e.flagError(err)
	}
	ft, code := e.readForTarget(*targetName)
	if ft == nil {
		return code
	}
	ctx := context.Background()
	wh, code := e.openTarget(ft)
	if wh == nil {
		return code
	}
	defer wh.Close()
	reports, err := readSourceReports(func(sql string) (*engine.Rows, error) { return wh.Query(ctx, sql) }, ft.plan, ft.target.Dialect, true)
	if err != nil {
		return e.databaseError(fmt.Errorf("%w (has `strata build` loaded the seeds?)", err))
	}
	if e.json {
		return e.printJSON(map[string]any{"target": ft.target.Name, "as_of": asOfText(ft.loaded), "sources": reports})
	}
	printSourceReports(e, reports, asOfText(ft.loaded), false)
	return exitOK
}
