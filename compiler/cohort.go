package compiler

import (
	"github.com/strata-analytics/strata/compiler/diag"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

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
	d   *models.Cohort
	ent *entity
	// split is set when the cohort is split by a segment.
	split *segment
}

func (c *checker) planCohort(d *models.Cohort) *Output {
	if d.Joined == nil || d.Active == nil {
		return nil // the missing attribute is reported when decoded
	}
	ent := c.defaultEntity()
	if !d.Of.IsZero() {
		ent = c.entity(d.Of)
	} else if d.Active != nil {
		ent = c.inferEntity(d.Active)
	}
	if ent == nil || ent.key == nil {
		if d.Of.IsZero() {
			c.errorf(d.DeclRange, "Cohort without entity",
				"The project has several entities; say which one cohort %q follows with of = <entity>.", d.Name)
		}
		return nil
	}
	grain, rng := grainOf(d.Grain, d.DeclRange)
	cp := &cohortPlan{seriesPlan: c.newSeriesPlan(grain, rng), d: d, ent: ent}
	before := len(c.diags)
	if !d.By.IsZero() {
		if sg := c.lookupSegment(d.By.Name, d.By.Range); sg != nil && sg.ok {
			if sg.entity != ent {
				c.errorf(d.By.Range, "Segment of another entity",
					"Segment %q groups entity %q, but cohort %q follows entity %q.", sg.decl.Name, sg.entity.decl.Name, d.Name, ent.decl.Name)
			} else {
				cp.split = sg
			}
		}
	}
	var measures []*metric
	measureRange := map[*metric]hcl.Range{}
	for _, ref := range d.Measures {
		m := c.lookupMetric(ref.Name, ref.Range)
		switch {
		case m == nil || !m.ok:
		case m.rel == nil || m.entity != ent:
			c.errorf(ref.Range, "Invalid measure",
				"A cohort measure is summed over the cohort's members, so it must be a metric of %q that reads rows (with from); %q is not.", ent.decl.Name, ref.Name)
		case undated(m):
			c.errorf(ref.Range, "Measure without time",
				"Metric %q counts rows of %s, which has no time column to place them in periods. Add time = <column> to %s %q, or measure a balance (valid = [start, end]).",
				ref.Name, m.rel.ref(), m.rel.decl.Kind, m.rel.decl.Name)
		default:
			measures = append(measures, m)
			measureRange[m] = ref.Range
		}
	}
	members := cp.members()
	activity := cp.activity(measures)
	if len(c.diags) > before || members == "" || activity.table == "" {
		return nil
	}
	if cp.split != nil {
		members = cp.splitMembers(members)
	}
	matrix := cp.matrix(members, activity, measures)

	name := "cohort_" + d.Name
	out := &Output{Name: name, Kind: KindCohort, Description: d.Description, DeclRange: d.DeclRange}
	out.Columns = []OutputColumn{{Name: cohortCol, Type: models.TypeDate, Description: "First day of the " + string(grain) + " the members joined in."}}
	if cp.split != nil {
		out.Columns = append(out.Columns, OutputColumn{Name: segmentCol, Type: models.TypeString,
			Description: "The members' " + cp.split.decl.Name + " at the end of their joining " + string(grain) + "."})
	}
	out.Columns = append(out.Columns,
		OutputColumn{Name: periodNumber, Type: models.TypeInteger, Description: string(grain) + "s since joining; 0 is the joining " + string(grain) + "."},
		OutputColumn{Name: spineDone, Type: models.TypeBoolean, Description: "False for the period that contains as_of: its numbers are not final."},
		OutputColumn{Name: "cohort_size", Type: models.TypeInteger, Description: "Members of the cohort."},
		OutputColumn{Name: "active", Type: models.TypeInteger, Description: "Members active in the period" + map[bool]string{true: " or a later one.", false: "."}[d.Retention == models.RetentionOnOrAfter]},
		OutputColumn{Name: "retention", Type: models.TypeNumber, Description: "active / cohort_size."},
	)
	for _, m := range measures {
		out.Columns = append(out.Columns,
			OutputColumn{Name: m.decl.Name, Type: m.typ, Description: "Sum of " + m.decl.Name + " over the members.", DeclRange: measureRange[m]},
			OutputColumn{Name: m.decl.Name + "_retention", Type: models.TypeNumber, Description: m.decl.Name + " relative to period 0.", DeclRange: measureRange[m]})
	}
	var names []declared
	for _, col := range out.Columns {
		names = append(names, declared{col.Name, d.DeclRange})
	}
	if len(c.checkUnique("column of "+name, names)) > 0 {
		return nil
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
	out.View = &sqltree.CreateView{Name: c.viewName(name), Query: cp.query(q), Comment: d.Description}
	out.DependsOn = sortedKeys(cp.deps)
	return out
}

func col(table, name string) sqltree.Expr { return sqltree.Column{Table: table, Name: name} }

func eq(a, b sqltree.Expr) sqltree.Expr { return sqltree.Binary{Op: "=", Left: a, Right: b} }

// rowsOf resolves the source.x or model.x argument of first() or event()
// to a dated relation of the cohort's entity.
func (cp *cohortPlan) rowsOf(fn string, arg hcl.Expression) *relation {
	c := cp.c
	t, ok := arg.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(t.Traversal) != 2 || (t.Traversal.RootName() != "source" && t.Traversal.RootName() != "model") {
		return nil
	}
	name, _ := traversalName(t.Traversal)
	rel := c.relation(models.Ref{Kind: t.Traversal.RootName(), Name: name, Range: arg.Range()})
	switch {
	case rel == nil:
	case rel.entity != cp.ent:
		c.errorf(arg.Range(), "Rows of another entity",
			"%s() reads %s, whose rows do not belong to entity %q that cohort %q follows. Set entity = %s on it.", fn, rel.ref(), cp.ent.decl.Name, cp.d.Name, cp.ent.decl.Name)
		return nil
	case rel.time == nil:
		c.errorf(arg.Range(), "Rows without time",
			"%s() places the rows of %s in periods, but %s has no time column. Add time = <column> to %s %q.", fn, rel.ref(), rel.ref(), rel.decl.Kind, rel.decl.Name)
		return nil
	}
	return rel
}

// datedRows is the query over rel's rows up to as_of that match the
// optional condition, with the entity key and the row's period.
func (cp *cohortPlan) datedRows(rel *relation, cond hcl.Expression) (*sqltree.Select, sqltree.Expr, sqltree.Expr) {
	c := cp.c
	s := &scope{c: c, rel: rel}
	t := col(rowAlias, rel.time.Name)
	// Only rows of the entity's members count: a row whose key is blank
	// or unknown to the entity is nobody's activity.
	q := &sqltree.Select{
		From: sqltree.Table{Path: rel.path, Alias: rowAlias},
		Joins: []sqltree.Join{{Kind: "JOIN", Right: sqltree.Table{Path: cp.ent.rel.path, Alias: entityAlias},
			On: eq(col(entityAlias, cp.ent.key.Name), col(rowAlias, rel.entityKey))}},
		Where: sqltree.Binary{Op: "<", Left: t, Right: s.asOfPlus(1, "day", cp.d.DeclRange)},
	}
	if cond != nil {
		where := s.translate(cond)
		c.requireBoolean(where, "The condition of cohort "+quote(cp.d.Name))
		q.Where = and(q.Where, where.sql)
	}
	cp.deps[rel.ref()] = true
	cp.deps[cp.ent.rel.ref()] = true
	first := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "MIN", Args: []sqltree.Expr{t}}}},
		From:    q.From,
		Joins:   q.Joins,
		Where:   q.Where,
	}
	cp.firsts = append(cp.firsts, sqltree.Subquery{Query: first})
	return q, col(rowAlias, rel.entityKey), t
}

// conditionProfile translates a condition over an entity's metrics and
// attributes and plans the profile it reads, for the entity-periods where
// those metrics have rows. It returns the profile CTE and the condition
// over its columns.
func (cp *cohortPlan) conditionProfile(cond hcl.Expression, what string, extra []string) (string, sqltree.Expr) {
	atUsed := false
	s := &scope{c: cp.c, ent: cp.ent, allowWindows: true, at: sqltree.Column{Name: frameAt}, atUsed: &atUsed,
		partition: []sqltree.Expr{sqltree.Column{Name: framePeriod}}}
	before := len(cp.c.diags)
	rule := s.translate(cond)
	cp.c.requireBoolean(rule, what)
	if len(cp.c.diags) > before {
		return "", nil
	}
	return cp.frameProfile(cp.ent, periodsWithRows, "", append(s.used, extra...), atUsed), sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{rule.sql, sqltree.Bool(false)}}
}

// members plans (key, cohort): each member and its joining period.
func (cp *cohortPlan) members() string {
	c, d, ent := cp.c, cp.d, cp.ent
	joined := d.Joined
	usage := "joined takes a date attribute (signed_up_at), first(source.x) or first(source.x, condition) for the first row, or first(condition) for the first period where a condition holds, as in first(metric.mrr > 0)."
	var q *sqltree.Select
	switch e := joined.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		name, ok := "", len(e.Traversal) == 1
		if ok {
			name = e.Traversal.RootName()
		} else if len(e.Traversal) == 2 && e.Traversal.RootName() == "column" {
			name, ok = traversalName(e.Traversal)
		}
		attr := ent.column(name)
		if !ok || attr == nil {
			var names []string
			for _, a := range ent.attributes {
				names = append(names, a.Name)
			}
			c.errorf(joined.Range(), "Unknown joining time", "Entity %q has no attribute %q. %s%s", ent.decl.Name, name, usage, diag.DidYouMean(name, names))
			return ""
		}
		if !attr.Type.IsTemporal() {
			c.errorf(joined.Range(), "Joining time is not a date",
				"Cohort %q groups members by the period of %q, whose type is %s. Use a date or timestamp attribute, or first(source.x).", d.Name, name, attr.Type)
			return ""
		}
		s := &scope{c: c}
		t := col(entityAlias, name)
		q = &sqltree.Select{
			Columns: []sqltree.SelectItem{{X: col(entityAlias, ent.key.Name), Alias: keyCol}, {X: c.periodStart(cp.grain, t, cp.rng), Alias: cohortCol}},
			From:    sqltree.Table{Path: ent.rel.path, Alias: entityAlias},
			Where:   sqltree.Binary{Op: "<", Left: t, Right: s.asOfPlus(1, "day", d.DeclRange)},
		}
		cp.firsts = append(cp.firsts, sqltree.Subquery{Query: &sqltree.Select{
			Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "MIN", Args: []sqltree.Expr{t}}}},
			From:    q.From,
		}})
		cp.deps[ent.rel.ref()] = true
	case *hclsyntax.FunctionCallExpr:
		if e.Name != "first" || len(e.Args) < 1 || len(e.Args) > 2 {
			c.errorf(joined.Range(), "Invalid joining time", "%s", usage)
			return ""
		}
		if rel := cp.rowsOf("first", e.Args[0]); rel != nil {
			var cond hcl.Expression
			if len(e.Args) == 2 {
				cond = e.Args[1]
			}
			rows, key, t := cp.datedRows(rel, cond)
			rows.Columns = []sqltree.SelectItem{{X: key, Alias: keyCol}, {X: c.periodStart(cp.grain, sqltree.Call{Name: "MIN", Args: []sqltree.Expr{t}}, cp.rng), Alias: cohortCol}}
			rows.GroupBy = []sqltree.Expr{key}
			q = rows
			break
		} else if len(e.Args) == 2 || isRelationRef(e.Args[0]) {
			if len(e.Args) == 2 && !isRelationRef(e.Args[0]) {
				c.errorf(e.Args[0].Range(), "Invalid joining time", "%s", usage)
			}
			return ""
		}
		profile, cond := cp.conditionProfile(e.Args[0], "The joining condition of cohort "+quote(d.Name), nil)
		if profile == "" {
			return ""
		}
		q = &sqltree.Select{
			Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: frameKey}, Alias: keyCol},
				{X: sqltree.Call{Name: "MIN", Args: []sqltree.Expr{sqltree.Column{Name: framePeriod}}}, Alias: cohortCol}},
			From:    sqltree.Table{Path: []string{profile}},
			Where:   cond,
			GroupBy: []sqltree.Expr{sqltree.Column{Name: frameKey}},
		}
	default:
		c.errorf(joined.Range(), "Invalid joining time", "%s", usage)
		return ""
	}
	return cp.add(cp.cteName("members"), q)
}

func isRelationRef(e hcl.Expression) bool {
	t, ok := e.(*hclsyntax.ScopeTraversalExpr)
	return ok && (t.Traversal.RootName() == "source" || t.Traversal.RootName() == "model")
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
func (cp *cohortPlan) activity(measures []*metric) activitySource {
	c, d := cp.c, cp.d
	if e, ok := d.Active.(*hclsyntax.FunctionCallExpr); ok && e.Name == "event" {
		if len(e.Args) < 1 || len(e.Args) > 2 || !isRelationRef(e.Args[0]) {
			c.errorf(d.Active.Range(), "Invalid activity",
				"event() takes the rows that count as activity and an optional condition, as in event(source.events) or event(source.events, name == \"login\").")
			return activitySource{}
		}
		rel := cp.rowsOf("event", e.Args[0])
		if rel == nil {
			return activitySource{}
		}
		var cond hcl.Expression
		if len(e.Args) == 2 {
			cond = e.Args[1]
		}
		rows, key, t := cp.datedRows(rel, cond)
		rows.Distinct = true
		rows.Columns = []sqltree.SelectItem{{X: key, Alias: keyCol}, {X: c.periodStart(cp.grain, t, cp.rng), Alias: spinePeriod}}
		return activitySource{table: cp.add(cp.cteName("activity"), rows)}
	}
	// A condition: the profile of the metrics it reads, per entity-period,
	// with the measures that are among them.
	var extra []string
	src := activitySource{measures: map[string]bool{}}
	reads := referencedKeys(d.Active)
	for _, m := range measures {
		for _, r := range reads {
			if r.to == "metric."+m.decl.Name {
				extra = append(extra, m.decl.Name)
				src.measures[m.decl.Name] = true
			}
		}
	}
	profile, cond := cp.conditionProfile(d.Active, "The activity condition of cohort "+quote(d.Name), extra)
	if profile == "" {
		return activitySource{}
	}
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
	profile := cp.frameProfile(cp.ent, everyEntityPeriod, frame, []string{seg.decl.Name}, false)
	label, labelled := segmentLabel(seg, col("p", seg.decl.Name))
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
func (cp *cohortPlan) matrix(members string, activity activitySource, measures []*metric) *sqltree.Select {
	d := cp.d
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
			if activity.measures[m.decl.Name] {
				q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Call{Name: "SUM", Args: []sqltree.Expr{col("a", "measure_"+m.decl.Name)}}, Alias: "measure_" + m.decl.Name})
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
		if activity.measures[m.decl.Name] && d.Retention != models.RetentionOnOrAfter {
			alias, column = "h", "measure_"+m.decl.Name
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
		value := castTo(sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{col(alias, column), sqltree.Num("0")}}, m.typ)
		atStart := sqltree.Window{
			Call: sqltree.Call{Name: "MAX", Args: []sqltree.Expr{sqltree.Case{Whens: []sqltree.When{{
				Cond: eq(col("g", periodNumber), sqltree.Num("0")), Then: value}}}}},
			PartitionBy: groupOf("g"),
		}
		q.Columns = append(q.Columns,
			sqltree.SelectItem{X: value, Alias: m.decl.Name},
			sqltree.SelectItem{X: sqltree.Binary{Op: "/", Left: sqltree.Cast{X: value, Type: sqltree.Number},
				Right: sqltree.Call{Name: "NULLIF", Args: []sqltree.Expr{atStart, sqltree.Num("0")}}}, Alias: m.decl.Name + "_retention"})
	}
	return q
}

// entityValues plans metric m per entity and period: the rows dated in
// the period for a flow without window, else its value on the period's
// last day.
func (sp *seriesPlan) entityValues(m *metric) string {
	if !everyPeriod(m) || m.rel.time == nil {
		return sp.balances(m)
	}
	key := "flows:" + m.decl.Name
	if name, ok := sp.named[key]; ok {
		return name
	}
	sp.noteFirst(m)
	value, filters := sp.rowsAt(m, nil)
	entityKey := col(rowAlias, m.rel.entityKey)
	period := sp.c.periodStart(sp.grain, col(rowAlias, m.rel.time.Name), sp.rng)
	name := sp.add(sp.cteName("flows"), &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: entityKey, Alias: keyCol}, {X: period, Alias: spinePeriod}, {X: value, Alias: valueCol}},
		From:    sqltree.Table{Path: m.rel.path, Alias: rowAlias},
		Where:   andAll(filters),
		GroupBy: []sqltree.Expr{entityKey, period},
	})
	sp.named[key] = name
	return name
}
