package views

import (
	"strconv"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// seriesPlan builds the CTEs of one view over a spine of periods: the
// period totals of metrics (metric_<name>), optionally broken down by a
// segment (metric_<name>_by_<segment>), and the per-entity balances and
// movements of balance metrics. Every total CTE is dense: one row per
// period (and segment label) with columns period, [segment,] value.
type seriesPlan struct {
	p     *planner
	grain models.Grain
	rng   hcl.Range // where the grain was asked for
	// group, when set, breaks every total down by a segment.
	group *grouping
	// asOfOnly makes the spine as_of's day alone, whatever rows the
	// metrics read start with: breakdowns of undated metrics.
	asOfOnly bool

	with   []sqltree.CTE     // every CTE but the spine and the grouping's
	firsts []sqltree.Expr    // earliest dates of the rows read: where the spine starts
	named  map[string]string // what a CTE computes ("total:mrr") -> its name
	deps   map[string]bool
	reads  []string // CTEs the expression being translated reads
	nextID int
}

// grouping is what a series is broken down by: one dimension, or
// several at once, each with a column of its own in the CTEs.
type grouping struct {
	dims []dimension
}

// dimension is a segment a series is broken down by, with its labels, or
// an attribute of the entity, whose labels are the values it has.
type dimension struct {
	// column holds its label in the CTEs: segment for the first, then
	// segment_2, segment_3, ...
	column string
	seg    *check.Segment
	labels []string
	attr   *models.Column
	// rowColumn, when set, is a column of rows, the metric's own: each
	// row counts under its value, and the labels are the values rows have.
	rowColumn *models.Column
	rows      *check.Relation
}

// newGrouping numbers the dimensions' columns.
func newGrouping(dims ...dimension) *grouping {
	for i := range dims {
		dims[i].column = segmentCol
		if i > 0 {
			dims[i].column += "_" + strconv.Itoa(i+1)
		}
	}
	return &grouping{dims: dims}
}

// split parts the dimensions that label entities (segments and
// attributes), which the membership CTE holds, from those that label
// rows (a column of the metric's rows).
func (g *grouping) split() (ofEntity, ofRows []dimension) {
	for _, d := range g.dims {
		if d.rowColumn == nil {
			ofEntity = append(ofEntity, d)
		} else {
			ofRows = append(ofRows, d)
		}
	}
	return ofEntity, ofRows
}

// labelColumns are the dimensions' columns of table (the empty string for
// none), in order.
func (g *grouping) labelColumns(table string) []sqltree.Expr {
	var out []sqltree.Expr
	for _, d := range g.dims {
		out = append(out, sqltree.Column{Table: table, Name: d.column})
	}
	return out
}

// joinMembership joins the membership CTE to q's rows of entity key in
// period, and selects and groups by the entities' labels.
func (sp *seriesPlan) joinMembership(q *sqltree.Select, key, period sqltree.Expr) {
	dims, _ := sp.group.split()
	if len(dims) == 0 {
		return
	}
	q.Joins = append(q.Joins, sqltree.Join{Kind: "JOIN", Right: sqltree.Table{Path: []string{membersCTE}, Alias: groupAlias},
		On: and(eq(col(groupAlias, keyCol), key), eq(col(groupAlias, spinePeriod), period))})
	for _, d := range dims {
		label := col(groupAlias, d.column)
		q.Columns = append(q.Columns, sqltree.SelectItem{X: label, Alias: d.column})
		q.GroupBy = append(q.GroupBy, label)
	}
}

const (
	membersCTE  = "strata_membership"
	segmentCol  = "segment"
	valueCol    = "value"
	keyCol      = "key"
	seriesAlias = "f" // the spine in joins
	groupAlias  = "g" // the membership in joins
	denseAlias  = "b" // the dense base rows of a total
)

func (p *planner) newSeriesPlan(g models.Grain, rng hcl.Range) *seriesPlan {
	return &seriesPlan{p: p, grain: g, rng: rng, named: map[string]string{}, deps: map[string]bool{}}
}

func (sp *seriesPlan) cteName(kind string) string {
	sp.nextID++
	return "strata_" + kind + "_" + strconv.Itoa(sp.nextID)
}

// query assembles the WITH list: the spine first, then everything else in
// the order it was planned, so every CTE comes after those it reads.
func (sp *seriesPlan) query(final *sqltree.Select) *sqltree.Select {
	firsts := sp.firsts
	if sp.asOfOnly {
		firsts = nil
	}
	final.With = append([]sqltree.CTE{sp.p.spine(sp.grain, firsts, sp.rng)}, final.With...)
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
	aliases := []string{spinePeriod}
	if sp.group != nil {
		from = sp.labelGrid()
		keys = append(keys, sp.group.labelColumns(denseAlias)...)
		for _, d := range sp.group.dims {
			aliases = append(aliases, d.column)
		}
	}
	q := &sqltree.Select{From: sqltree.Table{Path: []string{from}, Alias: denseAlias}}
	for i, k := range keys {
		q.Columns = append(q.Columns, sqltree.SelectItem{X: k, Alias: aliases[i]})
	}
	return q, keys
}

// labelGrid plans every period with every label of the grouping (every
// combination of labels, when it has several dimensions).
func (sp *seriesPlan) labelGrid() string {
	if name, ok := sp.named["grid"]; ok {
		return name
	}
	grid := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Column{Table: seriesAlias, Name: spinePeriod}, Alias: spinePeriod}},
		From:    sqltree.Table{Path: []string{spineCTE}, Alias: seriesAlias},
	}
	for i, d := range sp.group.dims {
		alias := "l"
		if i > 0 {
			alias += strconv.Itoa(i + 1)
		}
		grid.Columns = append(grid.Columns, sqltree.SelectItem{X: sqltree.Column{Table: alias, Name: d.column}, Alias: d.column})
		grid.Joins = append(grid.Joins, sqltree.Join{Kind: "CROSS JOIN", Right: sqltree.Derived{Query: d.labelsQuery(), Alias: alias}})
	}
	name := sp.add(sp.cteName("grid"), grid)
	sp.named["grid"] = name
	return name
}

// labelsQuery is the labels a dimension has, in its column.
func (d dimension) labelsQuery() *sqltree.Select {
	if d.attr != nil {
		// An attribute's labels are the values it had at any period's end.
		return &sqltree.Select{Distinct: true, Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: d.column}, Alias: d.column}},
			From: sqltree.Table{Path: []string{membersCTE}}}
	}
	if c := d.rowColumn; c != nil {
		// A column of rows: the values its rows have.
		x := sqltree.Column{Table: check.RowAlias, Name: c.Name}
		return &sqltree.Select{Distinct: true, Columns: []sqltree.SelectItem{{X: x, Alias: d.column}},
			From: sqltree.Table{Path: d.rows.Path, Alias: check.RowAlias}, Where: sqltree.IsNull{X: x, Negate: true}}
	}
	var labels *sqltree.Select
	for i, l := range d.labels {
		sel := &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Str(l), Alias: d.column}}}
		if i == 0 {
			labels = sel
		} else {
			labels.Union = append(labels.Union, sel)
		}
	}
	return labels
}

// joinOn matches a CTE's period (and labels) to the dense base rows.
func (sp *seriesPlan) joinOn(cte string) sqltree.Expr {
	on := sqltree.Expr(sqltree.Binary{Op: "=", Left: sqltree.Column{Table: cte, Name: spinePeriod}, Right: sqltree.Column{Table: denseAlias, Name: spinePeriod}})
	if sp.group != nil {
		for _, d := range sp.group.dims {
			on = and(on, sqltree.Binary{Op: "=", Left: sqltree.Column{Table: cte, Name: d.column}, Right: sqltree.Column{Table: denseAlias, Name: d.column}})
		}
	}
	return on
}

// total returns the CTE of metric m's period totals.
func (sp *seriesPlan) total(m *check.Metric) string {
	key := "total:" + m.Decl.Name
	if name, ok := sp.named[key]; ok {
		return name
	}
	var name string
	switch {
	case m.Rel != nil:
		name = sp.aggregateTotal(m)
	case m.OverEntities:
		name = sp.entityTotal(m)
	default:
		name = sp.derivedTotal(m)
	}
	sp.named[key] = name
	return name
}

// rowsAt is metric m's value over its rows evaluated on the date at (nil
// for as_of), and the filters that keep the rows counting on that date.
func (sp *seriesPlan) rowsAt(m *check.Metric, at sqltree.Expr) (sqltree.Expr, []sqltree.Expr) {
	b := binding{at: at}
	// Rows without an entity key belong to no entity: the profile never
	// sees them, and neither do series, movements or cohorts.
	filters := []sqltree.Expr{sqltree.IsNull{X: sqltree.Column{Table: check.RowAlias, Name: m.Rel.EntityKey}, Negate: true}}
	if m.Where != nil {
		filters = append(filters, sp.p.bind(m.Where, b))
	}
	return castTo(sp.p.bind(m.Value, b), m.Type), append(filters, sp.p.timeFilters(m, b)...)
}

// firstRow is the earliest date among the rows metric m reads.
func (sp *seriesPlan) firstRow(m *check.Metric) sqltree.Expr {
	col := ""
	switch {
	case m.Decl.Valid != nil:
		col = m.Decl.Valid.Start.Name
	case m.Rel.Time != nil:
		col = m.Rel.Time.Name
	default:
		return nil
	}
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: firstDay(sqltree.Column{Table: check.RowAlias, Name: col})}},
		From:    sqltree.Table{Path: m.Rel.Path, Alias: check.RowAlias},
	}
	if m.Where != nil {
		q.Where = sp.p.bind(m.Where, binding{})
	}
	return sqltree.Subquery{Query: q}
}

func (sp *seriesPlan) noteFirst(m *check.Metric) {
	if first := sp.firstRow(m); first != nil {
		sp.firsts = append(sp.firsts, first)
	}
	sp.deps[m.Rel.Ref()] = true
}

// periodRows is the aggregate of metric m per period (and label), over
// its rows: either the rows dated in the period, or the rows that count
// on the period's last day.
func (sp *seriesPlan) periodRows(m *check.Metric) *sqltree.Select {
	sp.noteFirst(m)
	key := sqltree.Column{Table: check.RowAlias, Name: m.Rel.EntityKey}
	q := &sqltree.Select{From: sqltree.Table{Path: m.Rel.Path, Alias: check.RowAlias}}
	var period sqltree.Expr
	var filters []sqltree.Expr
	var value sqltree.Expr
	// The rows' labels, when broken down by their columns: a row without
	// one is left out.
	var byRow []dimension
	var labelled []sqltree.Expr
	if sp.group != nil {
		_, byRow = sp.group.split()
		for _, d := range byRow {
			labelled = append(labelled, sqltree.IsNull{X: sqltree.Column{Table: check.RowAlias, Name: d.rowColumn.Name}, Negate: true})
		}
	}
	if m.EveryPeriod() && m.Rel.Time != nil {
		value, filters = sp.rowsAt(m, nil)
		filters = append(filters, labelled...)
		period = sp.p.periodStart(sp.grain, sqltree.Column{Table: check.RowAlias, Name: m.Rel.Time.Name}, sp.rng)
		q.Where = andAll(filters)
	} else {
		value, filters = sp.rowsAt(m, sqltree.Column{Table: seriesAlias, Name: spineAt})
		filters = append(filters, labelled...)
		period = sqltree.Column{Table: seriesAlias, Name: spinePeriod}
		q.Joins = append(q.Joins, spineJoin(filters))
	}
	q.Columns = []sqltree.SelectItem{{X: period, Alias: spinePeriod}}
	q.GroupBy = []sqltree.Expr{period}
	for _, d := range byRow {
		x := sqltree.Column{Table: check.RowAlias, Name: d.rowColumn.Name}
		q.Columns = append(q.Columns, sqltree.SelectItem{X: x, Alias: d.column})
		q.GroupBy = append(q.GroupBy, x)
	}
	if sp.group != nil {
		sp.joinMembership(q, key, period)
	}
	q.Columns = append(q.Columns, sqltree.SelectItem{X: value, Alias: valueCol})
	return q
}

// aggregateTotal plans a metric that reads rows: its aggregate per
// period, then made dense (0 for empty periods of counts and sums).
func (sp *seriesPlan) aggregateTotal(m *check.Metric) string {
	return sp.dense(m, sp.add(sp.cteName("rows"), sp.periodRows(m)))
}

// dense plans m's values of the CTE raw (per period and label) on every
// period and label: 0 where counts and sums have none, else NULL.
func (sp *seriesPlan) dense(m *check.Metric, raw string) string {
	q, _ := sp.base()
	var value sqltree.Expr = sqltree.Column{Table: raw, Name: valueCol}
	if m.ZeroWhenEmpty {
		value = sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{value, sqltree.Num("0")}}
	}
	q.Columns = append(q.Columns, sqltree.SelectItem{X: castTo(value, m.Type), Alias: valueCol})
	q.Joins = append(q.Joins, sqltree.Join{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{raw}}, On: sp.joinOn(raw)})
	return sp.add(sp.cteName("total"), q)
}

// entityTotal plans a metric that aggregates per-entity values over the
// entities (avg(metric.tenure)): its aggregate over the profile over
// time, each period's entities (and each label's, when grouped) as they
// were on its last day.
func (sp *seriesPlan) entityTotal(m *check.Metric) string {
	const alias = "fr"
	atUsed := false
	frame := binding{at: sqltree.Column{Name: frameAt}, atUsed: &atUsed, partition: []sqltree.Expr{sqltree.Column{Name: framePeriod}}, key: sqltree.Column{Name: frameKey}}
	value := sqltree.Rewrite(sp.p.bind(m.Value, frame), func(x sqltree.Expr) (sqltree.Expr, bool) {
		if c, ok := x.(sqltree.Column); ok && c.Table == "" {
			return col(alias, c.Name), true // the profile's, not the membership's
		}
		return nil, false
	})
	sp.startWithEntity(m.Entity)
	profile := sp.frameProfile(m.Entity, everyEntityPeriod, "", m.Used, atUsed)
	period := col(alias, framePeriod)
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: period, Alias: spinePeriod}},
		From:    sqltree.Table{Path: []string{profile}, Alias: alias},
		GroupBy: []sqltree.Expr{period},
	}
	if sp.group != nil {
		sp.joinMembership(q, col(alias, frameKey), period)
	}
	q.Columns = append(q.Columns, sqltree.SelectItem{X: castTo(value, m.Type), Alias: valueCol})
	return sp.dense(m, sp.add(sp.cteName("entities"), q))
}

// derivedTotal plans a metric without rows: its value combines the period
// totals of the metrics it reads.
func (sp *seriesPlan) derivedTotal(m *check.Metric) string {
	outer := sp.reads
	sp.reads = nil
	value := sp.p.bind(m.Series, binding{series: sp})
	q, _ := sp.base()
	q.Columns = append(q.Columns, sqltree.SelectItem{X: castTo(value, m.SeriesType), Alias: valueCol})
	for _, cte := range sp.reads {
		q.Joins = append(q.Joins, sqltree.Join{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{cte}}, On: sp.joinOn(cte)})
	}
	sp.reads = outer
	return sp.add(sp.cteName("total"), q)
}

func (sp *seriesPlan) read(cte, column string) sqltree.Expr {
	for _, r := range sp.reads {
		if r == cte {
			return sqltree.Column{Table: cte, Name: column}
		}
	}
	sp.reads = append(sp.reads, cte)
	return sqltree.Column{Table: cte, Name: column}
}

// metricTotal is metric.x inside a series expression: its period total.
func (sp *seriesPlan) metricTotal(m *check.Metric) sqltree.Expr {
	return sp.read(sp.total(m), valueCol)
}

// periodValue is churn(metric.mrr) and its kin inside a series expression:
// a column of the metric's movement summary, or, broken down by segment,
// of its ledger by the segment's labels (count_active: the count of active
// entities per label).
func (sp *seriesPlan) periodValue(v check.PeriodValue) sqltree.Expr {
	if sp.group == nil {
		return sp.read(sp.summary(v.Metric), v.Column)
	}
	if v.Function == check.CountActive {
		return sp.read(sp.activeByGroup(v.Metric), valueCol)
	}
	// By segment: the label's column of the ledger (ledger.go), 0 where
	// the label had nothing, as the summary's columns are.
	return sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{sp.read(sp.ledger(v.Metric), v.Column), sqltree.Num("0")}}
}

// trailingAvg is the average of x over n periods that end skip periods
// before the current one, per label when grouped. Periods where x has no
// value do not count.
func (sp *seriesPlan) trailingAvg(x sqltree.Expr, n, skip int) sqltree.Expr {
	w := sqltree.Window{
		Call:          sqltree.Call{Name: "AVG", Args: []sqltree.Expr{sqltree.Cast{X: x, Type: sqltree.Number}}},
		OrderBy:       []sqltree.OrderItem{{X: sqltree.Column{Table: denseAlias, Name: spinePeriod}}},
		RowsPreceding: n - 1 + skip,
		RowsUntil:     skip,
	}
	if sp.group != nil {
		w.PartitionBy = sp.group.labelColumns(denseAlias)
	}
	return w
}

// and is a AND b, or the one given when the other is nil.
func and(a, b sqltree.Expr) sqltree.Expr {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
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
func (p *planner) planSeries(m *check.Metric) []*Output {
	d := m.Decl
	grain, rng := check.GrainOf(d.Grain, d.DeclRange)
	if m.AsOfOnly {
		// One period, as_of's day: every row counts in it.
		grain = models.GrainDay
	}
	describe := func() string {
		if m.OverEntities {
			return "Aggregate over the entities that existed on the period's last day (as_of for the current period)."
		}
		if m.AsOfOnly {
			return "Value as of as_of, over every row (they have no time)."
		}
		if m.Rel != nil && m.EveryPeriod() {
			return "Total of the rows dated in the period."
		}
		if m.Rel != nil {
			return "Value on the period's last day (as_of for the current period)."
		}
		return "Combines the period totals of the metrics it reads."
	}
	plan := func(name string, group *grouping, asked hcl.Range) *Output {
		sp := p.newSeriesPlan(grain, rng)
		sp.group, sp.asOfOnly = group, m.AsOfOnly
		if group != nil {
			if ofEntity, _ := group.split(); len(ofEntity) > 0 {
				sp.membership(m.Entity, group)
			}
		}
		total := sp.total(m)
		out := &Output{Name: name, Kind: KindMetric, Description: d.Description, DeclRange: asked}
		q := &sqltree.Select{From: sqltree.Table{Path: []string{total}}}
		cols := []OutputColumn{{Name: spinePeriod, Type: models.TypeDate, Description: "First day of the " + string(grain) + "."}}
		order := []sqltree.OrderItem{{X: sqltree.Column{Name: spinePeriod}}}
		q.Columns = []sqltree.SelectItem{{X: sqltree.Column{Name: spinePeriod}}}
		if group != nil {
			for _, dim := range group.dims {
				c := dim.outputColumn(m, len(group.dims) > 1)
				c.DeclRange = asked
				cols = append(cols, c)
				order = append(order, sqltree.OrderItem{X: sqltree.Column{Name: dim.column}})
				q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Column{Name: dim.column}, Alias: c.Name})
			}
		}
		cols = append(cols, OutputColumn{Name: valueCol, Type: m.Type, Description: describe()})
		q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Column{Name: valueCol}})
		if m.AsOfOnly {
			// No period: the one row per label is as of as_of.
			q.Columns, cols, order = q.Columns[1:], cols[1:], order[1:]
		}
		q.OrderBy = order
		out.Columns = cols
		p.define(out, p.viewName(name), sp.query(q), d.Materialized)
		out.DependsOn = sortedKeys(sp.deps)
		return out
	}
	var outputs []*Output
	if m.HasSeries() || m.AsOfOnly {
		outputs = append(outputs, plan(check.SeriesView(m), nil, d.DeclRange))
	}
	for i, sg := range m.By {
		outputs = append(outputs, plan(check.BreakdownView(m, sg), newGrouping(segmentDimension(sg)), m.ByRanges[i]))
	}
	for _, b := range m.ByColumns {
		outputs = append(outputs, plan(check.ColumnBreakdownView(m, b), newGrouping(columnDimension(m, b)), b.Range))
	}
	for _, cb := range m.ByCombinations {
		var dims []dimension
		for _, d := range cb.Dimensions {
			if d.Segment != nil {
				dims = append(dims, segmentDimension(d.Segment))
			} else {
				dims = append(dims, columnDimension(m, d.Column))
			}
		}
		outputs = append(outputs, plan(check.CombinationView(m, cb), newGrouping(dims...), cb.Range))
	}
	return outputs
}

func segmentDimension(sg *check.Segment) dimension {
	return dimension{seg: sg, labels: sg.Labels()}
}

// columnDimension is a column of metric m's rows or an attribute of its
// entity.
func columnDimension(m *check.Metric, b check.ColumnBreakdown) dimension {
	if b.OfRows {
		return dimension{rowColumn: b.Column, rows: m.Rel}
	}
	return dimension{attr: b.Column}
}

// outputColumn is the dimension's column in a breakdown view: named
// segment for a segment alone, else after the segment or column.
func (d dimension) outputColumn(m *check.Metric, several bool) OutputColumn {
	switch {
	case d.attr != nil:
		return OutputColumn{Name: d.attr.Name, Type: d.attr.Type,
			Description: "The " + m.Entity.Decl.Name + "'s " + d.attr.Name + " at the period's end; entities without one are left out."}
	case d.rowColumn != nil:
		return OutputColumn{Name: d.rowColumn.Name, Type: d.rowColumn.Type,
			Description: "The " + d.rowColumn.Name + " of the rows counted; rows without one are left out."}
	}
	c := OutputColumn{Name: segmentCol, Type: models.TypeString,
		Description: "member or non-member of " + d.seg.Decl.Name + " at the period's end."}
	if d.seg.Type == models.TypeString {
		c.Description = "Tier of " + d.seg.Decl.Name + " at the period's end."
	}
	if several {
		c.Name = d.seg.Decl.Name
	}
	return c
}

// membership plans the labels of every entity in each period: for each
// of the grouping's segments and attributes, the segment's tier, or
// member / non-member, or the attribute's value, on the period's last
// day. An entity without a label in any of them is left out.
func (sp *seriesPlan) membership(ent *check.Entity, group *grouping) {
	q := &sqltree.Select{Columns: []sqltree.SelectItem{
		{X: sqltree.Column{Name: frameKey}, Alias: keyCol},
		{X: sqltree.Column{Name: framePeriod}, Alias: spinePeriod},
	}}
	var names []string
	var filters []sqltree.Expr
	ofEntity, _ := group.split()
	for _, d := range ofEntity {
		var name string
		var label, labelled sqltree.Expr
		if d.attr != nil {
			name = d.attr.Name
			label, labelled = sqltree.Column{Name: name}, sqltree.IsNull{X: sqltree.Column{Name: name}, Negate: true}
		} else {
			name = d.seg.Decl.Name
			label, labelled = segmentLabel(d.seg, sqltree.Column{Name: name})
		}
		names = append(names, name)
		if labelled != nil {
			filters = append(filters, labelled)
		}
		q.Columns = append(q.Columns, sqltree.SelectItem{X: label, Alias: d.column})
	}
	q.From = sqltree.Table{Path: []string{sp.frameProfile(ent, everyEntityPeriod, "", names, false)}}
	q.Where = andAll(filters)
	sp.add(membersCTE, q)
}

// segmentLabel is an entity's label in a breakdown by segment seg, whose
// column is x: member or non-member for a rule, the tier's name for tiers.
// labelled, when not nil, keeps the entities that have a label (a tier).
func segmentLabel(seg *check.Segment, x sqltree.Expr) (label, labelled sqltree.Expr) {
	if seg.Type == models.TypeBoolean {
		return sqltree.Case{Whens: []sqltree.When{{Cond: x, Then: sqltree.Str(check.MemberLabel)}}, Else: sqltree.Str(check.NonMemberLabel)}, nil
	}
	return x, sqltree.IsNull{X: x, Negate: true}
}
