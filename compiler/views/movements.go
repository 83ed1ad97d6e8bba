package views

import (
	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// Movements of a balance metric, following ChartMogul's MRR movements
// computed from period-end snapshots (as the dbt mrr-playbook does): each
// entity's value at the end of a period is compared with its value at the
// end of the previous one. docs/metrics.md gives the definitions.

// Movement names, in the order of the summary's columns.
var movementKinds = []string{"new", "expansion", "contraction", "churn", "reactivation"}

// Columns of a changes CTE: one row per entity and period where the
// entity had a positive value then or in the period before.
const (
	changeValue    = "value"    // at the end of the period
	changePrevious = "previous" // at the end of the period before
	changeMovement = "movement" // NULL when the value did not change
	changeAmount   = "amount"   // value - previous
)

// balances plans the value of metric m per entity on each period's last
// day: (key, period, value), for the entities with rows that count then.
// For a balance these are the entities' balances.
func (sp *seriesPlan) balances(m *check.Metric) string {
	key := "balances:" + m.Decl.Name
	if name, ok := sp.named[key]; ok {
		return name
	}
	if aggregate := sp.runningAggregate(m); aggregate != "" {
		name := sp.runningBalances(m, aggregate)
		sp.named[key] = name
		return name
	}
	sp.noteFirst(m)
	value, filters := sp.rowsAt(m, sqltree.Column{Table: seriesAlias, Name: spineAt})
	entityKey := sqltree.Column{Table: check.RowAlias, Name: m.Rel.EntityKey}
	period := sqltree.Column{Table: seriesAlias, Name: spinePeriod}
	// The period's index and successor ride along for the movements,
	// which would otherwise join the spine again.
	index, next := sqltree.Column{Table: seriesAlias, Name: spineIndex}, sqltree.Column{Table: seriesAlias, Name: spineNext}
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: entityKey, Alias: keyCol}, {X: period, Alias: spinePeriod}, {X: value, Alias: valueCol},
			{X: index, Alias: spineIndex}, {X: next, Alias: spineNext}},
		From:    sqltree.Table{Path: m.Rel.Path, Alias: check.RowAlias},
		Joins:   []sqltree.Join{spineJoin(filters)},
		GroupBy: []sqltree.Expr{entityKey, period, index, next},
	}
	name := sp.add(sp.cteName("balance"), q)
	sp.named[key] = name
	return name
}

// changes plans each entity's value against the previous period's and
// names the movement. A balance at or below zero counts as nothing to
// pay, so only positive balances are followed: a run of consecutive
// positive periods starts with new business or a reactivation and ends
// with churn in the period after its last.
func (sp *seriesPlan) changes(m *check.Metric) string {
	key := "changes:" + m.Decl.Name
	if name, ok := sp.named[key]; ok {
		return name
	}
	bal := sp.balances(m)
	zero := sqltree.Num("0")
	n := col("b", spineIndex)
	byPeriod := func(call string, x sqltree.Expr) sqltree.Expr {
		w := sqltree.Window{Call: sqltree.Call{Name: call}, PartitionBy: []sqltree.Expr{col("b", keyCol)}, OrderBy: []sqltree.OrderItem{{X: n}}}
		if x != nil {
			w.Call.Args = []sqltree.Expr{x}
		}
		return w
	}
	runs := sp.add(sp.cteName("runs"), &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: col("b", keyCol), Alias: keyCol},
			{X: col("b", spinePeriod), Alias: spinePeriod},
			{X: col("b", spineNext), Alias: spineNext},
			{X: n, Alias: spineIndex},
			{X: col("b", valueCol), Alias: valueCol},
			{X: byPeriod("LAG", n), Alias: "previous_n"},
			{X: byPeriod("LAG", col("b", valueCol)), Alias: "previous_value"},
			{X: byPeriod("LEAD", n), Alias: "next_n"},
			{X: byPeriod("ROW_NUMBER", nil), Alias: "nth"},
		},
		From:  sqltree.Table{Path: []string{bal}, Alias: "b"},
		Where: sqltree.Binary{Op: ">", Left: col("b", valueCol), Right: zero},
	})
	r := func(c string) sqltree.Expr { return col("r", c) }
	consecutive := eq(r("previous_n"), sqltree.Binary{Op: "-", Left: r(spineIndex), Right: sqltree.Num("1")})
	previous := sqltree.Case{Whens: []sqltree.When{{Cond: consecutive, Then: r("previous_value")}}, Else: zero}
	movement := sqltree.Case{Whens: []sqltree.When{
		{Cond: eq(r("nth"), sqltree.Num("1")), Then: sqltree.Str("new")},
		{Cond: sqltree.Unary{Op: "NOT", X: consecutive}, Then: sqltree.Str("reactivation")},
		{Cond: sqltree.Binary{Op: ">", Left: r(valueCol), Right: r("previous_value")}, Then: sqltree.Str("expansion")},
		{Cond: sqltree.Binary{Op: "<", Left: r(valueCol), Right: r("previous_value")}, Then: sqltree.Str("contraction")},
	}}
	paying := &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: r(keyCol), Alias: keyCol},
			{X: r(spinePeriod), Alias: spinePeriod},
			{X: castTo(r(valueCol), m.Type), Alias: changeValue},
			{X: castTo(previous, m.Type), Alias: changePrevious},
			{X: movement, Alias: changeMovement},
			{X: castTo(sqltree.Binary{Op: "-", Left: r(valueCol), Right: previous}, m.Type), Alias: changeAmount},
		},
		From:     sqltree.Table{Path: []string{runs}, Alias: "r"},
		UnionAll: true,
	}
	// Churn: the period after a run's last, if the spine has it.
	lastIndex := sqltree.Subquery{Query: &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "MAX", Args: []sqltree.Expr{sqltree.Column{Name: spineIndex}}}}},
		From:    sqltree.Table{Path: []string{spineCTE}},
	}}
	runEnds := sqltree.Binary{Op: "OR", Left: sqltree.IsNull{X: r("next_n")},
		Right: sqltree.Binary{Op: ">", Left: r("next_n"), Right: sqltree.Binary{Op: "+", Left: r(spineIndex), Right: sqltree.Num("1")}}}
	paying.Union = append(paying.Union, &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: r(keyCol), Alias: keyCol},
			{X: r(spineNext), Alias: spinePeriod},
			{X: castTo(zero, m.Type), Alias: changeValue},
			{X: castTo(r(valueCol), m.Type), Alias: changePrevious},
			{X: sqltree.Str("churn"), Alias: changeMovement},
			{X: castTo(sqltree.Unary{Op: "-", X: r(valueCol)}, m.Type), Alias: changeAmount},
		},
		From:  sqltree.Table{Path: []string{runs}, Alias: "r"},
		Where: and(runEnds, sqltree.Binary{Op: "<", Left: r(spineIndex), Right: lastIndex}),
	})
	name := sp.add(sp.cteName("changes"), paying)
	sp.named[key] = name
	return name
}

// summary plans the per-period summary of m's movements: opening, each
// movement's total, closing, and counts of entities. Dense over the spine.
func (sp *seriesPlan) summary(m *check.Metric) string {
	key := "summary:" + m.Decl.Name
	if name, ok := sp.named[key]; ok {
		return name
	}
	ch := sp.changes(m)
	change := func(name string) sqltree.Expr { return col("c", name) }
	zero := sqltree.Num("0")
	sum := func(x sqltree.Expr) sqltree.Expr {
		return castTo(sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{sqltree.Call{Name: "SUM", Args: []sqltree.Expr{x}}, zero}}, m.Type)
	}
	countWhen := func(cond sqltree.Expr) sqltree.Expr {
		return castTo(sqltree.Call{Name: "COUNT", Args: []sqltree.Expr{sqltree.Case{Whens: []sqltree.When{{Cond: cond, Then: sqltree.Num("1")}}}}}, models.TypeInteger)
	}
	is := func(kind string) sqltree.Expr {
		return sqltree.Binary{Op: "=", Left: change(changeMovement), Right: sqltree.Str(kind)}
	}
	period := sqltree.Column{Table: seriesAlias, Name: spinePeriod}
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: period, Alias: spinePeriod}, {X: sum(change(changePrevious)), Alias: "opening"}},
		From:    sqltree.Table{Path: []string{spineCTE}, Alias: seriesAlias},
		Joins: []sqltree.Join{{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{ch}, Alias: "c"},
			On: sqltree.Binary{Op: "=", Left: change(spinePeriod), Right: period}}},
		GroupBy: []sqltree.Expr{period},
	}
	for _, kind := range movementKinds {
		q.Columns = append(q.Columns, sqltree.SelectItem{
			X:     sum(sqltree.Case{Whens: []sqltree.When{{Cond: is(kind), Then: change(changeAmount)}}}),
			Alias: kind,
		})
	}
	q.Columns = append(q.Columns,
		sqltree.SelectItem{X: sum(change(changeValue)), Alias: "closing"},
		sqltree.SelectItem{X: countWhen(sqltree.Binary{Op: ">", Left: change(changeValue), Right: zero}), Alias: "count_active"},
		sqltree.SelectItem{X: countWhen(sqltree.Binary{Op: ">", Left: change(changePrevious), Right: zero}), Alias: "count_opening"},
		sqltree.SelectItem{X: countWhen(is("new")), Alias: "count_new"},
		sqltree.SelectItem{X: countWhen(is("churn")), Alias: "count_churned"},
		sqltree.SelectItem{X: countWhen(is("reactivation")), Alias: "count_reactivated"},
	)
	name := sp.add(sp.cteName("summary"), q)
	sp.named[key] = name
	return name
}

// planMovements plans <metric>_movements and <metric>_movements_summary.
func (p *planner) planMovements(m *check.Metric) []*Output {
	d := m.Decl
	grain, rng := check.GrainOf(d.Grain, d.MovementsRange)
	ent := m.Entity
	keyType := models.TypeString
	if ent.Key != nil {
		keyType = ent.Key.Type
	}

	// <metric>_movements: one row per entity and period with a movement.
	sp := p.newSeriesPlan(grain, rng)
	ch := sp.changes(m)
	name := check.MovementsView(m)
	moves := &Output{Name: name, Kind: KindMovements, DeclRange: d.DeclRange,
		Description: "Movements of " + d.Name + " per " + ent.Decl.Name + " and " + string(grain) + "."}
	q := &sqltree.Select{
		From:    sqltree.Table{Path: []string{ch}},
		Where:   sqltree.IsNull{X: sqltree.Column{Name: changeMovement}, Negate: true},
		OrderBy: []sqltree.OrderItem{{X: sqltree.Column{Name: spinePeriod}}, {X: sqltree.Column{Name: keyCol}}},
	}
	entityKey := ent.Decl.Key.Name
	for _, col := range []OutputColumn{
		{Name: spinePeriod, Type: models.TypeDate, Description: "First day of the period."},
		{Name: entityKey, Type: keyType},
		{Name: changeMovement, Type: models.TypeString, Description: "new, expansion, contraction, churn or reactivation."},
		{Name: changeAmount, Type: m.Type, Description: "Change from the previous period's end to this period's end; negative for contraction and churn."},
	} {
		src := col.Name
		if src == entityKey {
			src = keyCol
		}
		q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Column{Name: src}, Alias: col.Name})
		moves.Columns = append(moves.Columns, col)
	}
	p.define(moves, p.viewName(name), sp.query(q), d.Materialized)
	moves.DependsOn = sortedKeys(sp.deps)

	// <metric>_movements_summary: one row per period.
	sp = p.newSeriesPlan(grain, rng)
	sum := sp.summary(m)
	name = check.MovementsSummaryView(m)
	summary := &Output{Name: name, Kind: KindMovements, DeclRange: d.DeclRange,
		Description: "Movements of " + d.Name + " per " + string(grain) + ": opening + new + expansion + contraction + churn + reactivation = closing."}
	sq := &sqltree.Select{From: sqltree.Table{Path: []string{sum}}, OrderBy: []sqltree.OrderItem{{X: sqltree.Column{Name: spinePeriod}}}}
	cols := []OutputColumn{{Name: spinePeriod, Type: models.TypeDate, Description: "First day of the period."},
		{Name: "opening", Type: m.Type, Description: "Value at the end of the previous period."}}
	for _, kind := range movementKinds {
		cols = append(cols, OutputColumn{Name: kind, Type: m.Type})
	}
	cols = append(cols, OutputColumn{Name: "closing", Type: m.Type, Description: "Value at the period's end (as_of for the current period)."})
	for _, col := range cols {
		sq.Columns = append(sq.Columns, sqltree.SelectItem{X: sqltree.Column{Name: col.Name}})
		summary.Columns = append(summary.Columns, col)
	}
	p.define(summary, p.viewName(name), sp.query(sq), d.Materialized)
	summary.DependsOn = sortedKeys(sp.deps)
	return []*Output{moves, summary}
}

// activeByGroup plans count_active(m) per period and label: entities with
// a positive value on the period's last day, by their label that day.
func (sp *seriesPlan) activeByGroup(m *check.Metric) string {
	key := "active:" + m.Decl.Name
	if name, ok := sp.named[key]; ok {
		return name
	}
	bal := sp.balances(m)
	counts := sp.add(sp.cteName("active"), &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: col("v", spinePeriod), Alias: spinePeriod},
			{X: col(groupAlias, segmentCol), Alias: segmentCol},
			{X: sqltree.Call{Name: "COUNT", Star: true}, Alias: valueCol},
		},
		From: sqltree.Table{Path: []string{bal}, Alias: "v"},
		Joins: []sqltree.Join{{Kind: "JOIN", Right: sqltree.Table{Path: []string{membersCTE}, Alias: groupAlias},
			On: and(eq(col(groupAlias, keyCol), col("v", keyCol)), eq(col(groupAlias, spinePeriod), col("v", spinePeriod)))}},
		Where:   sqltree.Binary{Op: ">", Left: col("v", valueCol), Right: sqltree.Num("0")},
		GroupBy: []sqltree.Expr{col("v", spinePeriod), col(groupAlias, segmentCol)},
	})
	q, _ := sp.base()
	q.Columns = append(q.Columns, sqltree.SelectItem{X: castTo(sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{col(counts, valueCol), sqltree.Num("0")}}, models.TypeInteger), Alias: valueCol})
	q.Joins = append(q.Joins, sqltree.Join{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{counts}}, On: sp.joinOn(counts)})
	name := sp.add(sp.cteName("total"), q)
	sp.named[key] = name
	return name
}

// spineJoin joins the spine to rows that count on a period's day when
// filters hold; rows with no time count on every day.
func spineJoin(filters []sqltree.Expr) sqltree.Join {
	if len(filters) == 0 {
		return sqltree.Join{Kind: "CROSS JOIN", Right: sqltree.Table{Path: []string{spineCTE}, Alias: seriesAlias}}
	}
	return sqltree.Join{Kind: "JOIN", Right: sqltree.Table{Path: []string{spineCTE}, Alias: seriesAlias}, On: andAll(filters)}
}
