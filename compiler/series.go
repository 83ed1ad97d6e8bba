package compiler

import (
	"github.com/strata-analytics/strata/compiler/diag"
	"strconv"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// seriesPlan builds the CTEs of one view over a spine of periods: the
// period totals of metrics (metric_<name>), optionally broken down by a
// segment (metric_<name>_by_<segment>), and the per-entity balances and
// movements of balance metrics. Every total CTE is dense: one row per
// period (and segment label) with columns period, [segment,] value.
type seriesPlan struct {
	c     *checker
	grain models.Grain
	rng   hcl.Range // where the grain was asked for
	// group, when set, breaks every total down by a segment.
	group *grouping

	with   []sqltree.CTE     // every CTE but the spine and the grouping's
	firsts []sqltree.Expr    // earliest dates of the rows read: where the spine starts
	named  map[string]string // what a CTE computes ("total:mrr") -> its name
	deps   map[string]bool
	reads  []string // CTEs the expression being translated reads
	nextID int
}

// grouping is a segment a series is broken down by.
type grouping struct {
	seg    *segment
	labels []string
}

const (
	membersCTE   = "strata_membership"
	segmentCol   = "segment"
	valueCol     = "value"
	keyCol       = "key"
	seriesAlias  = "f" // the spine in joins
	groupAlias   = "g" // the membership in joins
	denseAlias   = "b" // the dense base rows of a total
	memberLabel  = "member"
	outsideLabel = "non-member"
)

func (c *checker) newSeriesPlan(g models.Grain, rng hcl.Range) *seriesPlan {
	return &seriesPlan{c: c, grain: g, rng: rng, named: map[string]string{}, deps: map[string]bool{}}
}

func (sp *seriesPlan) cteName(kind string) string {
	sp.nextID++
	return "strata_" + kind + "_" + strconv.Itoa(sp.nextID)
}

// query assembles the WITH list: the spine first, then everything else in
// the order it was planned, so every CTE comes after those it reads.
func (sp *seriesPlan) query(final *sqltree.Select) *sqltree.Select {
	final.With = append([]sqltree.CTE{sp.c.spine(sp.grain, sp.firsts, sp.rng)}, final.With...)
	final.With = append(final.With, sp.with...)
	return final
}

func (sp *seriesPlan) add(name string, q *sqltree.Select) string {
	sp.with = append(sp.with, sqltree.CTE{Name: name, Query: q})
	return name
}

// base is the dense set of rows a total has: the spine, times the
// segment's labels when grouped.
func (sp *seriesPlan) base() (*sqltree.Select, []sqltree.Expr) {
	from := spineCTE
	keys := []sqltree.Expr{sqltree.Column{Table: denseAlias, Name: spinePeriod}}
	if sp.group != nil {
		from = sp.labelGrid()
		keys = append(keys, sqltree.Column{Table: denseAlias, Name: segmentCol})
	}
	q := &sqltree.Select{From: sqltree.Table{Path: []string{from}, Alias: denseAlias}}
	for i, k := range keys {
		q.Columns = append(q.Columns, sqltree.SelectItem{X: k, Alias: []string{spinePeriod, segmentCol}[i]})
	}
	return q, keys
}

// labelGrid plans every period with every label of the grouping.
func (sp *seriesPlan) labelGrid() string {
	if name, ok := sp.named["grid"]; ok {
		return name
	}
	var labels *sqltree.Select
	for i, l := range sp.group.labels {
		sel := &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Str(l), Alias: segmentCol}}}
		if i == 0 {
			labels = sel
		} else {
			labels.Union = append(labels.Union, sel)
		}
	}
	name := sp.add(sp.cteName("grid"), &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Column{Table: seriesAlias, Name: spinePeriod}, Alias: spinePeriod}, {X: sqltree.Column{Table: "l", Name: segmentCol}, Alias: segmentCol}},
		From:    sqltree.Table{Path: []string{spineCTE}, Alias: seriesAlias},
		Joins:   []sqltree.Join{{Kind: "CROSS JOIN", Right: sqltree.Derived{Query: labels, Alias: "l"}}},
	})
	sp.named["grid"] = name
	return name
}

// joinOn matches a CTE's period (and label) to the dense base rows.
func (sp *seriesPlan) joinOn(cte string) sqltree.Expr {
	on := sqltree.Expr(sqltree.Binary{Op: "=", Left: sqltree.Column{Table: cte, Name: spinePeriod}, Right: sqltree.Column{Table: denseAlias, Name: spinePeriod}})
	if sp.group != nil {
		on = and(on, sqltree.Binary{Op: "=", Left: sqltree.Column{Table: cte, Name: segmentCol}, Right: sqltree.Column{Table: denseAlias, Name: segmentCol}})
	}
	return on
}

// total returns the CTE of metric m's period totals.
func (sp *seriesPlan) total(m *metric) string {
	key := "total:" + m.decl.Name
	if name, ok := sp.named[key]; ok {
		return name
	}
	var name string
	if m.rel != nil {
		name = sp.aggregateTotal(m)
	} else {
		name = sp.derivedTotal(m)
	}
	sp.named[key] = name
	return name
}

// everyPeriod reports whether a metric's series counts the rows dated in
// each period (a flow without window) rather than evaluating the metric
// on each period's last day (a balance, or a flow over a trailing window).
func everyPeriod(m *metric) bool { return m.decl.Valid == nil && m.decl.Window == nil }

// undated reports whether a metric counts rows per period that have no
// time column to place them in one.
func undated(m *metric) bool { return m.rel != nil && everyPeriod(m) && m.rel.time == nil }

// rowsAt translates metric m's row expressions evaluated on the date at:
// its value and the filters that keep the rows counting on that date.
func (sp *seriesPlan) rowsAt(m *metric, at sqltree.Expr) (sqltree.Expr, []sqltree.Expr) {
	rows := &scope{c: sp.c, rel: m.rel, allowAggregates: true, at: at}
	value := rows.translate(m.decl.Value)
	// Rows without an entity key belong to no entity: the profile never
	// sees them, and neither do series, movements or cohorts.
	filters := []sqltree.Expr{sqltree.IsNull{X: sqltree.Column{Table: rowAlias, Name: m.rel.entityKey}, Negate: true}}
	if m.decl.Where != nil {
		filters = append(filters, (&scope{c: sp.c, rel: m.rel, at: at}).translate(m.decl.Where).sql)
	}
	return castTo(value.sql, m.typ), append(filters, sp.c.timeFilters(m, rows)...)
}

// firstRow is the earliest date among the rows metric m reads.
func (sp *seriesPlan) firstRow(m *metric) sqltree.Expr {
	col := ""
	switch {
	case m.decl.Valid != nil:
		col = m.decl.Valid.Start.Name
	case m.rel.time != nil:
		col = m.rel.time.Name
	default:
		return nil
	}
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "MIN", Args: []sqltree.Expr{sqltree.Column{Table: rowAlias, Name: col}}}}},
		From:    sqltree.Table{Path: m.rel.path, Alias: rowAlias},
	}
	if m.decl.Where != nil {
		q.Where = (&scope{c: sp.c, rel: m.rel}).translate(m.decl.Where).sql
	}
	return sqltree.Subquery{Query: q}
}

func (sp *seriesPlan) noteFirst(m *metric) {
	if first := sp.firstRow(m); first != nil {
		sp.firsts = append(sp.firsts, first)
	}
	sp.deps[m.rel.ref()] = true
}

// periodRows is the aggregate of metric m per period (and label), over
// its rows: either the rows dated in the period, or the rows that count
// on the period's last day.
func (sp *seriesPlan) periodRows(m *metric) *sqltree.Select {
	sp.noteFirst(m)
	key := sqltree.Column{Table: rowAlias, Name: m.rel.entityKey}
	q := &sqltree.Select{From: sqltree.Table{Path: m.rel.path, Alias: rowAlias}}
	var period sqltree.Expr
	var filters []sqltree.Expr
	var value sqltree.Expr
	if everyPeriod(m) && m.rel.time != nil {
		value, filters = sp.rowsAt(m, nil)
		period = sp.c.periodStart(sp.grain, sqltree.Column{Table: rowAlias, Name: m.rel.time.Name}, sp.rng)
		q.Where = andAll(filters)
	} else {
		value, filters = sp.rowsAt(m, sqltree.Column{Table: seriesAlias, Name: spineAt})
		period = sqltree.Column{Table: seriesAlias, Name: spinePeriod}
		q.Joins = append(q.Joins, spineJoin(filters))
	}
	q.Columns = []sqltree.SelectItem{{X: period, Alias: spinePeriod}}
	q.GroupBy = []sqltree.Expr{period}
	if sp.group != nil {
		label := sqltree.Column{Table: groupAlias, Name: segmentCol}
		q.Joins = append(q.Joins, sqltree.Join{Kind: "JOIN", Right: sqltree.Table{Path: []string{membersCTE}, Alias: groupAlias},
			On: and(sqltree.Binary{Op: "=", Left: sqltree.Column{Table: groupAlias, Name: keyCol}, Right: key},
				sqltree.Binary{Op: "=", Left: sqltree.Column{Table: groupAlias, Name: spinePeriod}, Right: period})})
		q.Columns = append(q.Columns, sqltree.SelectItem{X: label, Alias: segmentCol})
		q.GroupBy = append(q.GroupBy, label)
	}
	q.Columns = append(q.Columns, sqltree.SelectItem{X: value, Alias: valueCol})
	return q
}

// aggregateTotal plans a metric that reads rows: its aggregate per
// period, then made dense (0 for empty periods of counts and sums).
func (sp *seriesPlan) aggregateTotal(m *metric) string {
	raw := sp.add(sp.cteName("rows"), sp.periodRows(m))
	q, _ := sp.base()
	var value sqltree.Expr = sqltree.Column{Table: raw, Name: valueCol}
	if m.zeroWhenEmpty {
		value = sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{value, sqltree.Num("0")}}
	}
	q.Columns = append(q.Columns, sqltree.SelectItem{X: castTo(value, m.typ), Alias: valueCol})
	q.Joins = append(q.Joins, sqltree.Join{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{raw}}, On: sp.joinOn(raw)})
	return sp.add(sp.cteName("total"), q)
}

// derivedTotal plans a metric without rows: its value combines the period
// totals of the metrics it reads.
func (sp *seriesPlan) derivedTotal(m *metric) string {
	outer := sp.reads
	sp.reads = nil
	s := sp.scope()
	value := s.translate(m.decl.Value)
	q, _ := sp.base()
	q.Columns = append(q.Columns, sqltree.SelectItem{X: castTo(value.sql, value.typ), Alias: valueCol})
	for _, cte := range sp.reads {
		q.Joins = append(q.Joins, sqltree.Join{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{cte}}, On: sp.joinOn(cte)})
	}
	sp.reads = outer
	if m.typ == models.TypeUnknown {
		m.typ = value.typ
	}
	return sp.add(sp.cteName("total"), q)
}

func (sp *seriesPlan) scope() *scope { return &scope{c: sp.c, series: sp} }

func (sp *seriesPlan) read(cte, column string) sqltree.Expr {
	for _, r := range sp.reads {
		if r == cte {
			return sqltree.Column{Table: cte, Name: column}
		}
	}
	sp.reads = append(sp.reads, cte)
	return sqltree.Column{Table: cte, Name: column}
}

// metricTotal is metric.x inside a series expression.
func (sp *seriesPlan) metricTotal(m *metric) typed {
	cte := sp.total(m)
	return typed{sql: sp.read(cte, valueCol), typ: m.typ}
}

func and(a, b sqltree.Expr) sqltree.Expr {
	if a == nil {
		return b
	}
	return sqltree.Binary{Op: "AND", Left: a, Right: b}
}

func andAll(xs []sqltree.Expr) sqltree.Expr {
	var out sqltree.Expr
	for _, x := range xs {
		out = and(out, x)
	}
	return out
}

// planSeries plans metric_<name> and, for each segment of by,
// metric_<name>_by_<segment>.
func (c *checker) planSeries(m *metric) []*Output {
	d := m.decl
	grain, rng := grainOf(d.Grain, d.DeclRange)
	if undated(m) {
		c.errorf(rng, "Time series without time",
			"Metric %q counts rows of %s, which has no time column to place them in periods. Add time = <column> to %s %q, or remove grain.",
			d.Name, m.rel.ref(), m.rel.decl.Kind, m.rel.decl.Name)
		return nil
	}
	describe := func() string {
		if m.rel != nil && everyPeriod(m) {
			return "Total of the rows dated in the period."
		}
		if m.rel != nil {
			return "Value on the period's last day (as_of for the current period)."
		}
		return "Combines the period totals of the metrics it reads."
	}
	var outputs []*Output
	plan := func(name string, group *grouping, asked hcl.Range) *Output {
		sp := c.newSeriesPlan(grain, rng)
		sp.group = group
		if group != nil {
			sp.membership(m.entity, group)
		}
		before := len(c.diags)
		total := sp.total(m)
		if len(c.diags) > before {
			return nil
		}
		out := &Output{Name: name, Kind: KindMetric, Description: d.Description, DeclRange: asked}
		q := &sqltree.Select{From: sqltree.Table{Path: []string{total}}}
		cols := []OutputColumn{{Name: spinePeriod, Type: models.TypeDate, Description: "First day of the " + string(grain) + "."}}
		order := []sqltree.OrderItem{{X: sqltree.Column{Name: spinePeriod}}}
		if group != nil {
			what := "member or non-member of " + group.seg.decl.Name
			if group.seg.typ == models.TypeString {
				what = "Tier of " + group.seg.decl.Name
			}
			cols = append(cols, OutputColumn{Name: segmentCol, Type: models.TypeString, Description: what + " at the period's end."})
			order = append(order, sqltree.OrderItem{X: sqltree.Column{Name: segmentCol}})
		}
		cols = append(cols, OutputColumn{Name: valueCol, Type: m.typ, Description: describe()})
		for _, col := range cols {
			q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Column{Name: col.Name}})
		}
		q.OrderBy = order
		out.Columns = cols
		out.View = &sqltree.CreateView{Name: c.viewName(name), Query: sp.query(q), Comment: d.Description}
		out.DependsOn = sortedKeys(sp.deps)
		return out
	}
	if d.Grain != nil || m.periodic {
		if out := plan("metric_"+d.Name, nil, d.DeclRange); out != nil {
			outputs = append(outputs, out)
		}
	}
	for _, ref := range d.By {
		if ref.IsZero() {
			continue // reported when decoded
		}
		sg := c.lookupSegment(ref.Name, ref.Range)
		if sg == nil || !sg.ok {
			continue
		}
		if sg.entity != m.entity {
			c.errorf(ref.Range, "Segment of another entity",
				"Segment %q groups entity %q, but metric %q measures entity %q.", sg.decl.Name, sg.entity.decl.Name, d.Name, m.entity.decl.Name)
			continue
		}
		group := &grouping{seg: sg, labels: []string{memberLabel, outsideLabel}}
		if sg.typ == models.TypeString {
			group.labels = nil
			for _, t := range sg.decl.Tiers {
				group.labels = append(group.labels, t.Name)
			}
		}
		if out := plan("metric_"+d.Name+"_by_"+sg.decl.Name, group, ref.Range); out != nil {
			outputs = append(outputs, out)
		}
	}
	return outputs
}

// membership plans the label of every entity in each period: the
// segment's tier, or member / non-member, on the period's last day.
func (sp *seriesPlan) membership(ent *entity, group *grouping) {
	name := group.seg.decl.Name
	profile := sp.frameProfile(ent, everyEntityPeriod, "", []string{name}, false)
	label, labelled := segmentLabel(group.seg, sqltree.Column{Name: name})
	q := &sqltree.Select{From: sqltree.Table{Path: []string{profile}}, Where: labelled}
	q.Columns = []sqltree.SelectItem{
		{X: sqltree.Column{Name: frameKey}, Alias: keyCol},
		{X: sqltree.Column{Name: framePeriod}, Alias: spinePeriod},
		{X: label, Alias: segmentCol},
	}
	sp.add(membersCTE, q)
}

// segmentLabel is an entity's label in a breakdown by segment seg, whose
// column is x: member or non-member for a rule, the tier's name for tiers.
// labelled, when not nil, keeps the entities that have a label (a tier).
func segmentLabel(seg *segment, x sqltree.Expr) (label, labelled sqltree.Expr) {
	if seg.typ == models.TypeBoolean {
		return sqltree.Case{Whens: []sqltree.When{{Cond: x, Then: sqltree.Str(memberLabel)}}, Else: sqltree.Str(outsideLabel)}, nil
	}
	return x, sqltree.IsNull{X: x, Negate: true}
}

// lookupSegment finds a declared segment, reporting an unknown name.
func (c *checker) lookupSegment(name string, rng hcl.Range) *segment {
	if sg, ok := c.segments[name]; ok {
		return sg
	}
	var names []string
	for _, sg := range c.project.Segments {
		names = append(names, sg.Name)
	}
	c.errorf(rng, "Unknown segment", "No segment named %q is declared.%s", name, diag.DidYouMean(name, names))
	return nil
}
