package views

import (
	"slices"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// maxInlined bounds the size of a segment's rule with the derived metrics
// it reads written into it; a larger rule keeps the profile's layers.
const maxInlined = 500

// planSegment plans segment_<name>: its members with the values its rule
// read. It computes only what the rule reads, not the whole profile: a
// rule on attributes reads only the entity's table, ranks are computed
// only when the rule ranks, and without ranks the rule is one flat query
// whose conditions on attributes also narrow the rows the metrics read.
func (p *planner) planSegment(sg *check.Segment) *Output {
	ent := sg.Entity
	name := check.SegmentView(sg)
	out := &Output{Name: name, Kind: KindSegment, Description: sg.Decl.Description, DeclRange: sg.Decl.DeclRange}
	want := p.reads(ent, append([]string{ent.Key.Name, sg.Decl.Name}, sg.Used...))
	sel := p.selectColumns(ent, want)
	columns := sel.columns() // a few: a lookup scans them
	column := func(name string) OutputColumn {
		for _, col := range columns {
			if col.Name == name {
				return col
			}
		}
		return OutputColumn{}
	}
	q, value, deps := p.flatSegment(sg, sel)
	if q == nil {
		var last string
		q, last, deps = p.profileQuery(ent, sel)
		q.From = sqltree.Table{Path: []string{last}}
		value = func(name string) sqltree.Expr { return sqltree.Column{Name: name} }
		if sg.Type == models.TypeString {
			q.Where = sqltree.IsNull{X: sqltree.Column{Name: sg.Decl.Name}, Negate: true}
		} else {
			q.Where = sqltree.Column{Name: sg.Decl.Name}
		}
	}
	out.Columns = slices.Grow(out.Columns, len(sg.Used)+2)
	q.Columns = slices.Grow(q.Columns, len(sg.Used)+2)
	add := func(col OutputColumn, x sqltree.Expr) {
		out.Columns = append(out.Columns, col)
		q.Columns = append(q.Columns, sqltree.SelectItem{X: x, Alias: col.Name})
	}
	add(column(ent.Key.Name), value(ent.Key.Name))
	if sg.Type == models.TypeString {
		add(OutputColumn{Name: "tier", Type: models.TypeString, Description: "The first tier of " + sg.Decl.Name + " whose rule matches."},
			value(sg.Decl.Name))
	}
	for _, used := range sg.Used {
		if used != ent.Key.Name && !(sg.Type == models.TypeString && used == "tier") {
			add(column(used), value(used))
		}
	}
	p.define(out, p.viewName(name), q, sg.Decl.Materialized)
	out.DependsOn = sortedKeys(deps)
	return out
}

// flatSegment plans a segment whose rule ranks nothing as one query over
// the entity's rows and the aggregates it reads, with the derived metrics
// written into the rule. The aggregates read only the rows of entities
// that meet the rule's conditions on attributes. It returns nil when the
// rule ranks or would grow past maxInlined; else the query (without its
// select list), each profile column as an expression, and the relations
// read.
func (p *planner) flatSegment(sg *check.Segment, sel selection) (*sqltree.Select, func(string) sqltree.Expr, map[string]bool) {
	ent := sg.Entity
	asOf := binding{}
	deps := map[string]bool{ent.Rel.Ref(): true}
	q := &sqltree.Select{From: sqltree.Table{Path: ent.Rel.Path, Alias: entityAlias}}

	rule, absent := p.absentRows(ent, filterRule(sg.Rule))
	isAbsent := map[*check.Metric]bool{}
	for _, a := range absent {
		isAbsent[a.metric] = true
	}

	var aggregates []*check.Metric
	for _, cm := range sel.metrics {
		if cm.Rel != nil && !isAbsent[cm] {
			aggregates = append(aggregates, cm)
		}
	}
	groups := groupAggregates(aggregates)
	aggregateValue := map[string]sqltree.Expr{}
	for _, a := range absent {
		aggregateValue[a.metric.Decl.Name] = castTo(sqltree.Num("0"), a.metric.Type) // what it counts for a member
	}
	for _, g := range groups {
		g.cte = metricCTE(len(q.With) + 1)
		for i, cm := range g.metrics {
			var v sqltree.Expr = sqltree.Column{Table: g.cte, Name: g.valueColumn(i)}
			if cm.ZeroWhenEmpty {
				v = sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{v, sqltree.Num("0")}}
			}
			aggregateValue[cm.Decl.Name] = v
		}
		q.With = append(q.With, sqltree.CTE{Name: g.cte})
	}

	// Every profile column as an expression over e and the aggregates,
	// derived metrics and segments written out.
	memo := map[string]sqltree.Expr{}
	tooBig := false
	var value func(name string) sqltree.Expr
	inline := func(e sqltree.Expr) sqltree.Expr {
		return sqltree.Rewrite(p.bind(e, asOf), func(x sqltree.Expr) (sqltree.Expr, bool) {
			if c, ok := x.(sqltree.Column); ok && c.Table == "" {
				return value(c.Name), true
			}
			if _, ranks := x.(sqltree.Window); ranks {
				tooBig = true
			}
			return nil, false
		})
	}
	value = func(name string) sqltree.Expr {
		if v, ok := memo[name]; ok {
			return v
		}
		var v sqltree.Expr
		switch {
		case ent.Column(name) != nil:
			v = sqltree.Column{Table: entityAlias, Name: name}
		case aggregateValue[name] != nil:
			v = aggregateValue[name]
		case p.m.Metric(name) != nil && p.m.Metric(name).Entity == ent:
			m := p.m.Metric(name)
			v = castTo(inline(m.Value), m.Type)
		case p.m.Segment(name) != nil:
			v = inline(p.m.Segment(name).Rule)
		default:
			v = sqltree.Null()
		}
		memo[name] = v
		return v
	}
	var cond sqltree.Expr
	if rule != nil {
		cond = inline(rule)
		if sg.Type == models.TypeString {
			cond = sqltree.IsNull{X: cond, Negate: true}
		}
		if tooBig || size(cond) > maxInlined {
			return nil, nil, nil
		}
	}

	// The conditions on attributes alone narrow the entities, and with
	// them the rows the aggregates read.
	var onAttributes []sqltree.Expr
	if cond != nil {
		for _, c := range conjuncts(cond, nil) {
			if readsOnly(c, entityAlias) {
				onAttributes = append(onAttributes, c)
			}
		}
	}
	existed := p.existed(ent, asOf)
	entityKey := sqltree.Column{Table: entityAlias, Name: ent.Key.Name}
	conditions := []sqltree.Expr{existed, cond}
	for _, a := range absent {
		deps[a.metric.Rel.Ref()] = true
		conditions = append(conditions, a.condition(entityKey))
	}
	for i, g := range groups {
		deps[g.rel.Ref()] = true
		gq := p.groupQuery(g)
		if len(onAttributes) > 0 {
			members := &sqltree.Select{
				Columns: []sqltree.SelectItem{{X: entityKey}},
				From:    sqltree.Table{Path: ent.Rel.Path, Alias: entityAlias},
				Where:   andAll(append([]sqltree.Expr{existed}, onAttributes...)),
			}
			if existed == nil {
				members.Where = andAll(onAttributes)
			}
			gq.Where = and(gq.Where, sqltree.InQuery{X: gq.GroupBy[0], Query: members})
		}
		q.With[i].Query = gq
		q.Joins = append(q.Joins, sqltree.Join{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{g.cte}},
			On: sqltree.Binary{Op: "=", Left: sqltree.Column{Table: g.cte, Name: "key"}, Right: entityKey}})
	}
	q.Where = andAll(conditions)
	return q, value, deps
}

// absentRow is a conjunct of a segment's rule that requires an aggregate
// metric counting rows, count() or count_if(), to be zero: the entity has
// no row that counts. It is written as an anti-join, which warehouses run
// as one pass that stops at the first row, rather than counting every row
// of every entity and keeping the zeros (1.34 times the time of the
// NOT EXISTS an analyst writes, on the example's not_onboarded). It is
// NOT EXISTS, not NOT IN: DuckDB cannot run NOT IN, whose NULLs it must
// honour, as an anti-join (19 times the time, measured).
type absentRow struct {
	metric *check.Metric
	rows   *sqltree.Select // the metric's query: its rows, keyed and counted
}

// condition is the conjunct as an anti-join: NOT EXISTS a row of the
// entity's that counts. An entity without a key has none.
func (a absentRow) condition(entityKey sqltree.Expr) sqltree.Expr {
	rows := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Num("1")}},
		From:    a.rows.From,
		Where:   sqltree.Binary{Op: "=", Left: a.rows.GroupBy[0], Right: entityKey},
	}
	if a.rows.Where != nil {
		rows.Where = andAll(conjuncts(a.rows.Where, []sqltree.Expr{rows.Where}))
	}
	return sqltree.Unary{Op: "NOT", X: sqltree.Exists{Query: rows}}
}

// absentRows takes from a rule the conjuncts metric = 0 whose metric
// counts rows of a relation of ent (absentRow), and returns what remains
// of the rule (nil when nothing does) and them.
func (p *planner) absentRows(ent *check.Entity, rule sqltree.Expr) (sqltree.Expr, []absentRow) {
	var rest []sqltree.Expr
	var absent []absentRow
	for _, c := range conjuncts(rule, nil) {
		if a, ok := p.absentRow(ent, c); ok {
			absent = append(absent, a)
		} else {
			rest = append(rest, c)
		}
	}
	if len(absent) == 0 {
		return rule, nil
	}
	return andAll(rest), absent
}

func (p *planner) absentRow(ent *check.Entity, c sqltree.Expr) (absentRow, bool) {
	eq, ok := c.(sqltree.Binary)
	if !ok || eq.Op != "=" {
		return absentRow{}, false
	}
	col, isCol := eq.Left.(sqltree.Column)
	zero, isLit := eq.Right.(sqltree.Literal)
	if !isCol {
		col, isCol = eq.Right.(sqltree.Column)
		zero, isLit = eq.Left.(sqltree.Literal)
	}
	if !isCol || !isLit || col.Table != "" || zero.Kind != sqltree.LitNumber || zero.Value != "0" {
		return absentRow{}, false
	}
	m := p.m.Metric(col.Name)
	if m == nil || m.Entity != ent || m.Rel == nil || m.Periodic || ent.Column(col.Name) != nil {
		return absentRow{}, false
	}
	rows := p.plannedAggregate(m)
	value := rows.Columns[1].X
	if cast, ok := value.(sqltree.Cast); ok {
		value = cast.X
	}
	if count, ok := value.(sqltree.Call); !ok || count.Name != "COUNT" || !count.Star {
		return absentRow{}, false
	}
	return absentRow{metric: m, rows: rows}, true
}

// filterRule is a segment's rule as a filter: without the COALESCE(rule,
// FALSE) that makes its column a boolean, since in WHERE (and for a
// member) NULL is not membership already.
func filterRule(rule sqltree.Expr) sqltree.Expr {
	if c, ok := rule.(sqltree.Call); ok && c.Name == "COALESCE" && len(c.Args) == 2 {
		return c.Args[0]
	}
	return rule
}

// readsOnly reports whether every column e reads is qualified by alias.
func readsOnly(e sqltree.Expr, alias string) bool {
	only := true
	sqltree.Rewrite(e, func(x sqltree.Expr) (sqltree.Expr, bool) {
		switch n := x.(type) {
		case sqltree.Column:
			if n.Table != alias {
				only = false
			}
		case sqltree.Hole, sqltree.Subquery:
			only = false
		}
		return nil, false
	})
	return only
}

// size counts the nodes of an expression.
func size(e sqltree.Expr) int {
	n := 0
	sqltree.Rewrite(e, func(sqltree.Expr) (sqltree.Expr, bool) {
		n++
		return nil, false
	})
	return n
}
