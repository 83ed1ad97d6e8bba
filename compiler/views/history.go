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
// returns the CTE.
func (sp *seriesPlan) labelsByPeriod(sg *check.Segment, extra []sqltree.SelectItem, want []string) string {
	ent := sg.Entity
	// The spine starts with the entity's first row (or first version), as
	// well as with the first rows of the metrics the rule reads.
	for _, first := range []*models.Column{ent.Rel.Time, ent.Rel.ValidFrom} {
		if first != nil {
			sp.firsts = append(sp.firsts, sqltree.Subquery{Query: &sqltree.Select{
				Columns: []sqltree.SelectItem{{X: firstDay(col(entityAlias, first.Name))}},
				From:    sqltree.Table{Path: ent.Rel.Path, Alias: entityAlias},
			}})
		}
	}
	profile := sp.frameProfile(ent, everyEntityPeriod, "", append([]string{sg.Decl.Name}, want...), false)
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
	labels := sp.labelsByPeriod(sg, nil, nil)
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
	labels := sp.labelsByPeriod(sg, nil, nil)
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
