package compiler

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// checkDefinitions resolves and type-checks metrics and segments, in
// dependency order so that a reference always finds a checked declaration.
func (c *checker) checkDefinitions() {
	var metricNames, segmentNames []declared
	for _, m := range c.project.Metrics {
		metricNames = append(metricNames, declared{m.Name, m.DeclRange})
	}
	for _, s := range c.project.Segments {
		segmentNames = append(segmentNames, declared{s.Name, s.DeclRange})
	}
	dupMetrics := c.checkUnique("metric", metricNames)
	dupSegments := c.checkUnique("segment", segmentNames)

	var nodes []*graphNode
	metricDecl := map[string]*models.Metric{}
	segmentDecl := map[string]*models.Segment{}
	for _, m := range c.project.Metrics {
		if dupMetrics[m.DeclRange] {
			continue
		}
		metricDecl["metric."+m.Name] = m
		deps := append(referencedKeys(m.Value), referencedKeys(m.Where)...)
		nodes = append(nodes, &graphNode{key: "metric." + m.Name, rng: m.DeclRange, deps: deps})
	}
	for _, s := range c.project.Segments {
		if dupSegments[s.DeclRange] {
			continue
		}
		segmentDecl["segment."+s.Name] = s
		deps := referencedKeys(s.Where)
		for _, t := range s.Tiers {
			deps = append(deps, referencedKeys(t.Where)...)
		}
		nodes = append(nodes, &graphNode{key: "segment." + s.Name, rng: s.DeclRange, deps: deps})
	}
	// Names referenced but on a cycle or duplicated stay unresolved; mark
	// them as known-but-broken so references to them do not pile on errors.
	for i, m := range c.project.Metrics {
		if !dupMetrics[m.DeclRange] {
			c.metrics[m.Name] = &metric{decl: m, index: i}
		}
	}
	for i, s := range c.project.Segments {
		if !dupSegments[s.DeclRange] {
			c.segments[s.Name] = &segment{decl: s, index: i}
		}
	}
	for _, key := range c.dependencyOrder(nodes) {
		if m, ok := metricDecl[key]; ok {
			c.checkMetric(c.metrics[m.Name])
		} else if s, ok := segmentDecl[key]; ok {
			c.checkSegment(c.segments[s.Name])
		}
	}
	// Checked in dependency order; outputs list them in declaration order.
	for _, ent := range c.entities {
		sort.Slice(ent.metrics, func(i, j int) bool { return ent.metrics[i].index < ent.metrics[j].index })
		sort.Slice(ent.segments, func(i, j int) bool { return ent.segments[i].index < ent.segments[j].index })
		c.checkProfileColumns(ent)
	}
}

func (c *checker) checkMetric(m *metric) {
	d := m.decl
	if d.Value == nil {
		return
	}
	if !d.Of.IsZero() {
		if m.entity = c.entity(d.Of); m.entity == nil {
			return
		}
	}
	if !d.From.IsZero() {
		c.checkAggregateMetric(m)
	} else {
		c.checkDerivedMetric(m)
	}
	if m.entity != nil && m.ok && !m.periodic {
		m.entity.metrics = append(m.entity.metrics, m)
	}
}

func (c *checker) checkAggregateMetric(m *metric) {
	d := m.decl
	if m.rel = c.relation(d.From); m.rel == nil {
		return
	}
	switch {
	case m.rel.entity == nil:
		c.errorf(d.From.Range, "Source without entity",
			"Metric %q reads %s, whose rows belong to no entity. Add entity = <name> to %s %q.", d.Name, m.rel.ref(), m.rel.decl.Kind, m.rel.decl.Name)
		return
	case m.entity != nil && m.entity != m.rel.entity:
		c.errorf(d.Of.Range, "Conflicting entity",
			"Metric %q is declared of %q, but the rows of %s belong to %q.", d.Name, m.entity.decl.Name, m.rel.ref(), m.rel.entity.decl.Name)
		return
	}
	m.entity = m.rel.entity
	before := len(c.diags)
	rows := &scope{c: c, rel: m.rel, allowAggregates: true}
	value := rows.translate(d.Value)
	if !value.aggregate && value.typ != models.TypeUnknown {
		c.errorf(d.Value.Range(), "Metric without aggregate",
			"The value of metric %q reads rows of %s but does not aggregate them. Wrap it in an aggregate such as sum(), count() or max().", d.Name, m.rel.ref())
	}
	m.value, m.typ, m.zeroWhenEmpty = value.sql, value.typ, value.zeroWhenEmpty
	if d.Where != nil {
		where := (&scope{c: c, rel: m.rel}).translate(d.Where)
		c.requireBoolean(where, "The where filter of metric "+quote(d.Name))
		m.filters = append(m.filters, where.sql)
	}
	m.filters = append(m.filters, c.timeFilters(m, rows)...)
	m.ok = len(c.diags) == before
}

// timeFilters keep the rows that count as of as_of: valid on that day for
// interval rows, else dated on or before it and, with a window, inside it.
func (c *checker) timeFilters(m *metric, s *scope) []sqltree.Expr {
	d, rel := m.decl, m.rel
	asOf := s.asOf()
	if d.Valid != nil {
		start := c.temporalColumn(rel, d.Valid.Start)
		end := c.temporalColumn(rel, d.Valid.End)
		if start == nil || end == nil {
			return nil
		}
		if d.Window != nil {
			c.errorf(d.Window.Range, "Window on a balance",
				"Metric %q is a balance (valid = [...]) evaluated on as_of; a window does not apply to it. Remove window.", d.Name)
		}
		if s.at != nil {
			// Joined to many dates: two plain range conditions let the
			// engine use a range join instead of a nested loop.
			return []sqltree.Expr{
				sqltree.Binary{Op: "<=", Left: *start, Right: asOf},
				sqltree.Binary{Op: ">", Left: openEnd(*end), Right: asOf},
			}
		}
		return []sqltree.Expr{
			sqltree.Binary{Op: "<=", Left: *start, Right: asOf},
			sqltree.Binary{Op: "OR", Left: sqltree.IsNull{X: *end}, Right: sqltree.Binary{Op: ">", Left: *end, Right: asOf}},
		}
	}
	if rel.time == nil {
		if d.Window != nil {
			c.errorf(d.Window.Range, "Window without time column",
				"Metric %q has a window, but %s has no time column to place its rows in time. Add time = <column> to %s %q.",
				d.Name, rel.ref(), rel.decl.Kind, rel.decl.Name)
		}
		return nil
	}
	t := sqltree.Column{Table: rowAlias, Name: rel.time.Name}
	// Rows dated before the day after as_of: as_of is a whole day.
	filters := []sqltree.Expr{sqltree.Binary{Op: "<", Left: t, Right: s.asOfPlus(1, "day", d.DeclRange)}}
	if w := d.Window; w != nil {
		// The window is the last N units that end with as_of: "7 days" on
		// 2025-06-30 starts on 2025-06-24.
		var start sqltree.Expr
		switch w.Unit {
		case "day":
			start = s.asOfPlus(1-w.Count, "day", w.Range)
		case "week":
			start = s.asOfPlus(1-7*w.Count, "day", w.Range)
		case "month":
			start = s.monthsBeforeDayAfter(w.Count, w.Range)
		case "year":
			start = s.monthsBeforeDayAfter(12*w.Count, w.Range)
		}
		filters = append(filters, sqltree.Binary{Op: ">=", Left: t, Right: start})
	}
	return filters
}

// monthsBeforeDayAfter is (as_of + 1 day) - n months: "1 month" on
// 2025-06-30 starts on 2025-06-01.
func (s *scope) monthsBeforeDayAfter(n int, rng hcl.Range) sqltree.Expr {
	if s.c.asOf != "" && s.at == nil {
		day, err := time.Parse(time.DateOnly, s.c.asOf)
		if err == nil {
			return sqltree.Cast{X: sqltree.Str(addMonths(day.AddDate(0, 0, 1), -n).Format(time.DateOnly)), Type: sqltree.Date}
		}
	}
	return s.portable("add_months", rng, s.asOfPlus(1, "day", rng), sqltree.Num(strconv.Itoa(-n)))
}

func (c *checker) temporalColumn(rel *relation, id models.Ident) *sqltree.Expr {
	col := c.requireColumn(rel.decl, id, "valid interval")
	if col == nil {
		return nil
	}
	if !col.Type.IsTemporal() {
		c.errorf(id.Range, "Type mismatch", "The interval bound %q is a %s; it must be a date or a timestamp.", id.Name, col.Type)
		return nil
	}
	var e sqltree.Expr = sqltree.Column{Table: rowAlias, Name: id.Name}
	return &e
}

func (c *checker) checkDerivedMetric(m *metric) {
	d := m.decl
	filter := func(rng hcl.Range, arg string) {
		c.errorf(rng, "Filter on a derived metric",
			"Metric %q has no from, so it combines other metrics and has no rows for %s to filter. Put %s on the metrics it reads.", d.Name, arg, arg)
	}
	if d.Where != nil {
		filter(d.Where.Range(), "where")
	}
	if d.Window != nil {
		filter(d.Window.Range, "window")
	}
	if d.Valid != nil {
		filter(d.Valid.Range, "valid")
	}
	if m.entity == nil {
		m.entity = c.inferEntity(d.Value)
	}
	if m.entity == nil {
		c.errorf(d.DeclRange, "Metric without entity",
			"Metric %q reads no rows (from) and no other metric, so its entity is unknown. Add of = <entity>.", d.Name)
		return
	}
	before := len(c.diags)
	if c.readsSeries(d.Value) {
		// A metric of movements or trailing averages exists only as a time
		// series; translating it once here reports its errors and types it.
		m.periodic = true
		grain, rng := grainOf(d.Grain, d.DeclRange)
		value := c.newSeriesPlan(grain, rng).scope().translate(d.Value)
		m.typ = value.typ
		m.ok = len(c.diags) == before
		return
	}
	s := &scope{c: c, ent: m.entity, allowWindows: true}
	value := s.translate(d.Value)
	if value.typ != models.TypeUnknown && value.typ != models.TypeBoolean && !value.typ.IsNumeric() && !value.typ.IsTemporal() && value.typ != models.TypeString {
		c.errorf(d.Value.Range(), "Invalid metric value", "The value of metric %q has no usable type.", d.Name)
	}
	m.value, m.typ, m.used = value.sql, value.typ, s.used
	m.level = c.levelOf(m.entity, s.used) + 1
	m.ok = len(c.diags) == before
	c.checkLevel(m.level, "metric", d.Name, d.DeclRange)
}

// readsSeries reports whether an expression calls a time-series function
// or reads a metric that exists only as a time series.
func (c *checker) readsSeries(expr hcl.Expression) bool {
	node, ok := expr.(hclsyntax.Node)
	if !ok {
		return false
	}
	found := false
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		switch n := n.(type) {
		case *hclsyntax.FunctionCallExpr:
			if f, ok := functions[n.Name]; ok && f.kind == seriesFunc {
				found = true
			}
		case *hclsyntax.ScopeTraversalExpr:
			if n.Traversal.RootName() == "metric" {
				if name, ok := traversalName(n.Traversal); ok {
					if m := c.metrics[name]; m != nil && m.periodic {
						found = true
					}
				}
			}
		}
		return nil
	})
	return found
}

// inferEntity is the entity of the first metric or segment an expression
// reads, else the project's only entity.
func (c *checker) inferEntity(expr hcl.Expression) *entity {
	for _, e := range referencedKeys(expr) {
		if name, ok := strings.CutPrefix(e.to, "segment."); ok {
			if s, found := c.segments[name]; found && s.entity != nil {
				return s.entity
			}
		} else if m, found := c.metrics[strings.TrimPrefix(e.to, "metric.")]; found && m.entity != nil {
			return m.entity
		}
	}
	return c.defaultEntity()
}

func (c *checker) checkSegment(sg *segment) {
	d := sg.decl
	if d.Where == nil && len(d.Tiers) == 0 {
		return // reported when decoded
	}
	if !d.Of.IsZero() {
		sg.entity = c.entity(d.Of)
	} else if d.Where != nil {
		sg.entity = c.inferEntity(d.Where)
	} else {
		for _, t := range d.Tiers {
			if t.Where != nil && sg.entity == nil {
				sg.entity = c.inferEntity(t.Where)
			}
		}
	}
	if sg.entity == nil {
		if d.Of.IsZero() {
			c.errorf(d.DeclRange, "Segment without entity",
				"The project has several entities; say which one segment %q groups with of = <entity>.", d.Name)
		}
		return
	}
	before := len(c.diags)
	s := &scope{c: c, ent: sg.entity, allowWindows: true}
	sg.rule, sg.typ = c.segmentRule(d, s)
	sg.used = s.used
	sg.level = c.levelOf(sg.entity, s.used) + 1
	sg.ok = len(c.diags) == before
	c.checkLevel(sg.level, "segment", d.Name, d.DeclRange)
	if sg.ok {
		sg.entity.segments = append(sg.entity.segments, sg)
	}
}

// segmentRule translates a segment's rule in scope s: a boolean for a
// where rule, the matching tier's name for tiers.
func (c *checker) segmentRule(d *models.Segment, s *scope) (sqltree.Expr, models.Type) {
	if d.Where != nil {
		rule := s.translate(d.Where)
		c.requireBoolean(rule, "The rule of segment "+quote(d.Name))
		// NULL (unknown) is not membership: a boolean column is never NULL.
		return sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{rule.sql, sqltree.Bool(false)}}, models.TypeBoolean
	}
	var tierNames []declared
	tiered := sqltree.Case{}
	for _, t := range d.Tiers {
		tierNames = append(tierNames, declared{t.Name, t.DeclRange})
		if t.Where == nil {
			tiered.Else = sqltree.Str(t.Name)
			continue
		}
		rule := s.translate(t.Where)
		c.requireBoolean(rule, "The rule of tier "+quote(t.Name))
		tiered.Whens = append(tiered.Whens, sqltree.When{Cond: rule.sql, Then: sqltree.Str(t.Name)})
	}
	c.checkUnique("tier", tierNames)
	if len(tiered.Whens) == 0 {
		return tiered.Else, models.TypeString
	}
	return tiered, models.TypeString
}

// MaxLevels is how long a chain of derived metrics and segments, each
// reading the one before, may be. Each link is a layer of the profile
// view, and warehouses plan deeply layered views slowly: 200 layers take
// DuckDB seconds, 1,000 run it out of memory.
const MaxLevels = 64

// checkLevel reports the first link of a chain past MaxLevels; the links
// after it are on the same chain and not reported again.
func (c *checker) checkLevel(level int, kind, name string, rng hcl.Range) {
	if level == MaxLevels+1 {
		c.errorf(rng, "Chain of definitions too long",
			"%s %q reads a chain of more than %d derived metrics and segments, each reading the one before; warehouses plan views layered that deeply too slowly. Compute more in each definition, so that the chain is shorter.",
			strings.ToUpper(kind[:1])+kind[1:], name, MaxLevels)
	}
}

// levelOf is the deepest profile layer among the columns an expression reads.
func (c *checker) levelOf(ent *entity, used []string) int {
	level := 0
	for _, name := range used {
		if m, ok := c.metrics[name]; ok && m.entity == ent && ent.column(name) == nil {
			level = max(level, m.level)
		}
		if s, ok := c.segments[name]; ok && s.entity == ent && ent.column(name) == nil {
			level = max(level, s.level)
		}
	}
	return level
}

func (c *checker) requireBoolean(t typed, what string) {
	if t.typ != models.TypeBoolean && t.typ != models.TypeUnknown {
		c.errorf(t.rng, "Type mismatch", "%s must be true or false, but it is a %s. Compare it with something, as in x > 0.", what, t.typ)
	}
}

// checkProfileColumns reports names that would give the profile view two
// columns of one name: attributes, metrics and segments share it.
func (c *checker) checkProfileColumns(ent *entity) {
	if ent.key == nil {
		return
	}
	names := []declared{{ent.key.Name, ent.key.DeclRange}}
	for _, a := range ent.attributes {
		names = append(names, declared{a.Name, a.DeclRange})
	}
	for _, m := range ent.metrics {
		names = append(names, declared{m.decl.Name, m.decl.DeclRange})
	}
	for _, s := range ent.segments {
		names = append(names, declared{s.decl.Name, s.decl.DeclRange})
	}
	c.checkUnique("column of "+ent.decl.Name+"_profile", names)
}

func quote(s string) string { return `"` + s + `"` }
