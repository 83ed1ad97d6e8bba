package views

import (
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
	columns := map[string]OutputColumn{}
	for _, col := range p.profileColumns(ent, want) {
		columns[col.Name] = col
	}
	q, value, deps := p.flatSegment(sg, want)
	if q == nil {
		var last string
		q, last, deps = p.profileQuery(ent, want)
		q.From = sqltree.Table{Path: []string{last}}
		value = func(name string) sqltree.Expr { return sqltree.Column{Name: name} }
		if sg.Type == models.TypeString {
			q.Where = sqltree.IsNull{X: sqltree.Column{Name: sg.Decl.Name}, Negate: true}
		} else {
			q.Where = sqltree.Column{Name: sg.Decl.Name}
		}
	}
	add := func(col OutputColumn, x sqltree.Expr) {
		out.Columns = append(out.Columns, col)
		q.Columns = append(q.Columns, sqltree.SelectItem{X: x, Alias: col.Name})
	}
	add(columns[ent.Key.Name], value(ent.Key.Name))
	if sg.Type == models.TypeString {
		add(OutputColumn{Name: "tier", Type: models.TypeString, Description: "The first tier of " + sg.Decl.Name + " whose rule matches."},
			value(sg.Decl.Name))
	}
	for _, used := range sg.Used {
		if used != ent.Key.Name && !(sg.Type == models.TypeString && used == "tier") {
			add(columns[used], value(used))
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
func (p *planner) flatSegment(sg *check.Segment, want map[string]bool) (*sqltree.Select, func(string) sqltree.Expr, map[string]bool) {
	ent := sg.Entity
	asOf := binding{}
	deps := map[string]bool{ent.Rel.Ref(): true}
	q := &sqltree.Select{From: sqltree.Table{Path: ent.Rel.Path, Alias: entityAlias}}

	var aggregates []*check.Metric
	for _, cm := range p.selectColumns(ent, want).metrics {
		if cm.Rel != nil {
			aggregates = append(aggregates, cm)
		}
	}
	groups := groupAggregates(aggregates)
	aggregateValue := map[string]sqltree.Expr{}
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
	rule := sg.Rule
	if c, ok := rule.(sqltree.Call); ok && c.Name == "COALESCE" && len(c.Args) == 2 {
		rule = c.Args[0] // in WHERE, NULL is not membership already
	}
	cond := inline(rule)
	if sg.Type == models.TypeString {
		cond = sqltree.IsNull{X: cond, Negate: true}
	}
	if tooBig || size(cond) > maxInlined {
		return nil, nil, nil
	}

	// The conditions on attributes alone narrow the entities, and with
	// them the rows the aggregates read.
	var onAttributes []sqltree.Expr
	for _, c := range conjuncts(cond, nil) {
		if readsOnly(c, entityAlias) {
			onAttributes = append(onAttributes, c)
		}
	}
	existed := p.existed(ent, asOf)
	entityKey := sqltree.Column{Table: entityAlias, Name: ent.Key.Name}
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
	q.Where = cond
	if existed != nil {
		q.Where = and(existed, cond)
	}
	return q, value, deps
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
