package views

import (
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/check"
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

// planner plans the views of one checked model.
type planner struct {
	m        *check.Model
	features []check.Feature
}

// New plans every view of a checked model. Planning reports nothing: the
// checker has found every problem of the project; what a dialect cannot
// express is found when rendering.
func New(m *check.Model) *Plan {
	p := &planner{m: m, features: append([]check.Feature(nil), m.Features...)}
	plan := &Plan{Model: m, Project: m.Project}
	plan.Outputs = append(plan.Outputs, p.planModels()...)
	for _, ent := range m.Entities {
		profile := p.planProfile(ent)
		plan.Outputs = append(plan.Outputs, profile)
		for _, sg := range ent.Segments {
			plan.Outputs = append(plan.Outputs, p.planSegment(sg, profile))
		}
	}
	plan.Outputs = append(plan.Outputs, p.planTimeViews()...)
	plan.Checks = p.planChecks()
	plan.Features = p.features
	return plan
}

// planTimeViews plans the views over time, in declaration order: metric
// series, movements, cohorts. They read sources, not other views, so each
// view stands alone.
func (p *planner) planTimeViews() []*Output {
	var outputs []*Output
	for _, m := range p.m.Metrics {
		if m.HasSeries() || len(m.By) > 0 {
			outputs = append(outputs, p.planSeries(m)...)
		}
		if m.Decl.Movements {
			outputs = append(outputs, p.planMovements(m)...)
		}
	}
	for _, co := range p.m.Cohorts {
		outputs = append(outputs, p.planCohort(co))
	}
	return outputs
}

func (p *planner) viewName(name string) []string { return []string{p.m.Project.Schema, name} }

// portable records that the plan needs a dialect-specific function at rng.
func (p *planner) portable(name string, rng hcl.Range, args ...sqltree.Expr) sqltree.Expr {
	return sqltree.Portable{Name: p.need(name, rng), Args: args}
}

// need records that the plan uses a dialect's portable function at rng
// and returns its name.
func (p *planner) need(function string, rng hcl.Range) string {
	p.features = append(p.features, check.Feature{Function: function, Range: rng})
	return function
}

// planModels plans the raw SQL models, in dependency order.
func (p *planner) planModels() []*Output {
	var outputs []*Output
	for _, r := range p.m.SQLModels {
		s := r.Decl
		out := &Output{
			Name: s.Name, Kind: KindModel, Description: s.Description, DeclRange: s.DeclRange,
			View: &sqltree.CreateView{Name: r.Path, Query: p.rawQuery(s.SQL), Comment: s.Description},
		}
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
			raw.Parts = append(raw.Parts, sqltree.RawPart{Table: r.Path})
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
func (p *planner) planProfile(ent *check.Entity) *Output {
	name := check.ProfileView(ent)
	out := &Output{Name: name, Kind: KindProfile, Description: ent.Decl.Description, DeclRange: ent.Decl.DeclRange}
	deps := map[string]bool{ent.Rel.Ref(): true}
	query := &sqltree.Select{}
	asOf := binding{}

	layer0 := &sqltree.Select{From: sqltree.Table{Path: ent.Rel.Path, Alias: entityAlias}}
	addColumn := func(col OutputColumn) {
		out.Columns = append(out.Columns, col)
		if col.Description != "" {
			out.View.ColumnComments = append(out.View.ColumnComments, sqltree.ColumnComment{Column: col.Name, Comment: col.Description})
		}
	}
	out.View = &sqltree.CreateView{Name: p.viewName(name), Query: query, Comment: ent.Decl.Description}
	for _, col := range append([]*models.Column{ent.Key}, ent.Attributes...) {
		layer0.Columns = append(layer0.Columns, sqltree.SelectItem{X: sqltree.Column{Table: entityAlias, Name: col.Name}, Alias: col.Name})
		addColumn(OutputColumn{Name: col.Name, Type: col.Type, Description: col.Description, DeclRange: col.DeclRange})
	}
	layer0.Where = p.existed(ent, asOf)

	entityKey := sqltree.Column{Table: entityAlias, Name: ent.Key.Name}
	layers := map[int][]sqltree.SelectItem{}
	maxLevel := 0
	for _, cm := range ent.Metrics {
		m := cm.Decl
		addColumn(OutputColumn{Name: m.Name, Type: cm.Type, Description: m.Description, DeclRange: m.DeclRange})
		if cm.Rel == nil {
			layers[cm.Level] = append(layers[cm.Level], sqltree.SelectItem{X: castTo(p.bind(cm.Value, asOf), cm.Type), Alias: m.Name})
			maxLevel = max(maxLevel, cm.Level)
			continue
		}
		deps[cm.Rel.Ref()] = true
		cte := metricCTE(len(query.With) + 1)
		query.With = append(query.With, sqltree.CTE{Name: cte, Query: p.aggregateQuery(cm)})
		var value sqltree.Expr = sqltree.Column{Table: cte, Name: "value"}
		if cm.ZeroWhenEmpty {
			value = sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{value, sqltree.Num("0")}}
		}
		layer0.Columns = append(layer0.Columns, sqltree.SelectItem{X: value, Alias: m.Name})
		layer0.Joins = append(layer0.Joins, sqltree.Join{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{cte}},
			On: sqltree.Binary{Op: "=", Left: sqltree.Column{Table: cte, Name: "key"}, Right: entityKey}})
	}
	for _, sg := range ent.Segments {
		s := sg.Decl
		addColumn(OutputColumn{Name: s.Name, Type: sg.Type, Description: s.Description, DeclRange: s.DeclRange})
		layers[sg.Level] = append(layers[sg.Level], sqltree.SelectItem{X: p.bind(sg.Rule, asOf), Alias: s.Name})
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
	for _, col := range out.Columns {
		query.Columns = append(query.Columns, sqltree.SelectItem{X: sqltree.Column{Name: col.Name}})
	}
	query.From = sqltree.Table{Path: []string{layerCTE(maxLevel)}}
	out.DependsOn = sortedKeys(deps)
	return out
}

// existed keeps the entity rows (alias e) that existed on the day b
// evaluates on: entities that joined after it did not exist yet; one with
// no date is kept rather than silently dropped. Nil when the entity has no
// time column.
func (p *planner) existed(ent *check.Entity, b binding) sqltree.Expr {
	if ent.Rel.Time == nil {
		return nil
	}
	t := sqltree.Column{Table: entityAlias, Name: ent.Rel.Time.Name}
	return sqltree.Binary{Op: "OR", Left: sqltree.IsNull{X: t},
		Right: sqltree.Binary{Op: "<", Left: t, Right: p.date(check.AsOf{Days: 1, Range: ent.Decl.DeclRange}, b)}}
}

// aggregateQuery is the per-entity aggregate of one metric over its rows,
// as of as_of.
func (p *planner) aggregateQuery(m *check.Metric) *sqltree.Select {
	key := sqltree.Column{Table: check.RowAlias, Name: m.Rel.EntityKey}
	asOf := binding{}
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: key, Alias: "key"}, {X: castTo(p.bind(m.Value, asOf), m.Type), Alias: "value"}},
		From:    sqltree.Table{Path: m.Rel.Path, Alias: check.RowAlias},
		GroupBy: []sqltree.Expr{key},
	}
	var filters []sqltree.Expr
	if m.Where != nil {
		filters = append(filters, p.bind(m.Where, asOf))
	}
	q.Where = andAll(append(filters, p.timeFilters(m, asOf)...))
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
func (p *planner) planSegment(sg *check.Segment, profile *Output) *Output {
	ent := sg.Entity
	name := check.SegmentView(sg)
	out := &Output{Name: name, Kind: KindSegment, Description: sg.Decl.Description, DeclRange: sg.Decl.DeclRange,
		DependsOn: []string{profile.Name}}
	q := &sqltree.Select{From: sqltree.Table{Path: p.viewName(profile.Name)}}
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
	add(profileColumn(ent.Key.Name), sqltree.Column{Name: ent.Key.Name})
	if sg.Type == models.TypeString {
		add(OutputColumn{Name: "tier", Type: models.TypeString, Description: "The first tier of " + sg.Decl.Name + " whose rule matches."},
			sqltree.Column{Name: sg.Decl.Name})
		q.Where = sqltree.IsNull{X: sqltree.Column{Name: sg.Decl.Name}, Negate: true}
	} else {
		q.Where = sqltree.Column{Name: sg.Decl.Name}
	}
	for _, used := range sg.Used {
		if used != ent.Key.Name && !(sg.Type == models.TypeString && used == "tier") {
			add(profileColumn(used), sqltree.Column{Name: used})
		}
	}
	out.View = &sqltree.CreateView{Name: p.viewName(name), Query: q, Comment: sg.Decl.Description}
	return out
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
