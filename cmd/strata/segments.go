package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// segmentQuality is one segment's quality as of as_of, as strata segments
// prints it: the size of every segment (from the profile), the current
// period of segment_quality for a segment with a history, and the
// snapshots recorded of it.
type segmentQuality struct {
	Segment string `json:"segment"`
	Members int64  `json:"members"`
	// Share is of the profile's entities.
	Share float64 `json:"share"`
	// Period and the measures after it come from segment_quality: nil
	// for a segment without a history.
	Period          string      `json:"period,omitempty"`
	Entered         *int64      `json:"entered"`
	Exited          *int64      `json:"exited"`
	Retained        *jsonNumber `json:"retained"`
	MedianPeriodsIn *jsonNumber `json:"median_periods_in"`
	Measured        *jsonNumber `json:"measured"`
	Contactable     *jsonNumber `json:"contactable"`
	// LastSnapshot is the last day recorded before as_of; DefinitionChanged
	// says the definition differs from that day's.
	LastSnapshot      string `json:"last_snapshot,omitempty"`
	DefinitionChanged bool   `json:"definition_changed"`
	// BelowFloor lists the floors (min_size, expect) the current period
	// is below.
	BelowFloor []string `json:"below_floor"`
}

// runSegments prints every segment's quality as of as_of from the views
// a build created in the target: measurable, addressable, stable and
// consistent (docs/segments.md). It exits 1 when a segment is below one
// of its floors, as the build would fail.
func runSegments(e *env, args []string) int {
	fs := newFlagSet("segments", e)
	targetName := fs.String("target", "", "target whose views to read (default: the default target)")
	if _, err := parseCommand(fs, args); err != nil {
		return e.flagError(err)
	}
	ft, code := e.readForTarget(*targetName)
	if ft == nil {
		return code
	}
	l, place := ft.loaded, ft.compiled.Place
	ctx := context.Background()
	wh, code := e.openTarget(ft)
	if wh == nil {
		return code
	}
	defer wh.Close()
	run := func(q *sqltree.Select) (*engine.Rows, error) {
		sql, err := sqltree.RenderQuery(q, ft.dialect)
		if err != nil {
			return nil, err
		}
		return wh.Query(ctx, sql)
	}
	var list []*segmentQuality
	bySegment := map[string]*segmentQuality{}
	withHistory := false
	for _, ent := range l.plan.Model.Entities {
		p, err := summarizeProfile(run, l.plan, ent, place)
		if err != nil {
			return e.databaseError(fmt.Errorf("reading %s (has `strata build` created the views?): %w", check.ProfileView(ent), err))
		}
		for _, s := range p.Segments {
			q := &segmentQuality{Segment: s.Name, Members: s.Members, Share: share(s.Members, p.Entities) / 100, BelowFloor: []string{}}
			list = append(list, q)
			bySegment[s.Name] = q
		}
		for _, sg := range ent.Segments {
			withHistory = withHistory || sg.History != ""
		}
	}
	if withHistory {
		rows, err := run(currentQuality(l.parsed.Project.Schema, place))
		if err != nil {
			return e.databaseError(fmt.Errorf("reading %s: %w", check.AllQualityView, err))
		}
		for _, r := range rows.Values {
			q := bySegment[fmt.Sprint(r[0])]
			if q == nil {
				continue
			}
			q.Period = formatDate(r[1])
			q.Entered, q.Exited = intPtr(r[2]), intPtr(r[3])
			q.Retained, q.MedianPeriodsIn, q.Measured, q.Contactable = toFloat(r[4]), toFloat(r[5]), toFloat(r[6]), toFloat(r[7])
		}
	}
	snapshots, err := readSnapshots(ctx, wh, ft, run)
	if err != nil {
		return e.databaseError(err)
	}
	for name, last := range snapshots {
		if q := bySegment[name]; q != nil {
			q.LastSnapshot, q.DefinitionChanged = last.day, last.changed
		}
	}
	below := 0
	for _, ent := range l.plan.Model.Entities {
		for _, sg := range ent.Segments {
			q := bySegment[sg.Decl.Name]
			q.BelowFloor = belowFloors(sg.Decl, q)
			if len(q.BelowFloor) > 0 {
				below++
			}
		}
	}
	code = exitOK
	if below > 0 {
		code = exitInvalid
	}
	if e.json {
		e.printJSON(map[string]any{"target": ft.target.Name, "as_of": asOfText(l), "segments": list})
		return code
	}
	printSegments(e, list, asOfText(l))
	return code
}

// currentQuality reads the current period (the last) of every segment in
// segment_quality.
func currentQuality(schema string, place []string) *sqltree.Select {
	view := viewPath(schema, place, check.AllQualityView)
	latest := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: "segment"}, Alias: "segment"}, {X: sqltree.Call{Name: "MAX", Args: []sqltree.Expr{sqltree.Column{Name: "period"}}}, Alias: "period"}},
		From:    sqltree.Table{Path: view},
		GroupBy: []sqltree.Expr{sqltree.Column{Name: "segment"}},
	}
	q := &sqltree.Select{From: sqltree.Table{Path: view, Alias: "q"},
		Joins: []sqltree.Join{{Kind: "JOIN", Right: sqltree.Derived{Query: latest, Alias: "l"},
			On: sqltree.Binary{Op: "AND",
				Left:  sqltree.Binary{Op: "=", Left: sqltree.Column{Table: "q", Name: "segment"}, Right: sqltree.Column{Table: "l", Name: "segment"}},
				Right: sqltree.Binary{Op: "=", Left: sqltree.Column{Table: "q", Name: "period"}, Right: sqltree.Column{Table: "l", Name: "period"}}}}},
	}
	for _, c := range []string{"segment", "period", "entered", "exited", "retained", "median_periods_in", "measured", "contactable"} {
		q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Column{Table: "q", Name: c}, Alias: c})
	}
	return q
}

// lastSnapshot is a segment's last day recorded up to as_of, and whether
// its definition changed since: its fingerprint then was another.
type lastSnapshot struct {
	day, fingerprint string
	changed          bool
}

// readSnapshots reads, by segment, the last day recorded up to as_of when
// the target has the snapshot tables (strata snapshot creates them); an
// empty map when it has none.
func readSnapshots(ctx context.Context, wh engine.Warehouse, ft *forTarget, run func(*sqltree.Select) (*engine.Rows, error)) (map[string]lastSnapshot, error) {
	out := map[string]lastSnapshot{}
	days := viewPath(ft.parsed.Project.Schema, ft.compiled.Place, compiler.SnapshotSegmentsTable)
	exists, err := run(&sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "COUNT", Star: true}}},
		From:    sqltree.Table{Path: []string{"information_schema", "tables"}},
		Where: sqltree.Binary{Op: "AND",
			Left:  sqltree.Binary{Op: "=", Left: sqltree.Column{Name: "table_schema"}, Right: sqltree.Str(days[len(days)-2])},
			Right: sqltree.Binary{Op: "=", Left: sqltree.Column{Name: "table_name"}, Right: sqltree.Str(days[len(days)-1])}},
	})
	if err != nil {
		return nil, fmt.Errorf("looking for the snapshot table: %w", err)
	}
	if engine.Int(exists.Values[0][0]) == 0 {
		return out, nil
	}
	fingerprints, err := compiler.SegmentFingerprints(ft.plan, ft.dialect)
	if err != nil {
		return nil, err
	}
	lastSQL, err := compiler.RenderLastSnapshots(ft.plan, ft.compiled, ft.dialect)
	if err != nil {
		return nil, err
	}
	last, err := wh.Query(ctx, lastSQL)
	if err != nil {
		return nil, err
	}
	for _, r := range last.Values {
		name, fingerprint := fmt.Sprint(r[0]), fmt.Sprint(r[2])
		if now, ok := fingerprints[name]; ok {
			out[name] = lastSnapshot{day: formatDate(r[1]), fingerprint: fingerprint, changed: fingerprint != now}
		}
	}
	return out, nil
}

// belowFloors lists the floors the segment's current period is below; a
// measure without a value (retained in a first period) is below none.
func belowFloors(d *models.Segment, q *segmentQuality) []string {
	below := []string{}
	if q.Period == "" {
		return below
	}
	if d.MinSize > 0 && q.Members < int64(d.MinSize) {
		below = append(below, fmt.Sprintf("min_size = %d (members %d)", d.MinSize, q.Members))
	}
	for _, x := range d.Expect {
		var v *jsonNumber
		switch x.Measure {
		case "share":
			f := jsonNumber(q.Share)
			v = &f
		case "measured":
			v = q.Measured
		case "contactable":
			v = q.Contactable
		case "retained":
			v = q.Retained
		}
		if v != nil && float64(*v) < x.Min {
			below = append(below, fmt.Sprintf("%s = %s (is %s)", x.Measure, strconv.FormatFloat(x.Min, 'f', -1, 64), formatFloat(float64(*v))))
		}
	}
	return below
}

func printSegments(e *env, list []*segmentQuality, asOf string) {
	fmt.Fprintf(e.stdout, "Segments as of %s\n\n", asOf)
	pct := func(v *jsonNumber) string {
		if v == nil {
			return "-"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(*v))
	}
	count := func(v *int64) string {
		if v == nil {
			return "-"
		}
		return formatCount(*v)
	}
	fmt.Fprintf(e.stdout, "  %-28s %9s %7s %8s %7s %8s %9s %8s %11s  %s\n",
		"segment", "members", "share", "entered", "exited", "retained", "median in", "measured", "contactable", "snapshots")
	var notes, noHistory []string
	for _, q := range list {
		median := "-"
		if q.MedianPeriodsIn != nil {
			median = formatFloat(float64(*q.MedianPeriodsIn))
		}
		snap := "none recorded"
		if q.LastSnapshot != "" {
			snap = "last " + q.LastSnapshot
			if q.DefinitionChanged {
				snap += ", definition changed since"
			}
		}
		shareOf := jsonNumber(q.Share)
		fmt.Fprintf(e.stdout, "  %-28s %9s %7s %8s %7s %8s %9s %8s %11s  %s\n", q.Segment, formatCount(q.Members), pct(&shareOf),
			count(q.Entered), count(q.Exited), pct(q.Retained), median, pct(q.Measured), pct(q.Contactable), snap)
		if q.Period == "" {
			noHistory = append(noHistory, q.Segment)
		}
		for _, b := range q.BelowFloor {
			notes = append(notes, q.Segment+" is below its floor "+b+".")
		}
	}
	if len(noHistory) > 0 {
		notes = append(notes, "No history, so no stability (add history = month): "+strings.Join(noHistory, ", ")+".")
	}
	if len(notes) > 0 {
		fmt.Fprintln(e.stdout)
		fmt.Fprintln(e.stdout, strings.Join(notes, "\n"))
	}
	fmt.Fprintln(e.stdout, "\nEntered, exited and retained compare with the end of the period before; median in counts periods; segment_quality has every period.")
}

func intPtr(v any) *int64 {
	if v == nil {
		return nil
	}
	n := engine.Int(v)
	return &n
}

func asOfText(l *loaded) string {
	if l.plan.Model.AsOf.IsZero() {
		return "today"
	}
	return l.plan.Model.AsOf.Format("2006-01-02")
}
