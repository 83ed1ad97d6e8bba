package check

import (
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-analytics/strata/internal/parallel"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// checkDefinitions resolves and type-checks metrics and segments, in
// dependency order so that a reference always finds a checked declaration.
func (c *checker) checkDefinitions() {
	metricNames := make([]declared, 0, len(c.project.Metrics))
	segmentNames := make([]declared, 0, len(c.project.Segments))
	for _, m := range c.project.Metrics {
		metricNames = append(metricNames, declared{m.Name, m.DeclRange})
	}
	for _, s := range c.project.Segments {
		segmentNames = append(segmentNames, declared{s.Name, s.DeclRange})
	}
	dupMetrics := c.checkUnique("metric", metricNames)
	dupSegments := c.checkUnique("segment", segmentNames)

	// The references of 100,000 definitions take a while to list: they
	// are listed side by side.
	metrics, segments := c.project.Metrics, c.project.Segments
	all := make([]*graphNode, len(metrics)+len(segments))
	parallel.Do(len(all), func(i int) {
		if i < len(metrics) {
			m := metrics[i]
			if !dupMetrics[m.DeclRange] {
				all[i] = &graphNode{key: "metric." + m.Name, rng: m.DeclRange, deps: metricReferences(m)}
			}
			return
		}
		s := segments[i-len(metrics)]
		if !dupSegments[s.DeclRange] {
			all[i] = &graphNode{key: "segment." + s.Name, rng: s.DeclRange, deps: segmentReferences(s)}
		}
	})
	nodes := make([]*graphNode, 0, len(all))
	for _, n := range all {
		if n != nil {
			nodes = append(nodes, n)
		}
	}
	// Names referenced but on a cycle or duplicated stay unresolved; mark
	// them as known-but-broken so references to them do not pile on errors.
	for i, m := range c.project.Metrics {
		if !dupMetrics[m.DeclRange] {
			c.model.metrics[m.Name] = &Metric{Decl: m, Index: i}
		}
	}
	for i, s := range c.project.Segments {
		if !dupSegments[s.DeclRange] {
			c.model.segments[s.Name] = &Segment{Decl: s, Index: i}
		}
	}
	order := c.dependencyOrder(nodes)
	c.model.Order = slices.Grow(c.model.Order, len(order))
	for _, n := range order {
		c.model.Order = append(c.model.Order, n.key)
	}
	c.checkInOrder(order)
	// Checked in dependency order; outputs list them in declaration order.
	c.model.Metrics = slices.Grow(c.model.Metrics, len(c.project.Metrics))
	c.model.Segments = slices.Grow(c.model.Segments, len(c.project.Segments))
	for _, m := range c.project.Metrics {
		if cm := c.model.metrics[m.Name]; cm != nil && cm.Decl == m && cm.ok {
			c.model.Metrics = append(c.model.Metrics, cm)
		}
	}
	for _, s := range c.project.Segments {
		if cs := c.model.segments[s.Name]; cs != nil && cs.Decl == s && cs.ok {
			c.model.Segments = append(c.model.Segments, cs)
		}
	}
	for _, ent := range c.model.entities {
		sort.Slice(ent.Metrics, func(i, j int) bool { return ent.Metrics[i].Index < ent.Metrics[j].Index })
		sort.Slice(ent.Segments, func(i, j int) bool { return ent.Segments[i].Index < ent.Segments[j].Index })
		c.checkProfileColumns(ent)
	}
}

// checkInOrder checks the definitions of c.model.Order. A project of
// 100,000 definitions spends most of checking here, one definition at a
// time, so definitions are checked in rounds: each round holds the
// definitions whose every dependency a past round checked, and its
// definitions are checked side by side, each by a checker of its own that
// reads the model and writes only the definition it checks. What they
// report joins the project's in dependency order, as if checked one after
// another. A metric over time series is checked alone: it translates the
// series of the metrics it reads, which others may read too.
func (c *checker) checkInOrder(order []*graphNode) {
	round := make(map[*graphNode]int, len(order))
	var rounds [][]int // indexes into order
	for i, n := range order {
		r := 0
		for _, dep := range n.after {
			r = max(r, round[dep]+1)
		}
		round[n] = r
		if r == len(rounds) {
			rounds = append(rounds, nil)
		}
		rounds[r] = append(rounds[r], i)
	}
	forks := make([]*checker, len(order))
	for i := range forks {
		forks[i] = &checker{project: c.project, model: c.model, seriesDone: c.seriesDone}
	}
	for _, members := range rounds {
		alone := make([]bool, len(members))
		parallel.Do(len(members), func(j int) {
			m, sg := c.definition(order[members[j]].key)
			if m != nil {
				d := m.Decl
				// Series and aggregates over entities write seriesDone,
				// which the forks share: they are checked one at a time.
				if alone[j] = d.From.IsZero() && d.Value != nil && (c.readsSeries(d.Value) || callsAggregate(d.Value)); !alone[j] {
					forks[members[j]].checkMetric(m)
				}
			} else {
				forks[members[j]].checkSegment(sg)
			}
		})
		for j, i := range members {
			if alone[j] {
				m, _ := c.definition(order[i].key)
				forks[i].checkMetric(m)
			}
		}
	}
	for i, n := range order {
		c.diags = append(c.diags, forks[i].diags...)
		c.features = append(c.features, forks[i].features...)
		if m, sg := c.definition(n.key); m != nil {
			if m.Entity != nil && m.ok && !m.Periodic {
				m.Entity.Metrics = append(m.Entity.Metrics, m)
			}
		} else if sg.ok {
			sg.Entity.Segments = append(sg.Entity.Segments, sg)
		}
	}
}

// definition is the metric or the segment a key of Order names.
func (c *checker) definition(key string) (*Metric, *Segment) {
	if name, ok := strings.CutPrefix(key, "metric."); ok {
		return c.model.metrics[name], nil
	}
	return nil, c.model.segments[strings.TrimPrefix(key, "segment.")]
}

func (c *checker) checkMetric(m *Metric) {
	d := m.Decl
	if d.Value == nil {
		return
	}
	if !d.Of.IsZero() {
		if m.Entity = c.entity(d.Of); m.Entity == nil {
			return
		}
	}
	if !d.From.IsZero() {
		c.checkAggregateMetric(m)
	} else {
		c.checkDerivedMetric(m)
	}
}

func (c *checker) checkAggregateMetric(m *Metric) {
	d := m.Decl
	if m.Rel = c.relation(d.From); m.Rel == nil {
		return
	}
	switch {
	case m.Rel.Entity == nil:
		c.errorf(d.From.Range, "Source without entity",
			"Metric %q reads %s, whose rows belong to no entity. Add entity = <name> to %s %q.", d.Name, m.Rel.Ref(), m.Rel.Decl.Kind, m.Rel.Decl.Name)
		return
	case m.Entity != nil && m.Entity != m.Rel.Entity:
		c.errorf(d.Of.Range, "Conflicting entity",
			"Metric %q is declared of %q, but the rows of %s belong to %q.", d.Name, m.Entity.Decl.Name, m.Rel.Ref(), m.Rel.Entity.Decl.Name)
		return
	}
	m.Entity = m.Rel.Entity
	before := len(c.diags)
	rows := &scope{c: c, rel: m.Rel, allowAggregates: true}
	value := rows.translate(d.Value)
	if !value.aggregate && value.typ != models.TypeUnknown {
		c.errorf(d.Value.Range(), "Metric without aggregate",
			"The value of metric %q reads rows of %s but does not aggregate them. Wrap it in an aggregate such as sum(), count() or max().", d.Name, m.Rel.Ref())
	}
	m.Value, m.Type, m.ZeroWhenEmpty, m.Additive = value.sql, value.typ, value.zeroWhenEmpty, value.additive
	if d.Where != nil {
		where := (&scope{c: c, rel: m.Rel}).translate(d.Where)
		c.requireBoolean(where, "The where filter of metric "+quote(d.Name))
		m.Where = where.sql
	}
	c.checkTime(m)
	m.ok = len(c.diags) == before
}

// checkTime checks what places a metric's rows in time: the columns of
// valid intervals, and a window, which needs a time column and does not
// go with valid. The planners build the filters from them.
func (c *checker) checkTime(m *Metric) {
	d, rel := m.Decl, m.Rel
	if d.Valid != nil {
		start := c.temporalColumn(rel, d.Valid.Start)
		end := c.temporalColumn(rel, d.Valid.End)
		if start && end && d.Window != nil {
			c.errorf(d.Window.Range, "Window on a balance",
				"Metric %q is a balance (valid = [...]) evaluated on as_of; a window does not apply to it. Remove window.", d.Name)
		}
		return
	}
	if rel.Time == nil && d.Window != nil {
		c.errorf(d.Window.Range, "Window without time column",
			"Metric %q has a window, but %s has no time column to place its rows in time. Add time = <column> to %s %q.",
			d.Name, rel.Ref(), rel.Decl.Kind, rel.Decl.Name)
	}
}

func (c *checker) temporalColumn(rel *Relation, id models.Ident) bool {
	col := c.requireColumn(rel.Decl, id, "valid interval")
	if col == nil {
		return false
	}
	if !col.Type.IsTemporal() {
		c.errorf(id.Range, "Type mismatch", "The interval bound %q is a %s; it must be a date or a timestamp.", id.Name, col.Type)
		return false
	}
	return true
}

func (c *checker) checkDerivedMetric(m *Metric) {
	d := m.Decl
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
	if m.Entity == nil {
		m.Entity = c.inferEntity(d.Value)
	}
	if m.Entity == nil {
		c.errorf(d.DeclRange, "Metric without entity",
			"Metric %q reads no rows (from) and no other metric, so its entity is unknown. Add of = <entity>.", d.Name)
		return
	}
	before := len(c.diags)
	if callsAggregate(d.Value) {
		c.checkEntityAggregate(m)
		return
	}
	if c.readsSeries(d.Value) {
		// A metric of movements or trailing averages exists only as a time
		// series: it has no value per entity.
		m.Periodic = true
		c.translateSeries(m)
		m.Type = m.SeriesType
		m.ok = len(c.diags) == before
		return
	}
	s := &scope{c: c, ent: m.Entity, allowWindows: true}
	value := s.translate(d.Value)
	if value.typ != models.TypeUnknown && value.typ != models.TypeBoolean && !value.typ.IsNumeric() && !value.typ.IsTemporal() && value.typ != models.TypeString {
		c.errorf(d.Value.Range(), "Invalid metric value", "The value of metric %q has no usable type.", d.Name)
	}
	m.Value, m.Type, m.Used, m.Additive = value.sql, value.typ, s.used, value.additive
	m.Level = c.levelOf(m.Entity, s.used) + 1
	m.ok = len(c.diags) == before
	c.checkLevel(m.Level, "metric", d.Name, d.DeclRange)
}

// checkEntityAggregate checks a metric that aggregates per-entity values
// over the entities (avg(metric.tenure), median(metric.mrr)): it exists
// only as views over the profile's entities (a time series, or as of
// as_of without grain), as a series-only metric does. Every value read
// outside an aggregate would have no single value per period.
func (c *checker) checkEntityAggregate(m *Metric) {
	d := m.Decl
	before := len(c.diags)
	s := &scope{c: c, ent: m.Entity, allowAggregates: true}
	value := s.translate(d.Value)
	if value.typ != models.TypeUnknown && !value.typ.IsNumeric() && !value.typ.IsTemporal() && value.typ != models.TypeString {
		c.errorf(d.Value.Range(), "Invalid metric value", "The value of metric %q has no usable type.", d.Name)
	}
	if outsideAggregates(value.sql) {
		c.errorf(d.Value.Range(), "Value outside an aggregate",
			"Metric %q aggregates over the entities, so every metric, segment or attribute it reads must be inside an aggregate, as in avg(metric.tenure) or count_if(segment.paying).", d.Name)
	}
	m.OverEntities, m.Periodic = true, true
	m.Value, m.Type, m.Used, m.ZeroWhenEmpty = value.sql, value.typ, s.used, value.zeroWhenEmpty
	m.Series, m.SeriesType = sqltree.Hole{Value: Total{Metric: m}}, value.typ
	c.seriesDone[m] = true
	m.ok = len(c.diags) == before
}

// callsAggregate reports whether an expression calls an aggregate
// function.
func callsAggregate(expr hcl.Expression) bool {
	node, ok := expr.(hclsyntax.Node)
	if !ok {
		return false
	}
	found := false
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		if call, ok := n.(*hclsyntax.FunctionCallExpr); ok {
			if f, ok := functions[call.Name]; ok && f.kind == aggregateFunc {
				found = true
			}
		}
		return nil
	})
	return found
}

// outsideAggregates reports whether an expression reads a column outside
// every aggregate call.
func outsideAggregates(x sqltree.Expr) bool {
	found := false
	sqltree.Rewrite(x, func(e sqltree.Expr) (sqltree.Expr, bool) {
		switch n := e.(type) {
		case sqltree.Call:
			if AggregateCalls[n.Name] {
				return e, true // not inside
			}
		case sqltree.Portable:
			if AggregatePortables[n.Name] {
				return e, true
			}
		case sqltree.Column:
			found = true
		}
		return nil, false
	})
	return found
}

// AggregateCalls are the SQL aggregates the language's functions become,
// and AggregatePortables the portable functions that aggregate.
var (
	AggregateCalls     = map[string]bool{"COUNT": true, "SUM": true, "AVG": true, "MIN": true, "MAX": true}
	AggregatePortables = map[string]bool{"median": true, "approx_count_distinct": true, "first_by": true, "last_by": true}
)

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
					if m := c.model.metrics[name]; m != nil && m.Periodic {
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
func (c *checker) inferEntity(expr hcl.Expression) *Entity {
	for _, e := range referencedKeys(expr) {
		if name, ok := strings.CutPrefix(e.to, "segment."); ok {
			if s, found := c.model.segments[name]; found && s.Entity != nil {
				return s.Entity
			}
		} else if m, found := c.model.metrics[strings.TrimPrefix(e.to, "metric.")]; found && m.Entity != nil {
			return m.Entity
		}
	}
	return c.defaultEntity()
}

func (c *checker) checkSegment(sg *Segment) {
	d := sg.Decl
	if d.Where == nil && len(d.Tiers) == 0 {
		return // reported when decoded
	}
	if !d.Of.IsZero() {
		sg.Entity = c.entity(d.Of)
	} else if d.Where != nil {
		sg.Entity = c.inferEntity(d.Where)
	} else if d.Split != nil {
		sg.Entity = c.inferEntity(d.Split)
	} else {
		for _, t := range d.Tiers {
			if t.Where != nil && sg.Entity == nil {
				sg.Entity = c.inferEntity(t.Where)
			}
		}
	}
	if sg.Entity == nil {
		if d.Of.IsZero() {
			c.errorf(d.DeclRange, "Segment without entity",
				"The project has several entities; say which one segment %q groups with of = <entity>.", d.Name)
		}
		return
	}
	before := len(c.diags)
	s := &scope{c: c, ent: sg.Entity, allowWindows: true}
	sg.Rule, sg.Type = c.segmentRule(d, s)
	sg.Used = s.used
	sg.Level = c.levelOf(sg.Entity, s.used) + 1
	if h := d.History; h != nil {
		sg.History, sg.HistoryRange = h.Grain, h.Range
	} else if h := c.project.History; h != nil {
		sg.History, sg.HistoryRange = h.Grain, h.Range
	}
	if d.HistoryFrom == models.HistoryFromSnapshots {
		sg.FromSnapshots = true
		if sg.History == "" {
			c.errorf(d.HistoryFromRange, "Snapshots without history",
				"Segment %q reads its history from recorded snapshots, and it has no history. Add history = month (or another grain) to the segment or the project.", d.Name)
		}
	}
	sg.ok = len(c.diags) == before
	c.checkLevel(sg.Level, "segment", d.Name, d.DeclRange)
}

// segmentRule translates a segment's rule in scope s: a boolean for a
// where rule, the matching tier's name for tiers.
func (c *checker) segmentRule(d *models.Segment, s *scope) (sqltree.Expr, models.Type) {
	if d.Split != nil {
		return c.splitRule(d, s), models.TypeString
	}
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
func (c *checker) levelOf(ent *Entity, used []string) int {
	level := 0
	for _, name := range used {
		if m, ok := c.model.metrics[name]; ok && m.Entity == ent && ent.Column(name) == nil {
			level = max(level, m.Level)
		}
		if s, ok := c.model.segments[name]; ok && s.Entity == ent && ent.Column(name) == nil {
			level = max(level, s.Level)
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
func (c *checker) checkProfileColumns(ent *Entity) {
	if ent.Key == nil {
		return
	}
	names := make([]declared, 0, 1+len(ent.Attributes)+len(ent.Metrics)+len(ent.Segments))
	names = append(names, declared{ent.Key.Name, ent.Key.DeclRange})
	for _, a := range ent.Attributes {
		names = append(names, declared{a.Name, a.DeclRange})
	}
	for _, m := range ent.Metrics {
		names = append(names, declared{m.Decl.Name, m.Decl.DeclRange})
	}
	for _, s := range ent.Segments {
		names = append(names, declared{s.Decl.Name, s.Decl.DeclRange})
	}
	c.checkUnique("column of "+ent.Decl.Name+"_profile", names)
}
