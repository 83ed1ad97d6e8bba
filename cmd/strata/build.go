package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/projecttest"
	"github.com/strata-analytics/strata/sqltree"
)

func runBuild(e *env, args []string) int {
	fs := newFlagSet("build", e)
	targetName := fs.String("target", "", "target to build (default: the default target)")
	quiet := fs.Bool("quiet", false, "print no progress")
	noSummary := fs.Bool("no-summary", false, "do not read the new views for the summary of segment sizes and metric totals")
	loadSeeds := fs.Bool("load-seeds", false, "also load seed files on a server target (they always load on DuckDB); this replaces the seed tables there")
	assert := fs.Bool("assert", false, "also check the project's assert blocks on the new views, in the same transaction: a failing error-severity assertion undoes the build")
	snapshot := fs.Bool("snapshot", false, "also record today's members of every segment in "+compiler.SnapshotTable+" (as `strata snapshot` does), in the same transaction")
	if _, err := parseCommand(fs, args); err != nil {
		return e.flagError(err)
	}
	ft, code := e.readForTarget(*targetName)
	if ft == nil {
		return code
	}
	l, t, compiled, d := ft.loaded, ft.target, ft.compiled, ft.dialect
	embedded := d.Needs().File
	ctx := context.Background()
	started := time.Now()
	wh, err := engine.Open(ctx, t, e.project)
	if err != nil {
		return e.databaseError(err)
	}
	defer wh.Close()
	in := engine.BuildInput{Project: l.parsed.Project, ProjectDir: e.project, Compiled: compiled,
		// Seeds are local sample data: on a real warehouse the tables
		// already exist and must not be replaced unless asked.
		LoadSeeds: embedded || *loadSeeds}
	if !*quiet && !e.json {
		in.Progress = func(step string) {
			fmt.Fprintf(e.stderr, "  [%5.1fs] %s\n", time.Since(started).Seconds(), step)
		}
	}
	if *snapshot {
		if in.Snapshot, err = compiler.RenderSnapshot(l.plan, compiled, d); err != nil {
			return e.fail(exitInternal, "rendering the snapshot: %v", err)
		}
	}
	var summary *buildSummary
	var asserted []*projecttest.AssertionResult
	failedAssertions := 0
	if !*noSummary || *assert {
		in.Summarize = func(query func(string) (*engine.Rows, error)) error {
			var err error
			if *assert {
				if asserted, err = projecttest.AssertWith(query, compiled, e.asOf); err != nil {
					return err
				}
				for _, a := range asserted {
					if !a.Passed && a.Severity == "error" {
						failedAssertions++
					}
				}
				if failedAssertions > 0 {
					return errAssertions
				}
			}
			if !*noSummary {
				summary, err = summarize(query, l.plan, t.Dialect, compiled.Place)
			}
			return err
		}
	}
	report, err := wh.Build(ctx, in)
	if errors.Is(err, errAssertions) {
		if e.json {
			e.printJSON(map[string]any{"target": t.Name, "built": false, "assertions": toJSONAssertions(asserted)})
		} else {
			printAssertions(e, ft, asserted)
			fmt.Fprintf(e.stdout, "\n%s failed: the build was undone, and the database is as it was.\n", plural(failedAssertions, "assertion"))
		}
		return exitInvalid
	}
	var failed *engine.DataError
	if errors.As(err, &failed) {
		// The data breaks a rule of the project: as bad input, reported
		// against the declaration that states the rule.
		e.printDiagnostics(l.parsed.Files, failed.Diagnostics)
		return exitInvalid
	}
	if err != nil {
		return e.databaseError(err)
	}
	where := "$" + t.ConnectionEnv
	if embedded {
		where = filepath.Join(e.project, t.Path)
	}
	if e.json {
		out := map[string]any{"target": t.Name, "database": where, "seeds": report.Seeds,
			"views": report.Views, "summary": summary, "seconds": time.Since(started).Seconds()}
		if *assert {
			out["assertions"] = toJSONAssertions(asserted)
		}
		return e.printJSON(out)
	}
	printSummary(e, summary, report, asOfText(l))
	if *assert {
		printAssertions(e, ft, asserted)
	}
	if *snapshot {
		fmt.Fprintf(e.stdout, "\nRecorded the members of every segment in %s.\n", strings.Join(viewPath(l.parsed.Project.Schema, compiled.Place, compiler.SnapshotTable), "."))
	}
	fmt.Fprintf(e.stdout, "\nBuilt %d views in schema %q of %s in %.1fs.\n", report.Views, strings.Join(viewPath(l.parsed.Project.Schema, compiled.Place, ""), "."), where, time.Since(started).Seconds())
	fmt.Fprintf(e.stdout, "Look at one with: strata --project %s show NAME\n", e.project)
	return exitOK
}

// errAssertions stops a build --assert whose assertions fail.
var errAssertions = errors.New("assertions failed")

func (e *env) databaseError(err error) int {
	var dbErr *engine.Error
	if errors.As(err, &dbErr) {
		return e.fail(exitDatabase, "database error while %v\nThe database was left as it was before this command.", err)
	}
	return e.fail(exitDatabase, "%v", err)
}

// buildSummary is what build shows: each segment's size and each
// profile's metrics, and the rows of the time views built as tables.
type buildSummary struct {
	Profiles []profileSummary `json:"profiles"`
	// TimeViews are the metric series, movements and cohorts built as
	// tables; views over time are not counted, since counting one
	// computes it.
	TimeViews []timeViewSummary `json:"time_views"`
	// UncountedViews is how many time views are views.
	UncountedViews int `json:"uncounted_time_views"`
	// Sources count each source's rows and quirks.
	Sources []sourceReport `json:"sources"`
}

// timeViewSummary is a table over time: its rows and, for a metric
// series, its latest period and value.
type timeViewSummary struct {
	View   string      `json:"view"`
	Kind   string      `json:"kind"`
	Rows   int64       `json:"rows"`
	Latest string      `json:"latest_period,omitempty"`
	Value  *jsonNumber `json:"latest_value,omitempty"`
}

type profileSummary struct {
	View     string           `json:"view"`
	Entities int64            `json:"entities"`
	Segments []segmentSummary `json:"segments"`
	Metrics  []metricSummary  `json:"metrics"`
}

type segmentSummary struct {
	Name    string           `json:"name"`
	View    string           `json:"view"`
	Members int64            `json:"members"`
	Tiers   map[string]int64 `json:"tiers,omitempty"`
	Order   []string         `json:"-"`
}

// metricSummary is a metric over the profile's entities. Total is nil
// for a metric whose values do not add up (ratios, averages, scores).
type metricSummary struct {
	Name    string      `json:"name"`
	Total   *jsonNumber `json:"total"`
	Average *jsonNumber `json:"average"`
}

// summarize reads what build shows from the views just created, with
// query, inside the build's transaction. It reads each profile once:
// one query counts every segment's and tier's members and aggregates
// every metric, so a profile view is computed once, not once per
// segment. Segment views and views over time are not read.
func summarize(query func(string) (*engine.Rows, error), plan *compiler.Plan, dialect string, place []string) (*buildSummary, error) {
	d, _ := dialects.Lookup(dialect)
	run := func(q *sqltree.Select) (*engine.Rows, error) {
		sql, err := sqltree.RenderQuery(q, d)
		if err != nil {
			return nil, err
		}
		return query(sql)
	}
	s := &buildSummary{Profiles: []profileSummary{}, TimeViews: []timeViewSummary{}}
	for _, ent := range plan.Model.Entities {
		p, err := summarizeProfile(run, plan, ent, place)
		if err != nil {
			return nil, err
		}
		s.Profiles = append(s.Profiles, *p)
	}
	for _, o := range plan.Outputs {
		switch o.Kind {
		case compiler.KindMetric, compiler.KindMovements, compiler.KindCohort, compiler.KindHistory:
		default:
			continue
		}
		if o.Materialized != models.Table {
			s.UncountedViews++
			continue
		}
		view := sqltree.Table{Path: o.View.Name}
		rows, err := run(&sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "COUNT", Star: true}}}, From: view})
		if err != nil {
			return nil, err
		}
		tv := timeViewSummary{View: o.Name, Kind: o.Kind, Rows: engine.Int(rows.Values[0][0])}
		if o.Kind == compiler.KindMetric && len(o.Columns) == 2 && tv.Rows > 0 {
			latest, err := run(&sqltree.Select{
				Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: "period"}}, {X: sqltree.Cast{X: sqltree.Column{Name: "value"}, Type: sqltree.Number}}},
				From:    view, OrderBy: []sqltree.OrderItem{{X: sqltree.Column{Name: "period"}, Desc: true}}, Limit: 1})
			if err != nil {
				return nil, err
			}
			tv.Latest, tv.Value = formatDate(latest.Values[0][0]), toFloat(latest.Values[0][1])
		}
		s.TimeViews = append(s.TimeViews, tv)
	}
	var err error
	s.Sources, err = readSourceReports(query, plan, dialect, false)
	return s, err
}

// summarizeProfile reads one entity's profile in one query: its rows,
// the members of each segment and tier (COUNT of a CASE, which every
// dialect has), and the total of each additive metric and the average
// of each numeric one.
func summarizeProfile(run func(*sqltree.Select) (*engine.Rows, error), plan *compiler.Plan, ent *check.Entity, place []string) (*profileSummary, error) {
	name := check.ProfileView(ent)
	p := &profileSummary{View: name}
	q := &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "COUNT", Star: true}}},
		From: sqltree.Table{Path: viewPath(plan.Project.Schema, place, name)}}
	countWhere := func(cond sqltree.Expr) {
		when := sqltree.Case{Whens: []sqltree.When{{Cond: cond, Then: sqltree.Num("1")}}}
		q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Call{Name: "COUNT", Args: []sqltree.Expr{when}}})
	}
	for _, sg := range ent.Segments {
		col := sqltree.Column{Name: sg.Decl.Name}
		seg := segmentSummary{Name: sg.Decl.Name, View: check.SegmentView(sg)}
		if sg.Type != models.TypeString {
			countWhere(col)
		} else {
			seg.Tiers = map[string]int64{}
			for _, t := range sg.Decl.Tiers {
				seg.Order = append(seg.Order, t.Name)
				countWhere(sqltree.Binary{Op: "=", Left: col, Right: sqltree.Str(t.Name)})
			}
		}
		p.Segments = append(p.Segments, seg)
	}
	var numeric []*check.Metric
	for _, m := range ent.Metrics {
		if !m.Type.IsNumeric() {
			continue
		}
		numeric = append(numeric, m)
		x := sqltree.Cast{X: sqltree.Column{Name: m.Decl.Name}, Type: sqltree.Number}
		q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Call{Name: "AVG", Args: []sqltree.Expr{x}}})
		if m.Additive {
			q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Call{Name: "SUM", Args: []sqltree.Expr{x}}})
		}
	}
	rows, err := run(q)
	if err != nil {
		return nil, err
	}
	values := rows.Values[0]
	next := func() any { v := values[0]; values = values[1:]; return v }
	p.Entities = engine.Int(next())
	for i := range p.Segments {
		seg := &p.Segments[i]
		if seg.Tiers == nil {
			seg.Members = engine.Int(next())
			continue
		}
		for _, t := range seg.Order {
			seg.Tiers[t] = engine.Int(next())
			seg.Members += seg.Tiers[t]
		}
	}
	for _, m := range numeric {
		ms := metricSummary{Name: m.Decl.Name, Average: toFloat(next())}
		if m.Additive {
			ms.Total = toFloat(next())
		}
		p.Metrics = append(p.Metrics, ms)
	}
	return p, nil
}

func formatDate(v any) string {
	if t, ok := v.(time.Time); ok {
		return t.Format(time.DateOnly)
	}
	return fmt.Sprint(v)
}

func printSummary(e *env, s *buildSummary, report *engine.BuildReport, asOf string) {
	for _, seed := range report.Seeds {
		fmt.Fprintf(e.stdout, "seed %-20s %10s rows  (%s)\n", seed.Source, formatCount(seed.Rows), seed.File)
	}
	if s == nil {
		return
	}
	for _, p := range s.Profiles {
		fmt.Fprintf(e.stdout, "\n%s: %s entities\n", p.View, formatCount(p.Entities))
		if len(p.Segments) > 0 {
			fmt.Fprintln(e.stdout, "\n  segment                          members   share")
			for _, seg := range p.Segments {
				fmt.Fprintf(e.stdout, "  %-30s %9s  %5.1f%%\n", seg.Name, formatCount(seg.Members), share(seg.Members, p.Entities))
				for _, tier := range seg.Order {
					fmt.Fprintf(e.stdout, "    %-28s %9s  %5.1f%%\n", tier, formatCount(seg.Tiers[tier]), share(seg.Tiers[tier], p.Entities))
				}
			}
		}
		if len(p.Metrics) > 0 {
			fmt.Fprintln(e.stdout, "\n  metric                               total        average")
			for _, m := range p.Metrics {
				total := "-"
				if m.Total != nil {
					total = formatAmount(m.Total)
				}
				fmt.Fprintf(e.stdout, "  %-28s %14s %14s\n", m.Name, total, formatAmount(m.Average))
			}
		}
	}
	if len(s.TimeViews) > 0 {
		fmt.Fprintln(e.stdout, "\n  table over time                           rows   latest")
		for _, tv := range s.TimeViews {
			latest := ""
			if tv.Latest != "" {
				latest = tv.Latest + "  " + formatAmount(tv.Value)
			}
			fmt.Fprintf(e.stdout, "  %-38s %7s   %s\n", tv.View, formatCount(tv.Rows), latest)
		}
	}
	if s.UncountedViews > 0 {
		fmt.Fprintf(e.stdout, "\n%d views over time are computed when read, so they are not counted here.\n", s.UncountedViews)
	}
	printSourceReports(e, s.Sources, asOf, true)
}

func share(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}
