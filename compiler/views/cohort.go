package views

import (
	"strconv"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// Cohorts: entities grouped by the period they joined in, followed period
// by period (logo retention from activity, revenue retention from
// measures). docs/metrics.md gives the definitions and how they compare
// with PostHog's and Amplitude's.

// Columns of the CTEs of a cohort view.
const (
	cohortCol    = "cohort"       // first day of the joining period
	periodNumber = "period"       // 0 for the joining period
	periodStart  = "period_start" // first day of the period followed
)

// cohortPlan is one cohort view being planned.
type cohortPlan struct {
	*seriesPlan
	co  *check.Cohort
	ent *check.Entity
	// split is set when the cohort is split by a segment.
	split *check.Segment
}

func (p *planner) planCohort(co *check.Cohort) *Output {
	d := co.Decl
	grain, rng := co.Grain, co.GrainRange
	cp := &cohortPlan{seriesPlan: p.newSeriesPlan(grain, rng), co: co, ent: co.Entity, split: co.Split}
	measures := co.Measures
	members := cp.members()
	activity := cp.activity(measures)
	if cp.split != nil {
		members = cp.splitMembers(members)
	}
	matrix := cp.matrix(members, activity, measures)

	name := check.CohortView(co)
	out := &Output{Name: name, Kind: KindCohort, Description: d.Description, DeclRange: d.DeclRange}
	out.Columns = []OutputColumn{{Name: cohortCol, Type: models.TypeDate, Description: "First day of the " + string(grain) + " the members joined in."}}
	if cp.split != nil {
		out.Columns = append(out.Columns, OutputColumn{Name: segmentCol, Type: models.TypeString,
			Description: "The members' " + cp.split.Decl.Name + " at the end of their joining " + string(grain) + "."})
	}
	out.Columns = append(out.Columns,
		OutputColumn{Name: periodNumber, Type: models.TypeInteger, Description: string(grain) + "s since joining; 0 is the joining " + string(grain) + "."},
		OutputColumn{Name: spineDone, Type: models.TypeBoolean, Description: "False for the period that contains as_of: its numbers are not final."},
		OutputColumn{Name: "cohort_size", Type: models.TypeInteger, Description: "Members of the cohort."},
		OutputColumn{Name: "active", Type: models.TypeInteger, Description: "Members active in the period" + map[bool]string{true: " or a later one.", false: "."}[d.Retention == models.RetentionOnOrAfter]},
		OutputColumn{Name: "retention", Type: models.TypeNumber, Description: "active / cohort_size."},
	)
	for i, m := range measures {
		out.Columns = append(out.Columns,
			OutputColumn{Name: m.Decl.Name, Type: m.Type, Description: "Sum of " + m.Decl.Name + " over the members.", DeclRange: co.MeasureRanges[i]},
			OutputColumn{Name: m.Decl.Name + "_retention", Type: models.TypeNumber, Description: m.Decl.Name + " relative to period 0.", DeclRange: co.MeasureRanges[i]})
	}
	q := &sqltree.Select{From: sqltree.Table{Path: []string{cp.add(cp.cteName("matrix"), matrix)}}}
	for _, col := range out.Columns {
		q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Column{Name: col.Name}})
	}
	q.OrderBy = []sqltree.OrderItem{{X: sqltree.Column{Name: cohortCol}}}
	if cp.split != nil {
		q.OrderBy = append(q.OrderBy, sqltree.OrderItem{X: sqltree.Column{Name: segmentCol}})
	}
	q.OrderBy = append(q.OrderBy, sqltree.OrderItem{X: sqltree.Column{Name: periodNumber}})
	p.define(out, p.viewName(name), cp.query(q), d.Materialized)
	out.DependsOn = sortedKeys(cp.deps)
	return out
}

func col(table, name string) sqltree.Expr { return sqltree.Column{Table: table, Name: name} }

// firstDay is the day of the earliest of a date or timestamp column, for
// the start of a spine: a date, so that it compares with the dates it is
// coalesced with (BigQuery compares a TIMESTAMP with no DATE).
func firstDay(t sqltree.Expr) sqltree.Expr {
	return sqltree.Cast{X: sqltree.Call{Name: "MIN", Args: []sqltree.Expr{t}}, Type: sqltree.Date}
}

func eq(a, b sqltree.Expr) sqltree.Expr { return sqltree.Binary{Op: "=", Left: a, Right: b} }

// datedRows is the query over rel's rows up to as_of that match the
// optional condition, with the entity key and the row's time.
func (cp *cohortPlan) datedRows(rel *check.Relation, cond sqltree.Expr) (*sqltree.Select, sqltree.Expr, sqltree.Expr) {
	p := cp.p
	t := col(check.RowAlias, rel.Time.Name)
	// Only rows of the entity's members count: a row whose key is blank
	// or unknown to the entity is nobody's activity.
	q := &sqltree.Select{
		From: sqltree.Table{Path: rel.Path, Alias: check.RowAlias},
		Joins: []sqltree.Join{{Kind: "JOIN", Right: sqltree.Table{Path: cp.ent.Rel.Path, Alias: entityAlias},
			// One version of an entity with versions: the one of as_of.
			On: and(eq(col(entityAlias, cp.ent.Key.Name), col(check.RowAlias, rel.EntityKey)), p.validOn(cp.ent, binding{}))}},
		Where: sqltree.Binary{Op: "<", Left: t, Right: asTypeOf(rel.Time, p.date(check.AsOf{Days: 1, Range: cp.co.Decl.DeclRange}, binding{}))},
	}
	if cond != nil {
		q.Where = and(q.Where, p.bind(cond, binding{}))
	}
	cp.deps[rel.Ref()] = true
	cp.deps[cp.ent.Rel.Ref()] = true
	first := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: firstDay(t)}},
		From:    q.From,
		Joins:   q.Joins,
		Where:   q.Where,
	}
	cp.firsts = append(cp.firsts, sqltree.Subquery{Query: first})
	return q, col(check.RowAlias, rel.EntityKey), t
}

// conditionProfile plans the profile a condition over an entity's
// metrics and attributes reads, for the entity-periods where those
// metrics have rows, and returns it and the condition over its columns.
func (cp *cohortPlan) conditionProfile(cond sqltree.Expr, used []string, extra []string) (string, sqltree.Expr) {
	atUsed := false
	frame := binding{at: sqltree.Column{Name: frameAt}, atUsed: &atUsed, partition: []sqltree.Expr{sqltree.Column{Name: framePeriod}}, key: sqltree.Column{Name: frameKey}}
	rule := cp.p.bind(cond, frame)
	return cp.frameProfile(cp.ent, periodsWithRows, "", append(append([]string(nil), used...), extra...), atUsed), rule
}

// members plans (key, cohort): each member and its joining period.
func (cp *cohortPlan) members() string {
	p, ent, joined := cp.p, cp.ent, cp.co.Joined
	var q *sqltree.Select
	switch {
	case joined.Attribute != nil:
		t := col(entityAlias, joined.Attribute.Name)
		q = &sqltree.Select{
			Columns: []sqltree.SelectItem{{X: col(entityAlias, ent.Key.Name), Alias: keyCol}, {X: p.periodStart(cp.grain, t, cp.rng), Alias: cohortCol}},
			From:    sqltree.Table{Path: ent.Rel.Path, Alias: entityAlias},
			Where: and(sqltree.Binary{Op: "<", Left: t, Right: asTypeOf(joined.Attribute, p.date(check.AsOf{Days: 1, Range: cp.co.Decl.DeclRange}, binding{}))},
				p.validOn(ent, binding{})),
		}
		cp.firsts = append(cp.firsts, sqltree.Subquery{Query: &sqltree.Select{
			Columns: []sqltree.SelectItem{{X: firstDay(t)}},
			From:    q.From,
		}})
		cp.deps[ent.Rel.Ref()] = true
	case joined.Rows != nil:
		rows, key, t := cp.datedRows(joined.Rows, joined.RowsWhere)
		rows.Columns = []sqltree.SelectItem{{X: key, Alias: keyCol}, {X: p.periodStart(cp.grain, sqltree.Call{Name: "MIN", Args: []sqltree.Expr{t}}, cp.rng), Alias: cohortCol}}
		rows.GroupBy = []sqltree.Expr{key}
		q = rows
	default:
		profile, cond := cp.conditionProfile(joined.Condition, joined.Used, nil)
		q = &sqltree.Select{
			Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: frameKey}, Alias: keyCol},
				{X: sqltree.Call{Name: "MIN", Args: []sqltree.Expr{sqltree.Column{Name: framePeriod}}}, Alias: cohortCol}},
			From:    sqltree.Table{Path: []string{profile}},
			Where:   cond,
			GroupBy: []sqltree.Expr{sqltree.Column{Name: frameKey}},
		}
	}
	return cp.add(cp.cteName("members"), q)
}

// activitySource is where a cohort's activity comes from: rows (key,
// period), each an active entity-period unless active says which are.
type activitySource struct {
	table  string
	active sqltree.Expr // nil: every row is activity
	// measures are metrics the table also holds per entity-period, so
	// that they are summed in the same pass over the members' periods.
	measures map[string]bool
}

// activity plans the periods each entity was active in.
func (cp *cohortPlan) activity(measures []*check.Metric) activitySource {
	p, active := cp.p, cp.co.Active
	if active.Rows != nil {
		rows, key, t := cp.datedRows(active.Rows, active.RowsWhere)
		rows.Distinct = true
		rows.Columns = []sqltree.SelectItem{{X: key, Alias: keyCol}, {X: p.periodStart(cp.grain, t, cp.rng), Alias: spinePeriod}}
		return activitySource{table: cp.add(cp.cteName("activity"), rows)}
	}
	// A condition: the profile of the metrics it reads, per entity-period,
	// with the measures that are among them.
	var extra []string
	src := activitySource{measures: map[string]bool{}}
	for _, m := range measures {
		for _, u := range active.Used {
			if u == m.Decl.Name {
				extra = append(extra, m.Decl.Name)
				src.measures[m.Decl.Name] = true
			}
		}
	}
	profile, cond := cp.conditionProfile(active.Condition, active.Used, extra)
	q := &sqltree.Select{Columns: []sqltree.SelectItem{
		{X: sqltree.Column{Name: frameKey}, Alias: keyCol},
		{X: sqltree.Column{Name: framePeriod}, Alias: spinePeriod},
		{X: cond, Alias: "active"},
	}, From: sqltree.Table{Path: []string{profile}}}
	for _, name := range extra {
		q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Column{Name: name}, Alias: "measure_" + name})
	}
	src.table = cp.add(cp.cteName("activity"), q)
	src.active = col("a", "active")
	return src
}

// splitMembers adds each member's segment label at the end of its joining
// period; members of no tier are left out.
func (cp *cohortPlan) splitMembers(members string) string {
	seg := cp.split
	frame := cp.add(cp.cteName("frame"), &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: keyCol}, Alias: frameKey}, {X: sqltree.Column{Name: cohortCol}, Alias: framePeriod}},
		From:    sqltree.Table{Path: []string{members}},
	})
	profile := cp.frameProfile(cp.ent, everyEntityPeriod, frame, []string{seg.Decl.Name}, false)
	label, labelled := segmentLabel(seg, col("p", seg.Decl.Name))
	q := &sqltree.Select{
		From: sqltree.Table{Path: []string{members}, Alias: "m"},
		Joins: []sqltree.Join{{Kind: "JOIN", Right: sqltree.Table{Path: []string{profile}, Alias: "p"},
			On: and(eq(col("p", frameKey), col("m", keyCol)), eq(col("p", framePeriod), col("m", cohortCol)))}},
		Where: labelled,
	}
	q.Columns = []sqltree.SelectItem{{X: col("m", keyCol), Alias: keyCol}, {X: col("m", cohortCol), Alias: cohortCol}, {X: label, Alias: segmentCol}}
	return cp.add(cp.cteName("members"), q)
}

// matrix plans one row per cohort (and label) and period followed.
func (cp *cohortPlan) matrix(members string, activity activitySource, measures []*check.Metric) *sqltree.Select {
	d := cp.co.Decl
	groupCols := []string{cohortCol}
	if cp.split != nil {
		groupCols = append(groupCols, segmentCol)
	}
	groupOf := func(alias string) []sqltree.Expr {
		var xs []sqltree.Expr
		for _, g := range groupCols {
			xs = append(xs, col(alias, g))
		}
		return xs
	}
	sameGroup := func(a, b string) sqltree.Expr {
		var on sqltree.Expr
		for _, g := range groupCols {
			on = and(on, eq(col(a, g), col(b, g)))
		}
		return on
	}
	items := func(xs []sqltree.Expr) []sqltree.SelectItem {
		var out []sqltree.SelectItem
		for i, x := range xs {
			out = append(out, sqltree.SelectItem{X: x, Alias: groupCols[i]})
		}
		return out
	}

	sizes := cp.add(cp.cteName("sizes"), &sqltree.Select{
		Columns: append(items(groupOf("m")), sqltree.SelectItem{X: sqltree.Call{Name: "COUNT", Star: true}, Alias: "cohort_size"}),
		From:    sqltree.Table{Path: []string{members}, Alias: "m"},
		GroupBy: groupOf("m"),
	})
	// The grid: every cohort with the periods followed that have started.
	grid := cp.add(cp.cteName("grid"), &sqltree.Select{
		Columns: append(items(groupOf("z")),
			sqltree.SelectItem{X: col("z", "cohort_size"), Alias: "cohort_size"},
			sqltree.SelectItem{X: sqltree.Binary{Op: "-", Left: col("p", spineIndex), Right: col("j", spineIndex)}, Alias: periodNumber},
			sqltree.SelectItem{X: col("p", spinePeriod), Alias: periodStart},
			sqltree.SelectItem{X: col("p", spineDone), Alias: spineDone}),
		From: sqltree.Table{Path: []string{sizes}, Alias: "z"},
		Joins: []sqltree.Join{
			{Kind: "JOIN", Right: sqltree.Table{Path: []string{spineCTE}, Alias: "j"}, On: eq(col("j", spinePeriod), col("z", cohortCol))},
			{Kind: "JOIN", Right: sqltree.Table{Path: []string{spineCTE}, Alias: "p"},
				On: and(sqltree.Binary{Op: ">=", Left: col("p", spineIndex), Right: col("j", spineIndex)},
					sqltree.Binary{Op: "<=", Left: col("p", spineIndex), Right: sqltree.Binary{Op: "+", Left: col("j", spineIndex), Right: sqltree.Num(strconv.Itoa(d.Periods))}})},
		},
	})

	// Active members per cohort and period.
	onlyActive := func(x sqltree.Expr) sqltree.Expr {
		if activity.active == nil {
			return x
		}
		return sqltree.Case{Whens: []sqltree.When{{Cond: activity.active, Then: x}}}
	}
	memberActivity := []sqltree.Join{{Kind: "JOIN", Right: sqltree.Table{Path: []string{activity.table}, Alias: "a"},
		On: and(eq(col("a", keyCol), col("m", keyCol)), sqltree.Binary{Op: ">=", Left: col("a", spinePeriod), Right: col("m", cohortCol)})}}
	var hits string
	if d.Retention == models.RetentionOnOrAfter {
		// Active in a period or any later one: a member counts up to the
		// last period it was active in.
		lasts := cp.add(cp.cteName("last_active"), &sqltree.Select{
			Columns: append(append([]sqltree.SelectItem{{X: col("m", keyCol), Alias: keyCol}}, items(groupOf("m"))...),
				sqltree.SelectItem{X: sqltree.Call{Name: "MAX", Args: []sqltree.Expr{onlyActive(col("a", spinePeriod))}}, Alias: "last_period"}),
			From:    sqltree.Table{Path: []string{members}, Alias: "m"},
			Joins:   memberActivity,
			GroupBy: append([]sqltree.Expr{col("m", keyCol)}, groupOf("m")...),
		})
		hits = cp.add(cp.cteName("active"), &sqltree.Select{
			Columns: append(items(groupOf("g")), sqltree.SelectItem{X: col("g", periodStart), Alias: spinePeriod},
				sqltree.SelectItem{X: sqltree.Call{Name: "COUNT", Star: true}, Alias: "active"}),
			From: sqltree.Table{Path: []string{grid}, Alias: "g"},
			Joins: []sqltree.Join{{Kind: "JOIN", Right: sqltree.Table{Path: []string{lasts}, Alias: "l"},
				On: and(sameGroup("l", "g"), sqltree.Binary{Op: ">=", Left: col("l", "last_period"), Right: col("g", periodStart)})}},
			GroupBy: append(groupOf("g"), col("g", periodStart)),
		})
	} else {
		q := &sqltree.Select{
			Columns: append(items(groupOf("m")), sqltree.SelectItem{X: col("a", spinePeriod), Alias: spinePeriod},
				sqltree.SelectItem{X: sqltree.Call{Name: "COUNT", Args: []sqltree.Expr{onlyActive(sqltree.Num("1"))}}, Alias: "active"}),
			From:    sqltree.Table{Path: []string{members}, Alias: "m"},
			Joins:   memberActivity,
			GroupBy: append(groupOf("m"), col("a", spinePeriod)),
		}
		// Measures the activity rows hold are summed in the same pass.
		for _, m := range measures {
			if activity.measures[m.Decl.Name] {
				q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Call{Name: "SUM", Args: []sqltree.Expr{col("a", "measure_"+m.Decl.Name)}}, Alias: "measure_" + m.Decl.Name})
			}
		}
		hits = cp.add(cp.cteName("active"), q)
	}

	// The final matrix.
	integer := func(x sqltree.Expr) sqltree.Expr { return castTo(x, models.TypeInteger) }
	active := integer(sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{col("h", "active"), sqltree.Num("0")}})
	q := &sqltree.Select{
		Columns: append(items(groupOf("g")),
			sqltree.SelectItem{X: integer(col("g", periodNumber)), Alias: periodNumber},
			sqltree.SelectItem{X: col("g", spineDone), Alias: spineDone},
			sqltree.SelectItem{X: integer(col("g", "cohort_size")), Alias: "cohort_size"},
			sqltree.SelectItem{X: active, Alias: "active"},
			sqltree.SelectItem{X: sqltree.Binary{Op: "/", Left: sqltree.Cast{X: active, Type: sqltree.Number},
				Right: sqltree.Call{Name: "NULLIF", Args: []sqltree.Expr{col("g", "cohort_size"), sqltree.Num("0")}}}, Alias: "retention"}),
		From: sqltree.Table{Path: []string{grid}, Alias: "g"},
		Joins: []sqltree.Join{{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{hits}, Alias: "h"},
			On: and(sameGroup("h", "g"), eq(col("h", spinePeriod), col("g", periodStart)))}},
	}
	for i, m := range measures {
		alias := "m" + strconv.Itoa(i+1)
		column := valueCol
		if activity.measures[m.Decl.Name] && d.Retention != models.RetentionOnOrAfter {
			alias, column = "h", "measure_"+m.Decl.Name
		} else {
			values := cp.entityValues(m)
			totals := cp.add(cp.cteName("measure"), &sqltree.Select{
				Columns: append(items(groupOf("m")), sqltree.SelectItem{X: col("v", spinePeriod), Alias: spinePeriod},
					sqltree.SelectItem{X: sqltree.Call{Name: "SUM", Args: []sqltree.Expr{col("v", valueCol)}}, Alias: valueCol}),
				From: sqltree.Table{Path: []string{members}, Alias: "m"},
				Joins: []sqltree.Join{{Kind: "JOIN", Right: sqltree.Table{Path: []string{values}, Alias: "v"},
					On: and(eq(col("v", keyCol), col("m", keyCol)), sqltree.Binary{Op: ">=", Left: col("v", spinePeriod), Right: col("m", cohortCol)})}},
				GroupBy: append(groupOf("m"), col("v", spinePeriod)),
			})
			q.Joins = append(q.Joins, sqltree.Join{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{totals}, Alias: alias},
				On: and(sameGroup(alias, "g"), eq(col(alias, spinePeriod), col("g", periodStart)))})
		}
		value := castTo(sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{col(alias, column), sqltree.Num("0")}}, m.Type)
		atStart := sqltree.Window{
			Call: sqltree.Call{Name: "MAX", Args: []sqltree.Expr{sqltree.Case{Whens: []sqltree.When{{
				Cond: eq(col("g", periodNumber), sqltree.Num("0")), Then: value}}}}},
			PartitionBy: groupOf("g"),
		}
		q.Columns = append(q.Columns,
			sqltree.SelectItem{X: value, Alias: m.Decl.Name},
			sqltree.SelectItem{X: sqltree.Binary{Op: "/", Left: sqltree.Cast{X: value, Type: sqltree.Number},
				Right: sqltree.Call{Name: "NULLIF", Args: []sqltree.Expr{atStart, sqltree.Num("0")}}}, Alias: m.Decl.Name + "_retention"})
	}
	return q
}

// entityValues plans metric m per entity and period: the rows dated in
// the period for a flow without window, else its value on the period's
// last day.
func (sp *seriesPlan) entityValues(m *check.Metric) string {
	if !m.EveryPeriod() || m.Rel.Time == nil {
		return sp.balances(m)
	}
	key := "flows:" + m.Decl.Name
	if name, ok := sp.named[key]; ok {
		return name
	}
	sp.noteFirst(m)
	value, filters := sp.rowsAt(m, nil)
	entityKey := col(check.RowAlias, m.Rel.EntityKey)
	period := sp.p.periodStart(sp.grain, col(check.RowAlias, m.Rel.Time.Name), sp.rng)
	name := sp.add(sp.cteName("flows"), &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: entityKey, Alias: keyCol}, {X: period, Alias: spinePeriod}, {X: value, Alias: valueCol}},
		From:    sqltree.Table{Path: m.Rel.Path, Alias: check.RowAlias},
		Where:   andAll(filters),
		GroupBy: []sqltree.Expr{entityKey, period},
	})
	sp.named[key] = name
	return name
}
