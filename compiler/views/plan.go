package views

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/internal/parallel"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// Plan is a checked model planned as one dialect-free view per output, in
// dependency order: every view comes after the views it reads.
type Plan struct {
	Model   *check.Model
	Project *models.Project
	Outputs []*Output
	// Checks are rules about the data that the build verifies.
	Checks []*DataCheck
	// Assertions are the project's assert blocks, as queries.
	Assertions []*AssertionQuery
	// Tables are the tables Strata keeps that views read (the recorded
	// snapshots, for a history read from them): created if missing,
	// after the schema and before the views, and never replaced.
	Tables []*sqltree.CreateTable
	// Features are the portable functions the views use, with the source
	// range that asked for each: the expressions' own and the date
	// arithmetic, periods and spines the planners add.
	Features []check.Feature
}

// Output kinds.
const (
	KindModel   = "model"
	KindProfile = "profile"
	KindSegment = "segment"
	// KindMetric is a time series: metric_<name>, metric_<name>_by_<segment>.
	KindMetric    = "metric"
	KindMovements = "movements"
	KindCohort    = "cohort"
	// KindHistory is a segment's membership history and its changes:
	// segment_<name>_history, segment_<name>_changes.
	KindHistory = "history"
	// KindOverlap is <entity>_segment_overlap.
	KindOverlap = "overlap"
)

// Output is one view Strata creates.
type Output struct {
	Name        string
	Kind        string
	Description string
	Columns     []OutputColumn
	// DependsOn names what the view reads: source.x, model.y or another
	// output's name. Sorted.
	DependsOn []string
	View      *sqltree.CreateView
	// Materialized says whether View is created as a view or a table.
	Materialized models.Materialization
	// DialectQueries override View.Query per dialect (raw SQL models).
	DialectQueries map[string]sqltree.Query
	DeclRange      hcl.Range
}

// OutputColumn is a column of an output view.
type OutputColumn struct {
	Name        string
	Type        models.Type
	Description string
	// DeclRange is where the column was declared, when it was (an
	// attribute, a metric, a segment); else the view's DeclRange applies.
	DeclRange hcl.Range
}

// planner plans the views of one checked model.
type planner struct {
	m        *check.Model
	features []check.Feature
	// needed lists each feature once; nil in a fork, whose features are
	// listed once when they join.
	needed map[check.Feature]bool
	// positions caches attributePositions per entity.
	positions map[*check.Entity]map[string]int
	// aggregates are the queries of single aggregate metrics, planned
	// once for the segment views that read them (planAggregates).
	aggregates map[*check.Metric]plannedQuery
}

// plannedQuery is a query planned once for many views, with the features
// it needs.
type plannedQuery struct {
	query    *sqltree.Select
	features []check.Feature
}

// fork is a planner for planning one view in parallel with others: it
// shares what is read only and records its own features, which join
// p's in a fixed order (join), so the plan does not depend on timing.
func (p *planner) fork() *planner {
	return &planner{m: p.m, positions: p.positions, aggregates: p.aggregates}
}

// join adds the features a fork recorded.
func (p *planner) join(f *planner) {
	for _, feature := range f.features {
		p.need(feature.Function, feature.Range)
	}
}

// New plans every view of a checked model. Planning reports nothing: the
// checker has found every problem of the project; what a dialect cannot
// express is found when rendering.
func New(m *check.Model) *Plan {
	p := &planner{m: m, positions: map[*check.Entity]map[string]int{}, needed: map[check.Feature]bool{}}
	for _, f := range m.Features {
		p.need(f.Function, f.Range)
	}
	plan := &Plan{Model: m, Project: m.Project}
	plan.Outputs = append(plan.Outputs, p.planModels()...)
	for _, r := range m.Relations {
		if r.Through != nil {
			plan.Outputs = append(plan.Outputs, p.planThrough(r))
		}
	}
	for _, ent := range m.Entities {
		if len(ent.KeysFrom) > 0 {
			plan.Outputs = append(plan.Outputs, p.planKeys(ent))
		}
	}
	for _, ent := range m.Entities {
		// Filled before the forks read them.
		p.attributePositions(ent)
		p.aggregates = p.planAggregates(ent)
		// The profile and the segment views are independent: they plan in
		// parallel, each with its own planner, and join in declaration
		// order. The profile, the largest, starts first.
		views := make([]*Output, 1+len(ent.Segments))
		forks := make([]*planner, len(views))
		parallel.Do(len(views), func(i int) {
			forks[i] = p.fork()
			if i == 0 {
				views[i] = forks[i].planProfile(ent)
			} else {
				views[i] = forks[i].planSegment(ent.Segments[i-1])
			}
		})
		for i := range views {
			plan.Outputs = append(plan.Outputs, views[i])
			p.join(forks[i])
		}
	}
	plan.Outputs = append(plan.Outputs, p.planTimeViews()...)
	var withHistory []*check.Segment
	for _, ent := range m.Entities {
		if ent.Decl.Overlap {
			plan.Outputs = append(plan.Outputs, p.planOverlap(ent))
		}
		for _, sg := range ent.Segments {
			if sg.History != "" {
				plan.Outputs = append(plan.Outputs, p.planHistory(sg)...)
				withHistory = append(withHistory, sg)
			}
			if sg.FromSnapshots && plan.Tables == nil {
				plan.Tables = snapshotTables(m.Project.Schema)
			}
		}
	}
	if len(withHistory) > 0 {
		plan.Outputs = append(plan.Outputs, p.planAllQuality(withHistory))
	}
	plan.Checks = p.planChecks()
	plan.Assertions = p.planAssertions()
	plan.Features = p.features
	return plan
}

// planTimeViews plans the views over time, in declaration order: metric
// series, movements, cohorts. They read sources, not other views, so each
// view stands alone.
func (p *planner) planTimeViews() []*Output {
	var outputs []*Output
	for _, m := range p.m.Metrics {
		if m.HasSeries() || len(m.By)+len(m.ByColumns)+len(m.ByCombinations) > 0 {
			outputs = append(outputs, p.planSeries(m)...)
		}
		if m.Decl.Movements {
			outputs = append(outputs, p.planMovements(m)...)
			for _, sg := range m.By {
				outputs = append(outputs, p.planLedger(m, sg))
			}
		}
	}
	for _, co := range p.m.Cohorts {
		outputs = append(outputs, p.planCohort(co))
	}
	return outputs
}

func (p *planner) viewName(name string) []string { return []string{p.m.Project.Schema, name} }

// define sets out's view: the query q created at path, as a view or a
// table as the declaration's own choice or the project says for out's
// kind.
func (p *planner) define(out *Output, path []string, q sqltree.Query, own models.Choice) {
	out.Materialized = p.m.Project.Materialize.For(out.Kind, own)
	out.View = &sqltree.CreateView{Name: path, Query: q, Comment: out.Description, AsTable: out.Materialized == models.Table}
}

// portable records that the plan needs a dialect-specific function at rng.
func (p *planner) portable(name string, rng hcl.Range, args ...sqltree.Expr) sqltree.Expr {
	return sqltree.Portable{Name: p.need(name, rng), Args: args}
}

// need records that the plan uses a dialect's portable function at rng
// and returns its name.
func (p *planner) need(function string, rng hcl.Range) string {
	f := check.Feature{Function: function, Range: rng}
	if p.needed == nil {
		p.features = append(p.features, f)
	} else if !p.needed[f] {
		p.needed[f] = true
		p.features = append(p.features, f)
	}
	return function
}

// planModels plans the raw SQL models, in dependency order.
func (p *planner) planModels() []*Output {
	var outputs []*Output
	for _, r := range p.m.SQLModels {
		s := r.Decl
		out := &Output{Name: s.Name, Kind: KindModel, Description: s.Description, DeclRange: s.DeclRange}
		p.define(out, r.Path, p.rawQuery(s.SQL), s.Materialized)
		deps := map[string]bool{}
		for _, tmpl := range check.Templates(s) {
			for _, part := range tmpl.Parts {
				if part.Ref != nil {
					deps[part.Ref.String()] = true
				}
			}
		}
		out.DependsOn = sortedKeys(deps)
		for name, tmpl := range s.DialectSQL {
			if out.DialectQueries == nil {
				out.DialectQueries = map[string]sqltree.Query{}
			}
			out.DialectQueries[name] = p.rawQuery(tmpl)
		}
		for _, col := range s.Columns {
			out.Columns = append(out.Columns, OutputColumn{Name: col.Name, Type: col.Type, Description: col.Description})
			if col.Description != "" {
				out.View.ColumnComments = append(out.View.ColumnComments, sqltree.ColumnComment{Column: col.Name, Comment: col.Description})
			}
		}
		outputs = append(outputs, out)
	}
	return outputs
}

func (p *planner) rawQuery(t *models.SQLTemplate) *sqltree.Raw {
	raw := &sqltree.Raw{}
	for _, part := range t.Parts {
		if part.Ref == nil {
			raw.Parts = append(raw.Parts, sqltree.RawPart{Text: part.Text})
			continue
		}
		if r := p.m.Relation(part.Ref.String()); r != nil {
			raw.Parts = append(raw.Parts, sqltree.RawPart{Table: r.Stored})
		}
	}
	// A trailing semicolon in the user's SQL would end the CREATE VIEW early.
	if n := len(raw.Parts); n > 0 && raw.Parts[n-1].Table == nil {
		raw.Parts[n-1].Text = strings.TrimRight(strings.TrimRight(raw.Parts[n-1].Text, " \t\r\n"), ";")
	}
	return raw
}

// CTE names of a profile; the prefix keeps them apart from users' tables.
func metricCTE(i int) string { return "strata_metric_" + strconv.Itoa(i) }
func layerCTE(i int) string  { return "strata_layer_" + strconv.Itoa(i) }

const entityAlias = "e"

// planProfile plans <entity>_profile: one row per entity with its
// attributes, metrics and segments.
func (p *planner) planProfile(ent *check.Entity) *Output {
	name := check.ProfileView(ent)
	out := &Output{Name: name, Kind: KindProfile, Description: ent.Decl.Description, DeclRange: ent.Decl.DeclRange}
	all := p.selectColumns(ent, nil)
	query, last, deps := p.profileQuery(ent, all)
	p.define(out, p.viewName(name), query, ent.Decl.Materialized)
	out.Columns = all.columns()
	query.Columns = slices.Grow(query.Columns, len(out.Columns))
	for _, col := range out.Columns {
		if col.Description != "" {
			out.View.ColumnComments = append(out.View.ColumnComments, sqltree.ColumnComment{Column: col.Name, Comment: col.Description})
		}
		query.Columns = append(query.Columns, sqltree.SelectItem{X: sqltree.Column{Name: col.Name}})
	}
	query.From = sqltree.Table{Path: []string{last}}
	out.DependsOn = sortedKeys(deps)
	return out
}

// columns are the selection's profile columns, in order: the key, the
// attributes, the metrics, the segments.
func (s selection) columns() []OutputColumn {
	cols := make([]OutputColumn, 0, len(s.attributes)+len(s.metrics)+len(s.segments))
	for _, col := range s.attributes {
		cols = append(cols, OutputColumn{Name: col.Name, Type: col.Type, Description: col.Description, DeclRange: col.DeclRange})
	}
	for _, cm := range s.metrics {
		cols = append(cols, OutputColumn{Name: cm.Decl.Name, Type: cm.Type, Description: cm.Decl.Description, DeclRange: cm.Decl.DeclRange})
	}
	for _, sg := range s.segments {
		cols = append(cols, OutputColumn{Name: sg.Decl.Name, Type: sg.Type, Description: sg.Decl.Description, DeclRange: sg.Decl.DeclRange})
	}
	return cols
}

// selection is the part of an entity's profile that a view computes: its
// attributes (the key first), metrics and segments, each in profile order.
type selection struct {
	attributes []*models.Column
	metrics    []*check.Metric
	segments   []*check.Segment
}

// selectColumns picks the profile columns named in want, or all of them
// when want is nil. It costs the size of want, not of the profile: a
// segment of an entity with 100,000 definitions costs what its rule reads.
func (p *planner) selectColumns(ent *check.Entity, want map[string]bool) selection {
	attributes := append([]*models.Column{ent.Key}, ent.Attributes...)
	if want == nil {
		return selection{attributes, ent.Metrics, ent.Segments}
	}
	position := p.attributePositions(ent)
	var s selection
	for name := range want {
		if _, ok := position[name]; ok {
			s.attributes = append(s.attributes, attributes[position[name]])
		} else if m := p.m.Metric(name); m != nil && m.Entity == ent && !m.Periodic {
			s.metrics = append(s.metrics, m)
		} else if sg := p.m.Segment(name); sg != nil && sg.Entity == ent {
			s.segments = append(s.segments, sg)
		}
	}
	sort.Slice(s.attributes, func(i, j int) bool { return position[s.attributes[i].Name] < position[s.attributes[j].Name] })
	sort.Slice(s.metrics, func(i, j int) bool { return s.metrics[i].Index < s.metrics[j].Index })
	sort.Slice(s.segments, func(i, j int) bool { return s.segments[i].Index < s.segments[j].Index })
	return s
}

// attributePositions maps the key (0) and each attribute to its place in
// the profile.
func (p *planner) attributePositions(ent *check.Entity) map[string]int {
	if pos, ok := p.positions[ent]; ok {
		return pos
	}
	if p.positions == nil { // a planner made in a test
		p.positions = map[*check.Entity]map[string]int{}
	}
	pos := map[string]int{ent.Key.Name: 0}
	for i, a := range ent.Attributes {
		pos[a.Name] = i + 1
	}
	p.positions[ent] = pos
	return pos
}

// reads is the set of profile columns that computing names needs: the
// names and, through derived metrics and segments, everything they read.
func (p *planner) reads(ent *check.Entity, names []string) map[string]bool {
	needed := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		if needed[name] {
			return
		}
		needed[name] = true
		if ent.Column(name) != nil {
			return
		}
		if m := p.m.Metric(name); m != nil && m.Entity == ent {
			for _, u := range m.Used {
				visit(u)
			}
		}
		if sg := p.m.Segment(name); sg != nil && sg.Entity == ent {
			for _, u := range sg.Used {
				visit(u)
			}
		}
	}
	for _, n := range names {
		visit(n)
	}
	return needed
}

// profileQuery plans the layers of ent's profile as of as_of, computing
// only the columns sel selects, and returns the query with its WITH
// list, the name of the layer that holds every column, and the relations
// it reads. Layer 0 joins the aggregate metrics to the
// entity's rows; each further layer adds the derived metrics and
// segments whose inputs the layers before it computed. The caller adds
// the final select list.
func (p *planner) profileQuery(ent *check.Entity, sel selection) (*sqltree.Select, string, map[string]bool) {
	deps := map[string]bool{ent.Rel.Ref(): true}
	query := &sqltree.Select{}
	asOf := binding{}
	layer0 := &sqltree.Select{From: sqltree.Table{Path: ent.Rel.Path, Alias: entityAlias}}
	// The key, first of the selected attributes when selected, joins the
	// layers either way.
	if len(sel.attributes) == 0 || sel.attributes[0] != ent.Key {
		layer0.Columns = append(layer0.Columns, sqltree.SelectItem{X: sqltree.Column{Table: entityAlias, Name: ent.Key.Name}, Alias: ent.Key.Name})
	}
	for _, col := range sel.attributes {
		layer0.Columns = append(layer0.Columns, sqltree.SelectItem{X: sqltree.Column{Table: entityAlias, Name: col.Name}, Alias: col.Name})
	}
	layer0.Where = p.existed(ent, asOf)

	entityKey := sqltree.Column{Table: entityAlias, Name: ent.Key.Name}
	layers := map[int][]sqltree.SelectItem{}
	maxLevel := 0
	// The aggregate metrics, one CTE per relation they read.
	var aggregates []*check.Metric
	for _, cm := range sel.metrics {
		if cm.Rel != nil {
			aggregates = append(aggregates, cm)
		}
	}
	valueOf := map[*check.Metric]sqltree.Expr{}
	for _, g := range groupAggregates(aggregates) {
		deps[g.rel.Ref()] = true
		g.cte = metricCTE(len(query.With) + 1)
		query.With = append(query.With, sqltree.CTE{Name: g.cte, Query: p.groupQuery(g)})
		layer0.Joins = append(layer0.Joins, sqltree.Join{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{g.cte}},
			On: sqltree.Binary{Op: "=", Left: sqltree.Column{Table: g.cte, Name: "key"}, Right: entityKey}})
		for i, cm := range g.metrics {
			var value sqltree.Expr = sqltree.Column{Table: g.cte, Name: g.valueColumn(i)}
			if cm.ZeroWhenEmpty {
				value = sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{value, sqltree.Num("0")}}
			}
			valueOf[cm] = value
		}
	}
	for _, cm := range sel.metrics {
		m := cm.Decl
		if cm.Rel == nil {
			layers[cm.Level] = append(layers[cm.Level], sqltree.SelectItem{X: castTo(p.bind(cm.Value, asOf), cm.Type), Alias: m.Name})
			maxLevel = max(maxLevel, cm.Level)
			continue
		}
		layer0.Columns = append(layer0.Columns, sqltree.SelectItem{X: valueOf[cm], Alias: m.Name})
	}
	for _, sg := range sel.segments {
		layers[sg.Level] = append(layers[sg.Level], sqltree.SelectItem{X: p.bind(sg.Rule, asOf), Alias: sg.Decl.Name})
		maxLevel = max(maxLevel, sg.Level)
	}
	query.With = append(query.With, sqltree.CTE{Name: layerCTE(0), Query: layer0})
	for level := 1; level <= maxLevel; level++ {
		prev := layerCTE(level - 1)
		layer := &sqltree.Select{
			Columns: append([]sqltree.SelectItem{{X: sqltree.Star{Table: prev}}}, layers[level]...),
			From:    sqltree.Table{Path: []string{prev}},
		}
		query.With = append(query.With, sqltree.CTE{Name: layerCTE(level), Query: layer})
	}
	return query, layerCTE(maxLevel), deps
}

// existed keeps the entity rows (alias e) that existed on the day b
// evaluates on: entities that joined after it did not exist yet; one with
// no date is kept rather than silently dropped. Nil when the entity has no
// time column.
func (p *planner) existed(ent *check.Entity, b binding) sqltree.Expr {
	valid := p.validOn(ent, b)
	if ent.Rel.Time == nil {
		return valid
	}
	t := sqltree.Column{Table: entityAlias, Name: ent.Rel.Time.Name}
	return and(sqltree.Binary{Op: "OR", Left: sqltree.IsNull{X: t},
		Right: sqltree.Binary{Op: "<", Left: t, Right: asTypeOf(ent.Rel.Time, p.date(check.AsOf{Days: 1, Range: ent.Decl.DeclRange}, b))}}, valid)
}

// validOn keeps, of an entity whose rows are versions (valid = [from,
// to) on its source), the version valid on b's day: from on or before
// it, to after it or NULL. nil for an entity without versions.
func (p *planner) validOn(ent *check.Entity, b binding) sqltree.Expr {
	from, to := ent.Rel.ValidFrom, ent.Rel.ValidTo
	if from == nil || to == nil {
		return nil
	}
	next := func(c *models.Column) sqltree.Expr {
		return asTypeOf(c, p.date(check.AsOf{Days: 1, Range: ent.Decl.DeclRange}, b))
	}
	fromCol, toCol := sqltree.Column{Table: entityAlias, Name: from.Name}, sqltree.Column{Table: entityAlias, Name: to.Name}
	// from before the next day; to after the day, that is on or after the
	// next day (a version that ends on the day is no longer valid then).
	return and(sqltree.Binary{Op: "<", Left: fromCol, Right: next(from)},
		sqltree.Binary{Op: "OR", Left: sqltree.IsNull{X: toCol},
			Right: sqltree.Binary{Op: ">=", Left: toCol, Right: next(to)}})
}

// planAggregates plans the query of each aggregate metric of ent once,
// side by side: each segment that reads one metric of a relation reads
// that query, and a project of 100,000 definitions spent a fifth of its
// planning building the same queries again for each segment.
func (p *planner) planAggregates(ent *check.Entity) map[*check.Metric]plannedQuery {
	var metrics []*check.Metric
	for _, m := range ent.Metrics {
		if m.Rel != nil {
			metrics = append(metrics, m)
		}
	}
	planned := make([]plannedQuery, len(metrics))
	parallel.Do(len(metrics), func(i int) {
		f := p.fork()
		planned[i] = plannedQuery{query: f.aggregateQuery(metrics[i]), features: f.features}
	})
	byMetric := make(map[*check.Metric]plannedQuery, len(metrics))
	for i, m := range metrics {
		byMetric[m] = planned[i]
	}
	return byMetric
}

// plannedAggregate is aggregateQuery(m), from the queries planAggregates
// planned when it has m's: a copy the caller may change, whose lists grow
// into arrays of their own.
func (p *planner) plannedAggregate(m *check.Metric) *sqltree.Select {
	planned, ok := p.aggregates[m]
	if !ok {
		return p.aggregateQuery(m)
	}
	for _, f := range planned.features {
		p.need(f.Function, f.Range)
	}
	q := *planned.query
	q.Columns, q.GroupBy = slices.Clip(q.Columns), slices.Clip(q.GroupBy)
	return &q
}

// aggregateQuery is the per-entity aggregate of one metric over its rows,
// as of as_of.
func (p *planner) aggregateQuery(m *check.Metric) *sqltree.Select {
	key := sqltree.Column{Table: check.RowAlias, Name: m.Rel.EntityKey}
	value, conds := p.metricRows(m, binding{})
	return &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: key, Alias: "key"}, {X: castTo(value, m.Type), Alias: "value"}},
		From:    sqltree.Table{Path: m.Rel.Path, Alias: check.RowAlias},
		Where:   andAll(conds),
		GroupBy: []sqltree.Expr{key},
	}
}

// castTo pins numeric results to the declared type, so every engine returns
// the same type (SUM of BIGINT is HUGEINT in DuckDB and NUMERIC in PostgreSQL).
func castTo(x sqltree.Expr, t models.Type) sqltree.Expr {
	if t.IsNumeric() {
		return sqltree.Cast{X: x, Type: SQLType(t)}
	}
	return x
}

// SQLType is the SQL type of a declared column or metric type.
func SQLType(t models.Type) sqltree.Type { return check.SQLType(t) }

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
