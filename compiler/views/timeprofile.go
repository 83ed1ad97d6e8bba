package views

import (
	"sort"
	"strconv"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// The profile over time: an entity's attributes, metrics and segments
// evaluated on the last day of each period, for segment membership per
// period and for cohort conditions (metric.mrr > 0 at a period's end).
// Each row of a frame (an entity and a period) gets the profile columns
// as they were on that period's last day.

// Columns a frame profile adds to the profile columns.
const (
	frameKey    = "strata_key"
	framePeriod = "strata_period"
	frameAt     = "strata_as_of"
)

// frameKind says which entity-periods a frame profile covers.
type frameKind int

const (
	// everyEntityPeriod covers every entity that existed at each period's end.
	everyEntityPeriod frameKind = iota
	// periodsWithRows covers the entity-periods where a metric read has
	// rows that count; elsewhere the profile would be all zeros and nulls.
	periodsWithRows
)

// frameProfile plans the columns named in want for the entity-periods of
// frame (or of the CTE explicit, with columns strata_key and
// strata_period, when it is not empty) and returns the CTE that holds
// them next to strata_key and strata_period, and strata_as_of (the
// period's evaluation day) when a rule reads it; atUsed says the caller's
// own rule does. Metrics in required (from requiredMetrics) narrow a
// frame of every entity-period to those with rows of each: the caller
// keeps only rows where a rule holds that cannot hold without them.
func (sp *seriesPlan) frameProfile(ent *check.Entity, kind frameKind, explicit string, want []string, atUsed bool, required ...*check.Metric) string {
	needed := sp.p.reads(ent, want)
	sel := sp.p.selectColumns(ent, needed)
	sp.deps[ent.Rel.Ref()] = true

	// Every aggregate metric read, per entity and period.
	var aggregates []*check.Metric
	for _, mt := range sel.metrics {
		if mt.Rel != nil {
			aggregates = append(aggregates, mt)
		}
	}
	values := map[string]string{}
	for _, mt := range aggregates {
		values[mt.Decl.Name] = sp.balances(mt)
	}

	// Derived metrics and segments, layer by layer, evaluated on each
	// row's date and ranked within its period.
	layers := map[int][]sqltree.SelectItem{}
	maxLevel := 0
	frame := binding{at: sqltree.Column{Name: frameAt}, atUsed: &atUsed, partition: []sqltree.Expr{sqltree.Column{Name: framePeriod}}, key: sqltree.Column{Name: frameKey}}
	for _, mt := range sel.metrics {
		if mt.Rel == nil {
			layers[mt.Level] = append(layers[mt.Level], sqltree.SelectItem{X: castTo(sp.p.bind(mt.Value, frame), mt.Type), Alias: mt.Decl.Name})
			maxLevel = max(maxLevel, mt.Level)
		}
	}
	for _, sg := range sel.segments {
		layers[sg.Level] = append(layers[sg.Level], sqltree.SelectItem{X: sp.p.bind(sg.Rule, frame), Alias: sg.Decl.Name})
		maxLevel = max(maxLevel, sg.Level)
	}

	keyOf, periodOf := col("fr", frameKey), col("fr", framePeriod)
	frameCTE := explicit
	// With one metric and only its entity-periods, that metric's values
	// are the frame: no second pass over them.
	single := explicit == "" && kind == periodsWithRows && len(aggregates) == 1
	// A frame made from the entity's rows carries the attributes the
	// rules read: no second join of the entity's rows.
	attributesInFrame := false
	// A narrowed frame is made from the rows of its first required
	// metric, whose values it carries; the others are inner joins.
	// Windows (ranks within a period, trailing values of an entity) read
	// the other rows of the frame: a narrowed frame would change them.
	isRequired := map[*check.Metric]bool{}
	var driver *check.Metric
	if explicit == "" && kind == everyEntityPeriod && len(required) > 0 && !readsWindows(layers) {
		driver = required[0]
		for _, mt := range required {
			isRequired[mt] = true
		}
	}
	switch {
	case single:
		frameCTE = values[aggregates[0].Decl.Name]
		keyOf, periodOf = col("fr", keyCol), col("fr", spinePeriod)
	case driver != nil:
		frameCTE, attributesInFrame = sp.frameOfRows(ent, values[driver.Decl.Name], sel.attributes), true
	case frameCTE == "":
		frameCTE, attributesInFrame = sp.frame(ent, kind, aggregates, values, sel.attributes)
	}
	layer0 := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: keyOf, Alias: frameKey}, {X: periodOf, Alias: framePeriod}},
		From:    sqltree.Table{Path: []string{frameCTE}, Alias: "fr"},
	}
	if atUsed {
		// Rules that count days need each period's evaluation day.
		layer0.Columns = append(layer0.Columns, sqltree.SelectItem{X: col(seriesAlias, spineAt), Alias: frameAt})
		layer0.Joins = append(layer0.Joins, sqltree.Join{Kind: "JOIN", Right: sqltree.Table{Path: []string{spineCTE}, Alias: seriesAlias},
			On: eq(col(seriesAlias, spinePeriod), periodOf)})
	}
	// The entity's rows are joined only for the attributes a rule reads;
	// the frames already hold only entities that have rows or existed.
	for _, a := range sel.attributes {
		from := entityAlias
		if attributesInFrame {
			from = "fr"
		}
		layer0.Columns = append(layer0.Columns, sqltree.SelectItem{X: col(from, a.Name), Alias: a.Name})
	}
	if len(sel.attributes) > 0 && !attributesInFrame {
		on := eq(col(entityAlias, ent.Key.Name), keyOf)
		// Of an entity with versions, the version of the period's day.
		if valid := sp.p.validOn(ent, binding{at: col(seriesAlias, spineAt)}); valid != nil {
			if !atUsed {
				layer0.Joins = append(layer0.Joins, sqltree.Join{Kind: "JOIN", Right: sqltree.Table{Path: []string{spineCTE}, Alias: seriesAlias},
					On: eq(col(seriesAlias, spinePeriod), periodOf)})
			}
			on = and(on, valid)
		}
		layer0.Joins = append(layer0.Joins, sqltree.Join{Kind: "JOIN", Right: sqltree.Table{Path: ent.Rel.Path, Alias: entityAlias}, On: on})
	}
	for _, mt := range aggregates {
		cte := values[mt.Decl.Name]
		alias := "v_" + cte
		if single || mt == driver {
			alias = "fr"
		}
		var value sqltree.Expr = col(alias, valueCol)
		if mt.ZeroWhenEmpty {
			value = sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{value, sqltree.Num("0")}}
		}
		layer0.Columns = append(layer0.Columns, sqltree.SelectItem{X: value, Alias: mt.Decl.Name})
		if alias != "fr" {
			kind := "LEFT JOIN"
			if isRequired[mt] {
				kind = "JOIN"
			}
			layer0.Joins = append(layer0.Joins, sqltree.Join{Kind: kind, Right: sqltree.Table{Path: []string{cte}, Alias: alias},
				On: and(eq(col(alias, keyCol), keyOf), eq(col(alias, spinePeriod), periodOf))})
		}
	}
	prev := sp.add(sp.cteName("profile"), layer0)

	levels := make([]int, 0, len(layers))
	for l := range layers {
		levels = append(levels, l)
	}
	sort.Ints(levels)
	for _, l := range levels {
		q := &sqltree.Select{
			Columns: append([]sqltree.SelectItem{{X: sqltree.Star{Table: prev}}}, layers[l]...),
			From:    sqltree.Table{Path: []string{prev}},
		}
		prev = sp.add(sp.cteName("profile"), q)
	}
	return prev
}

// frame plans the entity-periods of a frame profile. A frame of every
// entity-period reads the entity's rows, and carries the attributes
// (inFrame); a frame of the periods with rows does not.
func (sp *seriesPlan) frame(ent *check.Entity, kind frameKind, aggregates []*check.Metric, values map[string]string, attributes []*models.Column) (name string, inFrame bool) {
	if kind == periodsWithRows && len(aggregates) > 0 {
		var q *sqltree.Select
		for _, m := range aggregates {
			sel := &sqltree.Select{
				Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: keyCol}, Alias: frameKey}, {X: sqltree.Column{Name: spinePeriod}, Alias: framePeriod}},
				From:    sqltree.Table{Path: []string{values[m.Decl.Name]}},
			}
			if q == nil {
				q = sel
			} else {
				q.Union = append(q.Union, sel)
			}
		}
		return sp.add(sp.cteName("frame"), q), false
	}
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: col(entityAlias, ent.Key.Name), Alias: frameKey},
			{X: col(seriesAlias, spinePeriod), Alias: framePeriod},
		},
		From:  sqltree.Table{Path: ent.Rel.Path, Alias: entityAlias},
		Joins: []sqltree.Join{{Kind: "CROSS JOIN", Right: sqltree.Table{Path: []string{spineCTE}, Alias: seriesAlias}}},
	}
	for _, a := range attributes {
		q.Columns = append(q.Columns, sqltree.SelectItem{X: col(entityAlias, a.Name), Alias: a.Name})
	}
	// Entities that joined after a period's end did not exist then.
	q.Where = sp.p.existed(ent, binding{at: col(seriesAlias, spineAt)})
	return sp.add(sp.cteName("frame"), q), true
}

// readsWindows reports whether an expression of layers has a window.
func readsWindows(layers map[int][]sqltree.SelectItem) bool {
	isWindow := func(x sqltree.Expr) bool { _, ok := x.(sqltree.Window); return ok }
	for _, items := range layers {
		for _, it := range items {
			if sqltree.Any(it.X, isWindow) {
				return true
			}
		}
	}
	return false
}

// frameOfRows plans a frame of the entity-periods that have rows of the
// balances CTE rows: those of entities that existed at the period's end,
// with the attributes read and the rows' value (valueCol).
func (sp *seriesPlan) frameOfRows(ent *check.Entity, rows string, attributes []*models.Column) string {
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: col("r", keyCol), Alias: frameKey},
			{X: col("r", spinePeriod), Alias: framePeriod},
			{X: col("r", valueCol), Alias: valueCol},
		},
		From: sqltree.Table{Path: []string{rows}, Alias: "r"},
		Joins: []sqltree.Join{
			{Kind: "JOIN", Right: sqltree.Table{Path: []string{spineCTE}, Alias: seriesAlias}, On: eq(col(seriesAlias, spinePeriod), col("r", spinePeriod))},
			{Kind: "JOIN", Right: sqltree.Table{Path: ent.Rel.Path, Alias: entityAlias}, On: eq(col(entityAlias, ent.Key.Name), col("r", keyCol))},
		},
	}
	for _, a := range attributes {
		q.Columns = append(q.Columns, sqltree.SelectItem{X: col(entityAlias, a.Name), Alias: a.Name})
	}
	q.Where = sp.p.existed(ent, binding{at: col(seriesAlias, spineAt)})
	return sp.add(sp.cteName("frame"), q)
}

// requiredMetrics returns the aggregate metrics of ent without whose rows
// rule cannot hold: a conjunct of the rule compares the metric with a
// number that its value over no rows (0 for counts and sums, else NULL)
// fails, as mrr > 0 or avg_nps_score >= 9 do.
func (p *planner) requiredMetrics(ent *check.Entity, rule sqltree.Expr) []*check.Metric {
	rule = filterRule(rule)
	var required []*check.Metric
	seen := map[*check.Metric]bool{}
	for _, c := range conjuncts(rule, nil) {
		cmp, ok := c.(sqltree.Binary)
		if !ok {
			continue
		}
		name, isCol := cmp.Left.(sqltree.Column)
		lit, isLit := cmp.Right.(sqltree.Literal)
		op := cmp.Op
		if !isCol {
			name, isCol = cmp.Right.(sqltree.Column)
			lit, isLit = cmp.Left.(sqltree.Literal)
			op = flipped[op]
		}
		if !isCol || !isLit || name.Table != "" || lit.Kind != sqltree.LitNumber || ent.Column(name.Name) != nil {
			continue
		}
		m := p.m.Metric(name.Name)
		if m == nil || m.Entity != ent || m.Rel == nil || m.Periodic || seen[m] {
			continue
		}
		if m.ZeroWhenEmpty && !zeroFails(op, lit.Value) {
			continue
		}
		seen[m] = true
		required = append(required, m)
	}
	return required
}

// flipped is the comparison with its operands swapped: 0 < x is x > 0.
var flipped = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "<>": "<>"}

// zeroFails reports whether 0 op number is false; false when unsure.
func zeroFails(op, number string) bool {
	n, err := strconv.ParseFloat(number, 64)
	if err != nil {
		return false
	}
	switch op {
	case ">":
		return !(0 > n)
	case ">=":
		return !(0 >= n)
	case "<":
		return !(0 < n)
	case "<=":
		return !(0 <= n)
	case "=":
		return n != 0
	case "<>":
		return n == 0
	}
	return false
}
