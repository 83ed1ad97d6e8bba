package views

import (
	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// A balance metric's ledger per segment: <metric>_movements_summary_by_
// <segment>, for each segment the metric is broken down by. Each row is
// a period and a label (member or non-member, or a tier), and balances:
//
//	opening + new + expansion + contraction + churn + reactivation
//	        + moved_in + moved_out = closing
//
// Opening is the value of the entities in the label at the end of the
// period before, closing of those in it at the period's end. Expansion,
// contraction and churn belong to the label the entity was in at the end
// of the period before, where its value was; new business and
// reactivations to the label it is in at the period's end. An entity
// that pays at both ends and changed label carries its value at the
// period's end out of the old label (moved_out, negative) and into the
// new (moved_in). So each label's row balances, and summed over the
// labels (moved in and out cancel) every column equals the overall
// <metric>_movements_summary. Entities without a label (a tiered segment
// without a default tier, or not existing yet) have a row of their own,
// segment NULL, so the sums hold.

// ledgerKinds are the summary's columns between opening and closing.
var ledgerKinds = append(append([]string{}, movementKinds...), "moved_in", "moved_out")

// ledger plans the CTE of m's ledger by the labels of the membership CTE
// (which the caller has planned): one row per period and label that had
// a value at either end or a movement, with the summary's columns, the
// moves, and the summary's counts, each attributed as the amounts are.
func (sp *seriesPlan) ledger(m *check.Metric) string {
	key := "ledger:" + m.Decl.Name
	if name, ok := sp.named[key]; ok {
		return name
	}
	changes := sp.changes(m)
	// Each entity's label at the end of the period before, keyed by the
	// period it precedes.
	before := sp.add(sp.cteName("before"), &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: col(groupAlias, keyCol), Alias: keyCol},
			{X: col(seriesAlias, spineNext), Alias: spinePeriod},
			{X: col(groupAlias, segmentCol), Alias: segmentCol},
		},
		From:  sqltree.Table{Path: []string{membersCTE}, Alias: groupAlias},
		Joins: []sqltree.Join{{Kind: "JOIN", Right: sqltree.Table{Path: []string{spineCTE}, Alias: seriesAlias}, On: eq(col(seriesAlias, spinePeriod), col(groupAlias, spinePeriod))}},
	})
	const now, was = "segment_now", "segment_before"
	rows := sp.add(sp.cteName("ledger"), &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: col("c", spinePeriod), Alias: spinePeriod},
			{X: col("c", changeValue), Alias: changeValue},
			{X: col("c", changePrevious), Alias: changePrevious},
			{X: col("c", changeMovement), Alias: changeMovement},
			{X: col("c", changeAmount), Alias: changeAmount},
			{X: col("n", segmentCol), Alias: now},
			{X: col("w", segmentCol), Alias: was},
		},
		From: sqltree.Table{Path: []string{changes}, Alias: "c"},
		Joins: []sqltree.Join{
			{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{membersCTE}, Alias: "n"},
				On: and(eq(col("n", keyCol), col("c", keyCol)), eq(col("n", spinePeriod), col("c", spinePeriod)))},
			{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{before}, Alias: "w"},
				On: and(eq(col("w", keyCol), col("c", keyCol)), eq(col("w", spinePeriod), col("c", spinePeriod)))},
		},
	})
	zero := sqltree.Num("0")
	positive := func(c string) sqltree.Expr {
		return sqltree.Binary{Op: ">", Left: sqltree.Column{Name: c}, Right: zero}
	}
	nowCol, wasCol := sqltree.Column{Name: now}, sqltree.Column{Name: was}
	// The label changed: NULL on one side only, or two labels that differ.
	changed := sqltree.Binary{Op: "OR",
		Left: sqltree.Binary{Op: "OR",
			Left:  and(sqltree.IsNull{X: nowCol}, sqltree.IsNull{X: wasCol, Negate: true}),
			Right: and(sqltree.IsNull{X: nowCol, Negate: true}, sqltree.IsNull{X: wasCol})},
		Right: sqltree.Binary{Op: "<>", Left: nowCol, Right: wasCol}}
	paidBefore := positive(changePrevious)
	owner := sqltree.Case{Whens: []sqltree.When{{Cond: paidBefore, Then: wasCol}}, Else: nowCol}
	entry := func(label sqltree.Expr, kind sqltree.Expr, amount sqltree.Expr, where sqltree.Expr) *sqltree.Select {
		return &sqltree.Select{
			Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: spinePeriod}, Alias: spinePeriod}, {X: label, Alias: segmentCol},
				{X: kind, Alias: "kind"}, {X: amount, Alias: changeAmount}},
			From:  sqltree.Table{Path: []string{rows}},
			Where: where,
		}
	}
	moved := and(and(paidBefore, positive(changeValue)), changed)
	entries := entry(wasCol, sqltree.Str("opening"), sqltree.Column{Name: changePrevious}, paidBefore)
	entries.UnionAll = true // entries of one row differ by kind
	entries.Union = []*sqltree.Select{
		entry(nowCol, sqltree.Str("closing"), sqltree.Column{Name: changeValue}, positive(changeValue)),
		entry(owner, sqltree.Column{Name: changeMovement}, sqltree.Column{Name: changeAmount}, sqltree.IsNull{X: sqltree.Column{Name: changeMovement}, Negate: true}),
		entry(wasCol, sqltree.Str("moved_out"), sqltree.Unary{Op: "-", X: sqltree.Column{Name: changeValue}}, moved),
		entry(nowCol, sqltree.Str("moved_in"), sqltree.Column{Name: changeValue}, moved),
	}
	entriesCTE := sp.add(sp.cteName("entries"), entries)
	is := func(kind string) sqltree.Expr { return eq(sqltree.Column{Name: "kind"}, sqltree.Str(kind)) }
	sum := func(kind string) sqltree.Expr {
		amount := sqltree.Case{Whens: []sqltree.When{{Cond: is(kind), Then: sqltree.Column{Name: changeAmount}}}}
		return castTo(sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{sqltree.Call{Name: "SUM", Args: []sqltree.Expr{amount}}, zero}}, m.Type)
	}
	count := func(kind string) sqltree.Expr {
		return castTo(sqltree.Call{Name: "COUNT", Args: []sqltree.Expr{sqltree.Case{Whens: []sqltree.When{{Cond: is(kind), Then: sqltree.Num("1")}}}}}, models.TypeInteger)
	}
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: spinePeriod}, Alias: spinePeriod}, {X: sqltree.Column{Name: segmentCol}, Alias: segmentCol},
			{X: sum("opening"), Alias: "opening"}},
		From:    sqltree.Table{Path: []string{entriesCTE}},
		GroupBy: []sqltree.Expr{sqltree.Column{Name: spinePeriod}, sqltree.Column{Name: segmentCol}},
	}
	for _, kind := range append(ledgerKinds, "closing") {
		q.Columns = append(q.Columns, sqltree.SelectItem{X: sum(kind), Alias: kind})
	}
	// The summary's counts: an entry per entity, so counting entries
	// counts entities.
	for _, c := range [][2]string{{"count_active", "closing"}, {"count_opening", "opening"}, {"count_new", "new"},
		{"count_churned", "churn"}, {"count_reactivated", "reactivation"}} {
		q.Columns = append(q.Columns, sqltree.SelectItem{X: count(c[1]), Alias: c[0]})
	}
	name := sp.add(sp.cteName("ledger"), q)
	sp.named[key] = name
	return name
}

// planLedger plans <metric>_movements_summary_by_<segment>.
func (p *planner) planLedger(m *check.Metric, sg *check.Segment) *Output {
	d := m.Decl
	grain, rng := check.GrainOf(d.Grain, d.MovementsRange)
	sp := p.newSeriesPlan(grain, rng)
	sp.membership(m.Entity, newGrouping(segmentDimension(sg)))
	ledger := sp.ledger(m)
	name := check.LedgerView(m, sg)
	what := "member or non-member of " + sg.Decl.Name
	if sg.Type == models.TypeString {
		what = "Tier of " + sg.Decl.Name
	}
	out := &Output{Name: name, Kind: KindMovements, DeclRange: d.DeclRange,
		Description: "Movements of " + d.Name + " per " + string(grain) + " and " + sg.Decl.Name + ": opening + new + expansion + contraction + churn + reactivation + moved_in + moved_out = closing."}
	out.Columns = []OutputColumn{
		{Name: spinePeriod, Type: models.TypeDate, Description: "First day of the period."},
		{Name: segmentCol, Type: models.TypeString, Description: what + "; NULL for entities without one."},
		{Name: "opening", Type: m.Type, Description: "Value of the entities in the segment at the end of the period before."},
	}
	for _, kind := range ledgerKinds {
		c := OutputColumn{Name: kind, Type: m.Type}
		switch kind {
		case "moved_in":
			c.Description = "Value at the period's end of entities that paid at both ends and came from another label."
		case "moved_out":
			c.Description = "Minus the value at the period's end of entities that paid at both ends and went to another label."
		}
		out.Columns = append(out.Columns, c)
	}
	out.Columns = append(out.Columns, OutputColumn{Name: "closing", Type: m.Type, Description: "Value of the entities in the segment at the period's end."})
	q := &sqltree.Select{
		From:    sqltree.Table{Path: []string{ledger}},
		OrderBy: []sqltree.OrderItem{{X: sqltree.Column{Name: spinePeriod}}, {X: sqltree.Column{Name: segmentCol}}},
	}
	for _, c := range out.Columns {
		q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Column{Name: c.Name}})
	}
	p.define(out, p.viewName(name), sp.query(q), d.Materialized)
	out.DependsOn = sortedKeys(sp.deps)
	return out
}
