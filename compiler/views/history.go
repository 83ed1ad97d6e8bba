package views

import (
	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// A segment's membership history, reconstructed from the data: the
// profile over time (timeprofile.go) evaluates the segment's rule on the
// last day of every period at its history grain, from the first data to
// as_of, as breakdowns by segment do. segment_<name>_history lists the
// members of each period; segment_<name>_changes, who entered, left or
// moved tier from one period to the next. Neither is ordered: a history
// has a row per member and period, and sorting millions of rows that a
// reader filters and sorts anyway cost as much as computing them (DuckDB
// sorts a view's rows even under count(*)).

// Labels of segment_<name>_changes.change.
const (
	changeEntered = "entered"
	changeExited  = "exited"
	changeMoved   = "moved"
)

// Columns of the history CTEs.
const (
	historyLabel    = "strata_label"    // the tier, or member; NULL when not a member
	historyPrevious = "strata_previous" // the label at the end of the period before
)

// historyChoice is a history view's own materialization: none, so that
// the project's choice for the kind history applies, not the segment's
// own choice for segment_<name>, since a cheap rule's view is seldom a
// cheap history.
var historyChoice = models.Choice{}

// planHistory plans the history and the changes of segment sg.
func (p *planner) planHistory(sg *check.Segment) []*Output {
	return []*Output{p.planMembersByPeriod(sg), p.planMembershipChanges(sg), p.planQuality(sg)}
}

// labelsByPeriod plans, in sp, every entity-period that existed with the
// entity's label then (historyLabel: the tier, or member, or NULL), and
// the extra columns, computed from the profile columns named in want; it
// returns the CTE. For membersOnly, rows of entity-periods that cannot be
// members may be left out: the members' history of a rule such as mrr > 0
// && logins_30d >= 8 starts from the periods with subscriptions and joins
// the logins, rather than every entity in every period.
func (sp *seriesPlan) labelsByPeriod(sg *check.Segment, extra []sqltree.SelectItem, want []string, membersOnly bool) string {
	if sg.FromSnapshots {
		return sp.recordedLabels(sg, extra, want)
	}
	ent := sg.Entity
	sp.startWithEntity(ent)
	var required []*check.Metric
	if membersOnly && sg.Type == models.TypeBoolean {
		required = sp.p.requiredMetrics(ent, sg.Rule)
	}
	profile := sp.frameProfile(ent, everyEntityPeriod, "", append([]string{sg.Decl.Name}, want...), false, required...)
	var label sqltree.Expr = sqltree.Column{Name: sg.Decl.Name}
	if sg.Type == models.TypeBoolean {
		label = sqltree.Case{Whens: []sqltree.When{{Cond: label, Then: sqltree.Str(check.MemberLabel)}}}
	}
	return sp.add(sp.cteName("labels"), &sqltree.Select{
		Columns: append([]sqltree.SelectItem{
			{X: sqltree.Column{Name: frameKey}, Alias: frameKey},
			{X: sqltree.Column{Name: framePeriod}, Alias: framePeriod},
			{X: label, Alias: historyLabel},
		}, extra...),
		From: sqltree.Table{Path: []string{profile}},
	})
}

// startWithEntity starts the spine with the entity's first row (or first
// version), as well as with the first rows of the metrics read.
func (sp *seriesPlan) startWithEntity(ent *check.Entity) {
	for _, first := range []*models.Column{ent.Rel.Time, ent.Rel.ValidFrom} {
		if first != nil {
			sp.firsts = append(sp.firsts, sqltree.Subquery{Query: &sqltree.Select{
				Columns: []sqltree.SelectItem{{X: firstDay(col(entityAlias, first.Name))}},
				From:    sqltree.Table{Path: ent.Rel.Path, Alias: entityAlias},
			}})
		}
	}
}

// historyOutput is a history view of sg with its first columns, the
// period and the entity's key.
func (p *planner) historyOutput(sg *check.Segment, name, description string) (*Output, *seriesPlan) {
	out := &Output{Name: name, Kind: KindHistory, Description: description, DeclRange: sg.HistoryRange}
	ent := sg.Entity
	out.Columns = []OutputColumn{
		{Name: spinePeriod, Type: models.TypeDate, Description: "First day of the " + string(sg.History) + "; membership is as it was on its last day (as_of for the current one)."},
		{Name: ent.Key.Name, Type: ent.Key.Type, Description: "The " + ent.Decl.Name + "'s key.", DeclRange: ent.Key.DeclRange},
	}
	sp := p.newSeriesPlan(sg.History, sg.HistoryRange)
	return out, sp
}

// planMembersByPeriod plans segment_<name>_history: one row per member
// and period, with the tier of a tiered segment.
func (p *planner) planMembersByPeriod(sg *check.Segment) *Output {
	out, sp := p.historyOutput(sg, check.SegmentHistoryView(sg),
		"Members of segment "+sg.Decl.Name+" in each "+string(sg.History)+", from the first data to as_of.")
	labels := sp.labelsByPeriod(sg, nil, nil, true)
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: sqltree.Column{Name: framePeriod}, Alias: spinePeriod},
			{X: sqltree.Column{Name: frameKey}, Alias: sg.Entity.Key.Name},
		},
		From:  sqltree.Table{Path: []string{labels}},
		Where: sqltree.IsNull{X: sqltree.Column{Name: historyLabel}, Negate: true},
	}
	if sg.Type == models.TypeString {
		out.Columns = append(out.Columns, OutputColumn{Name: "tier", Type: models.TypeString, Description: "The tier the member was in."})
		q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Column{Name: historyLabel}, Alias: "tier"})
	}
	p.define(out, p.viewName(out.Name), sp.query(q), historyChoice)
	out.DependsOn = sortedKeys(sp.deps)
	return out
}

// planMembershipChanges plans segment_<name>_changes: for each period,
// who entered the segment (a member now, not at the end of the period
// before, or new), who exited it, and, for tiers, who moved tier.
func (p *planner) planMembershipChanges(sg *check.Segment) *Output {
	what := "Who entered or exited segment "
	if sg.Type == models.TypeString {
		what = "Who entered, exited or moved tier in segment "
	}
	out, sp := p.historyOutput(sg, check.SegmentChangesView(sg), what+sg.Decl.Name+", "+string(sg.History)+" by "+string(sg.History)+".")
	labels := sp.labelsByPeriod(sg, nil, nil, false)
	label, previous := sqltree.Column{Name: historyLabel}, sqltree.Column{Name: historyPrevious}
	steps := sp.add(sp.cteName("steps"), &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: sqltree.Column{Name: frameKey}, Alias: frameKey},
			{X: sqltree.Column{Name: framePeriod}, Alias: framePeriod},
			{X: label, Alias: historyLabel},
			// Every period since the entity existed has a row, so the row
			// before is the period before.
			{X: sqltree.Window{Call: sqltree.Call{Name: "LAG", Args: []sqltree.Expr{label}},
				PartitionBy: []sqltree.Expr{sqltree.Column{Name: frameKey}},
				OrderBy:     []sqltree.OrderItem{{X: sqltree.Column{Name: framePeriod}}}}, Alias: historyPrevious},
		},
		From: sqltree.Table{Path: []string{labels}},
	})
	isNull := func(x sqltree.Expr) sqltree.Expr { return sqltree.IsNull{X: x} }
	notNull := func(x sqltree.Expr) sqltree.Expr { return sqltree.IsNull{X: x, Negate: true} }
	change := sqltree.Case{Whens: []sqltree.When{
		{Cond: isNull(previous), Then: sqltree.Str(changeEntered)},
		{Cond: isNull(label), Then: sqltree.Str(changeExited)},
	}, Else: sqltree.Str(changeMoved)}
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: sqltree.Column{Name: framePeriod}, Alias: spinePeriod},
			{X: sqltree.Column{Name: frameKey}, Alias: sg.Entity.Key.Name},
			{X: change, Alias: "change"},
		},
		From: sqltree.Table{Path: []string{steps}},
		// A member now or before, whose label is not the one it had.
		Where: sqltree.Binary{Op: "OR",
			Left: sqltree.Binary{Op: "OR",
				Left:  and(notNull(label), isNull(previous)),
				Right: and(isNull(label), notNull(previous))},
			Right: sqltree.Binary{Op: "<>", Left: label, Right: previous}},
	}
	out.Columns = append(out.Columns, OutputColumn{Name: "change", Type: models.TypeString,
		Description: "entered (a member at the period's end, not at the end of the one before), exited (the reverse) or moved (another tier)."})
	if sg.Type == models.TypeString {
		out.Columns = append(out.Columns,
			OutputColumn{Name: "from_tier", Type: models.TypeString, Description: "The tier at the end of the period before; NULL when entered."},
			OutputColumn{Name: "to_tier", Type: models.TypeString, Description: "The tier at the period's end; NULL when exited."})
		q.Columns = append(q.Columns,
			sqltree.SelectItem{X: previous, Alias: "from_tier"},
			sqltree.SelectItem{X: label, Alias: "to_tier"})
	}
	p.define(out, p.viewName(out.Name), sp.query(q), historyChoice)
	out.DependsOn = sortedKeys(sp.deps)
	return out
}

// Columns of the recorded-days CTE of a history read from snapshots.
const (
	recordedDay         = "strata_day"
	recordedFingerprint = "strata_fingerprint"
	recordedMember      = "strata_member"
	recordedTier        = "strata_tier"
)

// recordedPeriods plans, once per series plan, the periods in which
// segment sg was recorded by `strata snapshot`, each with the last day
// recorded in it up to as_of and the fingerprint of the definition that
// day: the CTE has strata_period, strata_day and strata_fingerprint.
func (sp *seriesPlan) recordedPeriods(sg *check.Segment) string {
	key := "recorded:" + sg.Decl.Name
	if name, ok := sp.named[key]; ok {
		return name
	}
	p := sp.p
	asOf := p.date(check.AsOf{Range: p.m.Project.DeclRange}, binding{})
	days := []string{p.m.Project.Schema, SnapshotSegmentsTable}
	period := p.periodStart(sg.History, col("d", "as_of"), sg.HistoryRange)
	last := sp.add(sp.cteName("recorded_days"), &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: period, Alias: framePeriod},
			{X: sqltree.Call{Name: "MAX", Args: []sqltree.Expr{col("d", "as_of")}}, Alias: recordedDay},
		},
		From:    sqltree.Table{Path: days, Alias: "d"},
		Where:   and(eq(col("d", "segment"), sqltree.Str(sg.Decl.Name)), sqltree.Binary{Op: "<=", Left: col("d", "as_of"), Right: asOf}),
		GroupBy: []sqltree.Expr{period},
	})
	name := sp.add(sp.cteName("recorded"), &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: col("r", framePeriod), Alias: framePeriod},
			{X: col("r", recordedDay), Alias: recordedDay},
			{X: col("d", "fingerprint"), Alias: recordedFingerprint},
		},
		From: sqltree.Table{Path: []string{last}, Alias: "r"},
		Joins: []sqltree.Join{{Kind: "JOIN", Right: sqltree.Table{Path: days, Alias: "d"},
			On: and(eq(col("d", "segment"), sqltree.Str(sg.Decl.Name)), eq(col("d", "as_of"), col("r", recordedDay)))}},
	})
	sp.named[key] = name
	return name
}

// recordedLabels is labelsByPeriod for a history read from snapshots:
// the periods recorded only, each judged by its last day recorded. Every
// entity that existed at a recorded period's end has a row, labelled
// with its recorded tier (or member) when it was recorded a member, so
// that the period before in a window is the recorded period before;
// members recorded under a key the entity no longer has are left out.
func (sp *seriesPlan) recordedLabels(sg *check.Segment, extra []sqltree.SelectItem, want []string) string {
	sp.startWithEntity(sg.Entity)
	profile := sp.frameProfile(sg.Entity, everyEntityPeriod, "", want, false)
	recorded := sp.recordedPeriods(sg)
	members := sp.add(sp.cteName("recorded_members"), &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: col("r", framePeriod), Alias: framePeriod},
			{X: col("s", "member_key"), Alias: recordedMember},
			{X: col("s", "tier"), Alias: recordedTier},
		},
		From: sqltree.Table{Path: []string{recorded}, Alias: "r"},
		Joins: []sqltree.Join{{Kind: "JOIN", Right: sqltree.Table{Path: []string{sp.p.m.Project.Schema, SnapshotTable}, Alias: "s"},
			On: and(eq(col("s", "segment"), sqltree.Str(sg.Decl.Name)), eq(col("s", "as_of"), col("r", recordedDay)))}},
	})
	var label sqltree.Expr = col("m", recordedTier)
	if sg.Type == models.TypeBoolean {
		label = sqltree.Case{Whens: []sqltree.When{{Cond: sqltree.IsNull{X: col("m", recordedMember), Negate: true}, Then: sqltree.Str(check.MemberLabel)}}}
	}
	return sp.add(sp.cteName("labels"), &sqltree.Select{
		Columns: append([]sqltree.SelectItem{
			{X: col("f", frameKey), Alias: frameKey},
			{X: col("f", framePeriod), Alias: framePeriod},
			{X: label, Alias: historyLabel},
		}, extra...),
		From: sqltree.Table{Path: []string{profile}, Alias: "f"},
		Joins: []sqltree.Join{
			{Kind: "JOIN", Right: sqltree.Table{Path: []string{recorded}, Alias: "r"}, On: eq(col("r", framePeriod), col("f", framePeriod))},
			{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{members}, Alias: "m"},
				On: and(eq(col("m", framePeriod), col("f", framePeriod)),
					eq(col("m", recordedMember), sqltree.Cast{X: col("f", frameKey), Type: sqltree.String}))},
		},
	})
}
