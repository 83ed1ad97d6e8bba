package check

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/strata-analytics/strata/compiler/diag"

	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// Time series: what the views over time need checked before they are
// planned. A metric's series, its breakdowns by segment, its movements
// and its overlap check.

// periodFunctions are the functions of series expressions that read a
// balance metric's movement summary: the column each reads, and whether
// it counts entities (an integer) or sums amounts (the metric's type).
var periodFunctions = map[string]struct {
	column string
	counts bool
}{
	"opening":           {"opening", false},
	"new":               {"new", false},
	"expansion":         {"expansion", false},
	"contraction":       {"contraction", false},
	"churn":             {"churn", false},
	"reactivation":      {"reactivation", false},
	"count_active":      {"count_active", true},
	"count_opening":     {"count_opening", true},
	"count_new":         {"count_new", true},
	"count_churned":     {"count_churned", true},
	"count_reactivated": {"count_reactivated", true},
}

// CountActive is the one movement function a breakdown by segment can
// split: the entities with a positive balance at a period's end.
const CountActive = "count_active"

// buildPeriodFunction translates churn(metric.mrr) and its kin.
func buildPeriodFunction(s *scope, e *hclsyntax.FunctionCallExpr, _ []typed) typed {
	pf := periodFunctions[e.Name]
	m := s.balanceArgument(e.Name, e.Args[0])
	if m == nil {
		return typed{sql: sqltree.Null(), rng: e.Range()}
	}
	typ := m.Type
	if pf.counts {
		typ = models.TypeInteger
	}
	return typed{sql: sqltree.Hole{Value: PeriodValue{Metric: m, Function: e.Name, Column: pf.column, Range: e.NameRange}}, typ: typ}
}

// balanceArgument resolves the metric.x argument of a movement function
// and checks that x is a balance metric.
func (s *scope) balanceArgument(fn string, arg hcl.Expression) *Metric {
	t, ok := arg.(*hclsyntax.ScopeTraversalExpr)
	name, named := "", false
	if ok && t.Traversal.RootName() == "metric" {
		name, named = traversalName(t.Traversal)
	}
	if !named {
		s.fail(arg.Range(), "Invalid argument", "%s() takes a balance metric, as in %s(metric.mrr).", fn, fn)
		return nil
	}
	m := s.c.lookupMetric(name, arg.Range())
	if m == nil || !m.ok {
		return nil
	}
	if !m.IsBalance() {
		s.fail(arg.Range(), "Not a balance metric",
			"%s() follows the movements of a balance: a metric whose rows are validity intervals (valid = [start, end]). Metric %q has no valid intervals.", fn, name)
		return nil
	}
	return m
}

// translateSeries translates a derived metric over the period totals of
// a time series, once: Series and SeriesType.
func (c *checker) translateSeries(m *Metric) {
	if c.seriesDone[m] {
		return
	}
	c.seriesDone[m] = true
	v := (&scope{c: c, series: true}).translate(m.Decl.Value)
	m.Series, m.SeriesType = v.sql, v.typ
}

// Undated reports whether a metric counts rows per period that have no
// time column to place them in one.
func (m *Metric) Undated() bool { return m.Rel != nil && m.EveryPeriod() && m.Rel.Time == nil }

// EveryPeriod reports whether a metric's series counts the rows dated in
// each period (a flow without window) rather than evaluating the metric
// on each period's last day (a balance, or a flow over a trailing window).
func (m *Metric) EveryPeriod() bool { return m.Decl.Valid == nil && m.Decl.Window == nil }

// HasSeries reports whether the metric has a view over time of its own.
func (m *Metric) HasSeries() bool { return m.Decl.Grain != nil || m.Periodic }

// GrainOf is a declaration's grain and where it was written, or month
// and fallback when the declaration gives none.
func GrainOf(spec *models.GrainSpec, fallback hcl.Range) (models.Grain, hcl.Range) {
	if spec == nil {
		return models.GrainMonth, fallback
	}
	return spec.Grain, spec.Range
}

// checkSeries checks the views over time of every metric, in
// declaration order: its series and breakdowns, its movements, and the
// overlap check of its intervals.
func (c *checker) checkSeries() {
	for _, d := range c.project.Metrics {
		m := c.model.metrics[d.Name]
		if m == nil || m.Decl != d || !m.ok || m.Entity == nil {
			continue
		}
		if d.Grain != nil || len(d.By)+len(d.ByAttributes)+len(d.ByCombinations) > 0 || m.Periodic {
			c.checkMetricSeries(m)
		}
		if d.Movements && !m.IsBalance() {
			c.errorf(d.MovementsRange, "Movements of a non-balance metric",
				"Movements (new, expansion, contraction, churn, reactivation) compare balances between periods, but metric %q is not a balance. Give it valid = [start, end] over interval rows, or remove movements.", d.Name)
		}
		if !d.AllowOverlap && !m.IsBalance() {
			c.errorf(d.AllowOverlapRange, "Overlap check on a non-balance metric",
				"allow_overlap is about the validity intervals of a balance metric (valid = [start, end]); metric %q has none. Remove allow_overlap.", d.Name)
		}
	}
}

func (c *checker) checkMetricSeries(m *Metric) {
	d := m.Decl
	_, rng := GrainOf(d.Grain, d.DeclRange)
	if m.Undated() && d.Grain != nil {
		c.errorf(rng, "Time series without time",
			"Metric %q counts rows of %s, which has no time column to place them in periods. Add time = <column> to %s %q, or remove grain (its breakdowns are then as of as_of).",
			d.Name, m.Rel.Ref(), m.Rel.Decl.Kind, m.Rel.Decl.Name)
		return
	}
	if m.Rel == nil {
		c.translateSeries(m)
	}
	m.AsOfOnly = d.Grain == nil && (m.OverEntities || !m.Periodic && c.undatedOnly(m))
	for _, ref := range d.By {
		if sg := c.breakdownSegment(m, ref); sg != nil {
			m.By = append(m.By, sg)
			m.ByRanges = append(m.ByRanges, ref.Range)
		}
	}
	for _, id := range d.ByAttributes {
		if b, ok := c.breakdownColumn(m, id, "metric_"+d.Name+"_by_"+id.Name); ok {
			m.ByColumns = append(m.ByColumns, b)
		}
	}
	for _, dc := range d.ByCombinations {
		if cb, ok := c.combination(m, dc); ok {
			m.ByCombinations = append(m.ByCombinations, cb)
		}
	}
}

// breakdownSegment resolves a segment a metric's series is broken down
// by, which must group the metric's entity.
func (c *checker) breakdownSegment(m *Metric, ref models.Ref) *Segment {
	if ref.IsZero() {
		return nil // reported when decoded
	}
	sg := c.lookupSegment(ref.Name, ref.Range)
	if sg == nil || !sg.ok {
		return nil
	}
	if sg.Entity != m.Entity {
		c.errorf(ref.Range, "Segment of another entity",
			"Segment %q groups entity %q, but metric %q measures entity %q.", sg.Decl.Name, sg.Entity.Decl.Name, m.Decl.Name, m.Entity.Decl.Name)
		return nil
	}
	return sg
}

// combination resolves a breakdown by several dimensions at once: two
// or more, each named once, none named like the view's own columns, and
// a series that reads no movement functions (their ledgers are by one
// segment).
func (c *checker) combination(m *Metric, dc models.Combination) (Combination, bool) {
	cb := Combination{Range: dc.Range}
	if len(dc.Dimensions) < 2 {
		if len(dc.Dimensions) == 1 {
			c.errorf(dc.Range, "Combination of one dimension",
				"A list inside by breaks metric %q down by several dimensions at once, but this one has one. Write it without the brackets, or add another dimension: [segment.paying, plan].", m.Decl.Name)
		} else {
			c.errorf(dc.Range, "Combination of no dimension",
				"A list inside by breaks metric %q down by several dimensions at once, such as [segment.paying, plan]; this one is empty. Remove it.", m.Decl.Name)
		}
		return cb, false
	}
	if c.readsMovements(m.Series) {
		c.errorf(dc.Range, "Movements by several dimensions",
			"Metric %q reads movement functions (churn, count_active, ...), whose ledgers are by one segment. Break it down by one segment at a time, or by a segment whose tiers combine the dimensions.", m.Decl.Name)
		return cb, false
	}
	ok := true
	seen := map[string]bool{}
	for _, dd := range dc.Dimensions {
		var dim Dimension
		rng := dd.Column.Range
		if dd.Segment.IsZero() {
			b, found := c.breakdownColumn(m, dd.Column, "")
			if !found {
				ok = false
				continue
			}
			dim.Column = b
		} else {
			rng = dd.Segment.Range
			if dim.Segment = c.breakdownSegment(m, dd.Segment); dim.Segment == nil {
				ok = false
				continue
			}
		}
		name := dim.Name()
		switch {
		case seen[strings.ToLower(name)]:
			c.errorf(rng, "Dimension listed twice",
				"The combination already breaks metric %q down by %q; each dimension gives a column of that name, once. Remove one.", m.Decl.Name, name)
			ok = false
			continue
		case strings.EqualFold(name, "period") || strings.EqualFold(name, "value"):
			c.errorf(rng, "Breakdown column clash",
				"A breakdown by several dimensions has columns period, value and one per dimension, named after it; %q would be a second %q. Rename it (a model can rename a column).", name, name)
			ok = false
			continue
		}
		seen[strings.ToLower(name)] = true
		cb.Dimensions = append(cb.Dimensions, dim)
	}
	return cb, ok
}

// undatedOnly reports whether a metric's rows have no time to place
// them in periods: an undated aggregate, or a derived metric whose series
// reads only such metrics.
func (c *checker) undatedOnly(m *Metric) bool {
	if m.Rel != nil || m.OverEntities {
		return m.Undated()
	}
	reads, undated := 0, true
	sqltree.Rewrite(m.Series, func(x sqltree.Expr) (sqltree.Expr, bool) {
		if h, ok := x.(sqltree.Hole); ok {
			if t, ok := h.Value.(Total); ok {
				reads++
				if t.Metric.Rel == nil {
					c.translateSeries(t.Metric)
				}
				undated = undated && c.undatedOnly(t.Metric)
			}
		}
		return nil, false
	})
	return reads > 0 && undated
}

// breakdownColumn resolves a column a metric's series is broken down
// by: a column of the metric's own rows, else an attribute of its entity
// (a column of the entity's table other than the key); whose name is
// none of the breakdown view's own columns, for a series that reads no
// movement functions (their ledgers are by segment only).
func (c *checker) breakdownColumn(m *Metric, id models.Ident, view string) (ColumnBreakdown, bool) {
	ent := m.Entity
	// The rows' own column first: by = [name] on events is the event's
	// name, not the customer's.
	b := ColumnBreakdown{Range: id.Range}
	if m.Rel != nil && m.Rel != ent.Rel {
		b.Column, b.OfRows = m.Rel.Decl.Column(id.Name), true
	}
	if b.Column == nil {
		b.Column, b.OfRows = ent.Column(id.Name), false
	}
	var names []string
	for _, a := range ent.Attributes {
		names = append(names, a.Name)
	}
	if m.Rel != nil {
		for _, col := range m.Rel.Decl.Columns {
			names = append(names, col.Name)
		}
	}
	switch {
	case b.Column == nil:
		hint := ""
		if _, isSegment := c.model.segments[id.Name]; isSegment {
			hint = " To break it down by segment " + id.Name + ", write segment." + id.Name + "."
		}
		rows := ""
		if m.Rel != nil {
			rows = ", and the rows of " + m.Rel.Ref() + " have no such column"
		}
		c.errorf(id.Range, "Unknown attribute",
			"Entity %q has no attribute %q to break metric %q down by%s.%s%s", ent.Decl.Name, id.Name, m.Decl.Name, rows, hint, diag.DidYouMean(id.Name, names))
		return b, false
	case b.Column == ent.Key || b.OfRows && m.Rel.EntityKey == id.Name:
		c.errorf(id.Range, "Breakdown by the key",
			"Breaking metric %q down by %q, the key of entity %q, gives a row per %s and period. Break it down by an attribute or a segment, or read the profile over time.", m.Decl.Name, id.Name, ent.Decl.Name, ent.Decl.Name)
		return b, false
	case (id.Name == "period" || id.Name == "value") && view != "":
		c.errorf(id.Range, "Breakdown column clash",
			"The view %s has columns period, %s and value; %q would be a second %q. Break it down by a model that renames the column.", view, id.Name, id.Name, id.Name)
		return b, false
	case c.readsMovements(m.Series):
		c.errorf(id.Range, "Movements by attribute",
			"Metric %q reads movement functions (churn, count_active, ...), whose ledgers are by segment only. Break it down by a segment with a tier per value of %s.", m.Decl.Name, id.Name)
		return b, false
	}
	return b, true
}

// readsMovements reports whether a series expression reads a movement
// summary (a PeriodValue), itself or through the derived metrics it
// reads.
func (c *checker) readsMovements(series sqltree.Expr) bool {
	found := false
	if series != nil {
		sqltree.Rewrite(series, func(x sqltree.Expr) (sqltree.Expr, bool) {
			if h, ok := x.(sqltree.Hole); ok {
				switch v := h.Value.(type) {
				case PeriodValue:
					found = true
				case TrailingAvg:
					found = found || c.readsMovements(v.X)
				case Total:
					if v.Metric.Rel == nil && !v.Metric.OverEntities {
						c.translateSeries(v.Metric)
						found = found || c.readsMovements(v.Metric.Series)
					}
				}
			}
			return nil, false
		})
	}
	return found
}
