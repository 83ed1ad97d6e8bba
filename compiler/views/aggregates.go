package views

import (
	"fmt"
	"strconv"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/sqltree"
)

// The aggregate metrics of a profile, computed per relation: the metrics
// over one relation share one pass over its rows, each aggregate counting
// only the rows of its own metric. A warehouse then scans a table of
// events once for logins, feature uses and their windows, not once per
// metric.

// aggregateGroup is the aggregate metrics of one relation, and the CTE
// that computes them.
type aggregateGroup struct {
	rel     *check.Relation
	metrics []*check.Metric
	cte     string
}

// valueColumn is the column of a group's CTE that holds metric i.
func (g *aggregateGroup) valueColumn(i int) string {
	if len(g.metrics) == 1 {
		return "value"
	}
	return "value_" + strconv.Itoa(i+1)
}

// groupAggregates groups metrics by relation, in the order the relations
// are first read.
func groupAggregates(metrics []*check.Metric) []*aggregateGroup {
	var groups []*aggregateGroup
	byRel := map[*check.Relation]*aggregateGroup{}
	for _, m := range metrics {
		g := byRel[m.Rel]
		if g == nil {
			g = &aggregateGroup{rel: m.Rel}
			byRel[m.Rel] = g
			groups = append(groups, g)
		}
		g.metrics = append(g.metrics, m)
	}
	return groups
}

// groupQuery is the per-entity aggregates of a group's metrics over their
// rows, as of as_of. One metric's rows are filtered by WHERE. For several
// metrics, WHERE keeps the conditions every metric's rows meet (as_of's
// cut-off, a shared where), and each aggregate counts only the rows that
// also meet the rest of its own metric's conditions.
func (p *planner) groupQuery(g *aggregateGroup) *sqltree.Select {
	if len(g.metrics) == 1 {
		return p.plannedAggregate(g.metrics[0])
	}
	asOf := binding{}
	key := sqltree.Column{Table: check.RowAlias, Name: g.rel.EntityKey}
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: key, Alias: "key"}},
		From:    sqltree.Table{Path: g.rel.Path, Alias: check.RowAlias},
		GroupBy: []sqltree.Expr{key},
	}
	conditions := make([][]sqltree.Expr, len(g.metrics))
	values := make([]sqltree.Expr, len(g.metrics))
	for i, m := range g.metrics {
		values[i], conditions[i] = p.metricRows(m, asOf)
	}
	common, own := factor(conditions)
	q.Where = andAll(common)
	for i, m := range g.metrics {
		value := values[i]
		if len(own[i]) > 0 {
			value = onlyRows(value, andAll(own[i]))
		}
		q.Columns = append(q.Columns, sqltree.SelectItem{X: castTo(value, m.Type), Alias: g.valueColumn(i)})
	}
	return q
}

// metricRows is a metric's value over its rows and the conditions a row
// meets to count, evaluated on b's date. When every aggregate of the value
// counts only the rows where one condition holds (count_if(c), or
// sum(c ? x : null)), the condition joins the others and the aggregates
// lose it, so that the warehouse filters the rows before aggregating.
func (p *planner) metricRows(m *check.Metric, b binding) (sqltree.Expr, []sqltree.Expr) {
	value := p.bind(m.Value, b)
	conds := p.rowConditions(m, b)
	if inner, cond := hoist(value); cond != nil {
		return inner, append(conds, conjuncts(cond, nil)...)
	}
	return value, conds
}

// hoist finds the condition every aggregate of value is guarded by,
// AGG(CASE WHEN cond THEN x END), and returns value with the guards
// removed and the condition; nil when there is no such condition.
func hoist(value sqltree.Expr) (sqltree.Expr, sqltree.Expr) {
	var cond sqltree.Expr
	key, ok, found := "", true, false
	guard := func(args []sqltree.Expr) {
		if len(args) == 0 {
			ok = false
			return
		}
		c, isCase := args[0].(sqltree.Case)
		if !isCase || len(c.Whens) != 1 || c.Else != nil {
			ok = false
			return
		}
		k := fmt.Sprintf("%#v", c.Whens[0].Cond)
		if found && k != key {
			ok = false
		}
		key, cond, found = k, c.Whens[0].Cond, true
	}
	sqltree.Rewrite(value, func(x sqltree.Expr) (sqltree.Expr, bool) {
		switch n := x.(type) {
		case sqltree.Call:
			if aggregateCalls[n.Name] {
				if n.Star {
					ok = false
				} else {
					guard(n.Args)
				}
				return x, true
			}
		case sqltree.Portable:
			if aggregatePortables[n.Name] {
				guard(n.Args)
				return x, true
			}
		}
		return nil, false
	})
	if !ok || !found {
		return value, nil
	}
	unguard := func(args []sqltree.Expr) []sqltree.Expr {
		out := append([]sqltree.Expr(nil), args...)
		out[0] = args[0].(sqltree.Case).Whens[0].Then
		return out
	}
	inner := sqltree.Rewrite(value, func(x sqltree.Expr) (sqltree.Expr, bool) {
		switch n := x.(type) {
		case sqltree.Call:
			if aggregateCalls[n.Name] {
				if lit, isOne := n.Args[0].(sqltree.Case).Whens[0].Then.(sqltree.Literal); n.Name == "COUNT" && !n.Distinct && isOne && lit.Kind == sqltree.LitNumber {
					return sqltree.Call{Name: "COUNT", Star: true}, true // count_if(c) is COUNT(*) of the rows where c holds
				}
				n.Args = unguard(n.Args)
				return n, true
			}
		case sqltree.Portable:
			if aggregatePortables[n.Name] {
				n.Args = unguard(n.Args)
				return n, true
			}
		}
		return nil, false
	})
	return inner, cond
}

// rowConditions are the conditions a metric's rows meet to count as of
// as_of: the conjuncts of its where filter and its time filters.
func (p *planner) rowConditions(m *check.Metric, b binding) []sqltree.Expr {
	var conds []sqltree.Expr
	if m.Where != nil {
		conds = conjuncts(p.bind(m.Where, b), conds)
	}
	return append(conds, p.timeFilters(m, b)...)
}

// conjuncts appends the terms of a tree of ANDs.
func conjuncts(e sqltree.Expr, out []sqltree.Expr) []sqltree.Expr {
	if b, ok := e.(sqltree.Binary); ok && b.Op == "AND" {
		return conjuncts(b.Right, conjuncts(b.Left, out))
	}
	return append(out, e)
}

// factor splits lists of conditions into those every list has, in the
// first list's order, and what remains of each list.
func factor(lists [][]sqltree.Expr) (common []sqltree.Expr, own [][]sqltree.Expr) {
	keyed := make([][]string, len(lists))
	count := map[string]int{}
	for i, list := range lists {
		seen := map[string]bool{}
		for _, c := range list {
			k := fmt.Sprintf("%#v", c)
			keyed[i] = append(keyed[i], k)
			if !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	shared := map[string]bool{}
	for i, c := range lists[0] {
		if k := keyed[0][i]; count[k] == len(lists) && !shared[k] {
			shared[k] = true
			common = append(common, c)
		}
	}
	own = make([][]sqltree.Expr, len(lists))
	for i, list := range lists {
		for j, c := range list {
			if !shared[keyed[i][j]] {
				own[i] = append(own[i], c)
			}
		}
	}
	return common, own
}

// The SQL aggregates and the portable functions that aggregate, as the
// checker knows them.
var aggregateCalls, aggregatePortables = check.AggregateCalls, check.AggregatePortables

// onlyRows makes every aggregate in value count only the rows where
// filter holds: SUM(x) becomes SUM(CASE WHEN filter THEN x END), COUNT(*)
// becomes COUNT(CASE WHEN filter THEN 1 END). Aggregates skip the NULLs
// of other rows, so the result is the aggregate over the filtered rows.
func onlyRows(value, filter sqltree.Expr) sqltree.Expr {
	when := func(x sqltree.Expr) sqltree.Expr {
		return sqltree.Case{Whens: []sqltree.When{{Cond: filter, Then: x}}}
	}
	return sqltree.Rewrite(value, func(x sqltree.Expr) (sqltree.Expr, bool) {
		switch n := x.(type) {
		case sqltree.Call:
			if !aggregateCalls[n.Name] {
				return nil, false
			}
			if n.Star {
				return sqltree.Call{Name: n.Name, Args: []sqltree.Expr{when(sqltree.Num("1"))}, Distinct: n.Distinct}, true
			}
			args := append([]sqltree.Expr(nil), n.Args...)
			args[0] = when(args[0])
			n.Args = args
			return n, true
		case sqltree.Portable:
			if !aggregatePortables[n.Name] {
				return nil, false
			}
			args := append([]sqltree.Expr(nil), n.Args...)
			args[0] = when(args[0])
			n.Args = args
			return n, true
		}
		return nil, false
	})
}
