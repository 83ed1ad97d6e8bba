package compiler

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// The dates as_of may be: every date Strata computes from it (a window's
// start, a spine's first period) then stays within what every warehouse
// represents, and well before the far-future end (9999-12-31) that open
// intervals are compared with.
var (
	MinAsOf = time.Date(1900, time.January, 1, 0, 0, 0, 0, time.UTC)
	MaxAsOf = time.Date(2999, time.December, 31, 0, 0, 0, 0, time.UTC)
)

// ParseAsOf reads an as_of date written YYYY-MM-DD and checks its range.
func ParseAsOf(s string) (time.Time, error) {
	day, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date; write it as YYYY-MM-DD", s)
	}
	if day.Before(MinAsOf) || day.After(MaxAsOf) {
		return time.Time{}, fmt.Errorf("%s is outside the dates Strata evaluates on, %s to %s", s, MinAsOf.Format(time.DateOnly), MaxAsOf.Format(time.DateOnly))
	}
	return day, nil
}

// MaxSpanYears bounds every view over time: its periods start no earlier
// than this many years before as_of, however old the data, so that a far
// as_of or a stray old row cannot make a spine of millions of periods.
const MaxSpanYears = 100

// Options are the settings of one compilation.
type Options struct {
	// AsOf pins the date that relative time (windows, days_since) counts
	// from, as "YYYY-MM-DD". Empty means the warehouse's CURRENT_DATE, so
	// the views stay live.
	AsOf string
}

// Plan is a checked project with one dialect-free view per output, in
// dependency order: every view comes after the views it reads.
type Plan struct {
	Project *models.Project
	AsOf    string
	Outputs []*Output
	// Checks are rules about the data that the build verifies.
	Checks []*DataCheck

	features []featureUse
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

// Plan checks a project and plans its views. It returns the plan only when
// there are no errors.
func PlanProject(p *models.Project, opts Options) (*Plan, hcl.Diagnostics) {
	c := &checker{
		project:   p,
		asOf:      opts.AsOf,
		relations: map[string]*relation{},
		entities:  map[string]*entity{},
		metrics:   map[string]*metric{},
		segments:  map[string]*segment{},
	}
	c.checkProject()
	c.checkRelations()
	c.checkEntities()
	c.checkDefinitions()
	plan := &Plan{Project: p, AsOf: opts.AsOf}
	plan.Outputs = append(plan.Outputs, c.planModels()...)
	for _, e := range p.Entities {
		ent := c.entities[e.Name]
		if ent == nil || ent.key == nil || c.entities[e.Name].decl != e {
			continue
		}
		profile := c.planProfile(ent)
		plan.Outputs = append(plan.Outputs, profile)
		for _, sg := range ent.segments {
			plan.Outputs = append(plan.Outputs, c.planSegment(sg, profile))
		}
	}
	plan.Outputs = append(plan.Outputs, c.planTimeViews()...)
	plan.Checks = c.planChecks()
	c.checkOutputNames(plan.Outputs)
	if c.diags.HasErrors() {
		return nil, c.diags
	}
	plan.features = c.features
	return plan, c.diags
}

// planTimeViews plans the views over time, in declaration order: metric
// series, movements, cohorts. They read sources, not other views, so each
// view stands alone.
func (c *checker) planTimeViews() []*Output {
	var outputs []*Output
	for _, d := range c.project.Metrics {
		m := c.metrics[d.Name]
		if m == nil || m.decl != d || !m.ok || m.entity == nil {
			continue
		}
		if d.Grain != nil || len(d.By) > 0 || m.periodic {
			outputs = append(outputs, c.planSeries(m)...)
		}
		if d.Movements {
			outputs = append(outputs, c.planMovements(m)...)
		}
	}
	for _, d := range c.project.Cohorts {
		if out := c.planCohort(d); out != nil {
			outputs = append(outputs, out)
		}
	}
	return outputs
}

func (c *checker) viewName(name string) []string { return []string{c.project.Schema, name} }

// planModels plans the raw SQL models in dependency order.
func (c *checker) planModels() []*Output {
	var nodes []*graphNode
	for _, s := range c.project.Sources {
		r := c.relations["model."+s.Name]
		if s.Kind != models.KindModel || r == nil || r.decl != s || s.SQL == nil {
			continue // a model without sql is reported when decoded
		}
		n := &graphNode{key: "model." + s.Name, rng: s.DeclRange}
		// Every dialect's SQL orders the models, so one order suits them all.
		for _, tmpl := range append([]*models.SQLTemplate{s.SQL}, sortedTemplates(s.DialectSQL)...) {
			for _, part := range tmpl.Parts {
				if part.Ref != nil && part.Ref.Kind == "model" {
					n.deps = append(n.deps, graphEdge{to: "model." + part.Ref.Name, rng: part.Ref.Range})
				}
			}
		}
		nodes = append(nodes, n)
	}
	var outputs []*Output
	for _, key := range c.dependencyOrder(nodes) {
		r := c.relations[key]
		s := r.decl
		out := &Output{
			Name: s.Name, Kind: KindModel, Description: s.Description, DeclRange: s.DeclRange,
			View: &sqltree.CreateView{Name: r.path, Query: c.rawQuery(s.SQL), Comment: s.Description},
		}
		deps := map[string]bool{}
		for _, tmpl := range append([]*models.SQLTemplate{s.SQL}, sortedTemplates(s.DialectSQL)...) {
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
			out.DialectQueries[name] = c.rawQuery(tmpl)
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

func (c *checker) rawQuery(t *models.SQLTemplate) *sqltree.Raw {
	raw := &sqltree.Raw{}
	for _, part := range t.Parts {
		if part.Ref == nil {
			raw.Parts = append(raw.Parts, sqltree.RawPart{Text: part.Text})
			continue
		}
		if r := c.relations[part.Ref.String()]; r != nil {
			raw.Parts = append(raw.Parts, sqltree.RawPart{Table: r.path})
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
// attributes, metrics and segments. Layer 0 joins the aggregate metrics to
// the entity's rows; each further layer adds the derived metrics and
// segments whose inputs the layers before it computed.
func (c *checker) planProfile(ent *entity) *Output {
	name := ent.decl.Name + "_profile"
	out := &Output{Name: name, Kind: KindProfile, Description: ent.decl.Description, DeclRange: ent.decl.DeclRange}
	deps := map[string]bool{ent.rel.ref(): true}
	query := &sqltree.Select{}

	layer0 := &sqltree.Select{From: sqltree.Table{Path: ent.rel.path, Alias: entityAlias}}
	addColumn := func(col OutputColumn) {
		out.Columns = append(out.Columns, col)
		if col.Description != "" {
			out.View.ColumnComments = append(out.View.ColumnComments, sqltree.ColumnComment{Column: col.Name, Comment: col.Description})
		}
	}
	out.View = &sqltree.CreateView{Name: c.viewName(name), Query: query, Comment: ent.decl.Description}
	for _, col := range append([]*models.Column{ent.key}, ent.attributes...) {
		layer0.Columns = append(layer0.Columns, sqltree.SelectItem{X: sqltree.Column{Table: entityAlias, Name: col.Name}, Alias: col.Name})
		addColumn(OutputColumn{Name: col.Name, Type: col.Type, Description: col.Description, DeclRange: col.DeclRange})
	}
	layer0.Where = existed(ent, &scope{c: c})

	entityKey := sqltree.Column{Table: entityAlias, Name: ent.key.Name}
	layers := map[int][]sqltree.SelectItem{}
	maxLevel := 0
	for _, cm := range ent.metrics {
		m := cm.decl
		addColumn(OutputColumn{Name: m.Name, Type: cm.typ, Description: m.Description, DeclRange: m.DeclRange})
		if cm.rel == nil {
			layers[cm.level] = append(layers[cm.level], sqltree.SelectItem{X: castTo(cm.value, cm.typ), Alias: m.Name})
			maxLevel = max(maxLevel, cm.level)
			continue
		}
		deps[cm.rel.ref()] = true
		cte := metricCTE(len(query.With) + 1)
		query.With = append(query.With, sqltree.CTE{Name: cte, Query: aggregateQuery(cm)})
		var value sqltree.Expr = sqltree.Column{Table: cte, Name: "value"}
		if cm.zeroWhenEmpty {
			value = sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{value, sqltree.Num("0")}}
		}
		layer0.Columns = append(layer0.Columns, sqltree.SelectItem{X: value, Alias: m.Name})
		layer0.Joins = append(layer0.Joins, sqltree.Join{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{cte}},
			On: sqltree.Binary{Op: "=", Left: sqltree.Column{Table: cte, Name: "key"}, Right: entityKey}})
	}
	for _, sg := range ent.segments {
		s := sg.decl
		addColumn(OutputColumn{Name: s.Name, Type: sg.typ, Description: s.Description, DeclRange: s.DeclRange})
		layers[sg.level] = append(layers[sg.level], sqltree.SelectItem{X: sg.rule, Alias: s.Name})
		maxLevel = max(maxLevel, sg.level)
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
	for _, col := range out.Columns {
		query.Columns = append(query.Columns, sqltree.SelectItem{X: sqltree.Column{Name: col.Name}})
	}
	query.From = sqltree.Table{Path: []string{layerCTE(maxLevel)}}
	out.DependsOn = sortedKeys(deps)
	return out
}

// existed keeps the entity rows (alias e) that existed on the day scope s
// evaluates on: entities that joined after it did not exist yet; one with
// no date is kept rather than silently dropped. Nil when the entity has no
// time column.
func existed(ent *entity, s *scope) sqltree.Expr {
	if ent.rel.time == nil {
		return nil
	}
	t := sqltree.Column{Table: entityAlias, Name: ent.rel.time.Name}
	return sqltree.Binary{Op: "OR", Left: sqltree.IsNull{X: t},
		Right: sqltree.Binary{Op: "<", Left: t, Right: s.asOfPlus(1, "day", ent.decl.DeclRange)}}
}

// aggregateQuery is the per-entity aggregate of one metric over its rows.
func aggregateQuery(m *metric) *sqltree.Select {
	key := sqltree.Column{Table: rowAlias, Name: m.rel.entityKey}
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: key, Alias: "key"}, {X: castTo(m.value, m.typ), Alias: "value"}},
		From:    sqltree.Table{Path: m.rel.path, Alias: rowAlias},
		GroupBy: []sqltree.Expr{key},
	}
	q.Where = andAll(m.filters)
	return q
}

// castTo pins numeric results to the declared type, so every engine returns
// the same type (SUM of BIGINT is HUGEINT in DuckDB and NUMERIC in PostgreSQL).
func castTo(x sqltree.Expr, t models.Type) sqltree.Expr {
	if t.IsNumeric() {
		return sqltree.Cast{X: x, Type: SQLType(t)}
	}
	return x
}

var sqlTypes = map[models.Type]sqltree.Type{
	models.TypeString:    sqltree.String,
	models.TypeInteger:   sqltree.Integer,
	models.TypeNumber:    sqltree.Number,
	models.TypeBoolean:   sqltree.Boolean,
	models.TypeDate:      sqltree.Date,
	models.TypeTimestamp: sqltree.Timestamp,
}

// SQLType is the SQL type of a declared column or metric type.
func SQLType(t models.Type) sqltree.Type { return sqlTypes[t] }

// planSegment plans segment_<name>: its members with the values its rule read.
func (c *checker) planSegment(sg *segment, profile *Output) *Output {
	ent := sg.entity
	name := "segment_" + sg.decl.Name
	out := &Output{Name: name, Kind: KindSegment, Description: sg.decl.Description, DeclRange: sg.decl.DeclRange,
		DependsOn: []string{profile.Name}}
	q := &sqltree.Select{From: sqltree.Table{Path: c.viewName(profile.Name)}}
	profileColumn := func(name string) OutputColumn {
		for _, col := range profile.Columns {
			if col.Name == name {
				return col
			}
		}
		return OutputColumn{Name: name}
	}
	add := func(col OutputColumn, x sqltree.Expr) {
		out.Columns = append(out.Columns, col)
		q.Columns = append(q.Columns, sqltree.SelectItem{X: x, Alias: col.Name})
	}
	add(profileColumn(ent.key.Name), sqltree.Column{Name: ent.key.Name})
	if sg.typ == models.TypeString {
		add(OutputColumn{Name: "tier", Type: models.TypeString, Description: "The first tier of " + sg.decl.Name + " whose rule matches."},
			sqltree.Column{Name: sg.decl.Name})
		q.Where = sqltree.IsNull{X: sqltree.Column{Name: sg.decl.Name}, Negate: true}
	} else {
		q.Where = sqltree.Column{Name: sg.decl.Name}
	}
	for _, used := range sg.used {
		if used != ent.key.Name && !(sg.typ == models.TypeString && used == "tier") {
			add(profileColumn(used), sqltree.Column{Name: used})
		}
	}
	out.View = &sqltree.CreateView{Name: c.viewName(name), Query: q, Comment: sg.decl.Description}
	return out
}

// checkOutputNames reports two outputs with one view name.
func (c *checker) checkOutputNames(outputs []*Output) {
	var names []declared
	for _, o := range outputs {
		names = append(names, declared{o.Name, o.DeclRange})
	}
	c.checkUnique("view", names)
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
