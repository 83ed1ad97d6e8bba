package compiler

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-analytics/strata/models"
)

// decoder turns HCL blocks into models, collecting every diagnostic.
type decoder struct {
	project       *models.Project
	projectBlocks int
	diags         hcl.Diagnostics
}

func (d *decoder) errorf(rng hcl.Range, summary, format string, args ...any) {
	r := rng
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  &r,
	})
}

func (d *decoder) content(body hcl.Body, schema *hcl.BodySchema) *hcl.BodyContent {
	content, diags := body.Content(schema)
	d.diags = append(d.diags, diags...)
	return content
}

func (d *decoder) decodeFile(file *hcl.File) {
	content := d.content(file.Body, fileSchema)
	p := d.project
	for _, b := range content.Blocks {
		switch b.Type {
		case "project":
			d.decodeProject(b)
		case "target":
			p.Targets = append(p.Targets, d.decodeTarget(b))
		case "source":
			p.Sources = append(p.Sources, d.decodeRelation(b, models.KindSource))
		case "model":
			p.Sources = append(p.Sources, d.decodeRelation(b, models.KindModel))
		case "entity":
			p.Entities = append(p.Entities, d.decodeEntity(b))
		case "metric":
			p.Metrics = append(p.Metrics, d.decodeMetric(b))
		case "segment":
			p.Segments = append(p.Segments, d.decodeSegment(b))
		case "cohort":
			p.Cohorts = append(p.Cohorts, d.decodeCohort(b))
		}
	}
}

func (d *decoder) decodeProject(b *hcl.Block) {
	d.projectBlocks++
	if d.projectBlocks > 1 {
		d.errorf(b.DefRange, "Duplicate project block",
			"A project has one project block; the first is at %s:%d:%d. Merge the two.", d.project.DeclRange.Filename, d.project.DeclRange.Start.Line, d.project.DeclRange.Start.Column)
		return
	}
	p := d.project
	p.Name = b.Labels[0]
	p.DeclRange = b.DefRange
	p.Schema = "analytics"
	content := d.content(b.Body, projectSchema)
	if a, ok := content.Attributes["schema"]; ok {
		p.Schema = d.name(a)
	}
	if a, ok := content.Attributes["default_target"]; ok {
		p.DefaultTarget = d.word(a).Name
	}
	if a, ok := content.Attributes["week_start"]; ok {
		p.Calendar.WeekStart = d.weekday(a)
	}
	if a, ok := content.Attributes["fiscal_year_start"]; ok {
		p.Calendar.FiscalYearStart = d.month(a)
	}
}

func (d *decoder) decodeTarget(b *hcl.Block) *models.Target {
	t := &models.Target{Name: b.Labels[0], DeclRange: b.DefRange}
	content := d.content(b.Body, targetSchema)
	if a, ok := content.Attributes["dialect"]; ok {
		t.Dialect = d.word(a).Name
		t.DialectRange = a.Expr.Range()
	}
	if a, ok := content.Attributes["path"]; ok {
		t.Path = d.str(a)
	}
	if a, ok := content.Attributes["connection_env"]; ok {
		t.ConnectionEnv = d.name(a)
	}
	return t
}

func (d *decoder) decodeRelation(b *hcl.Block, kind models.SourceKind) *models.Source {
	s := &models.Source{Kind: kind, Name: b.Labels[0], DeclRange: b.DefRange}
	schema := sourceSchema
	if kind == models.KindModel {
		schema = modelSchema
	}
	content := d.content(b.Body, schema)
	attrs := content.Attributes
	if a, ok := attrs["description"]; ok {
		s.Description = d.str(a)
	}
	if a, ok := attrs["table"]; ok {
		s.Table = d.tablePath(a)
		s.TableRange = a.Expr.Range()
	}
	if a, ok := attrs["file"]; ok {
		s.File = d.str(a)
		s.FileRange = a.Expr.Range()
	}
	if a, ok := attrs["sql"]; ok {
		s.SQL = d.sqlTemplate(a)
	}
	if a, ok := attrs["primary_key"]; ok {
		s.PrimaryKey = d.word(a)
	}
	if a, ok := attrs["entity"]; ok {
		s.Entity = d.entityRef(a)
	}
	if a, ok := attrs["entity_key"]; ok {
		s.EntityKey = d.word(a)
	}
	if a, ok := attrs["time"]; ok {
		s.Time = d.word(a)
	}
	for _, cb := range content.Blocks {
		switch cb.Type {
		case "column":
			s.Columns = append(s.Columns, d.decodeColumn(cb))
		case "dialect":
			dc := d.content(cb.Body, modelDialectSchema)
			if a, ok := dc.Attributes["sql"]; ok {
				if s.DialectSQL == nil {
					s.DialectSQL = map[string]*models.SQLTemplate{}
				}
				s.DialectSQL[cb.Labels[0]] = d.sqlTemplate(a)
			}
		}
	}
	if kind == models.KindSource && s.Table == nil && s.File == "" {
		d.errorf(b.DefRange, "Source without table",
			"Source %q needs a table (table = \"raw.customers\") or a local seed file (file = \"data/customers.csv\").", s.Name)
	}
	return s
}

func (d *decoder) decodeColumn(b *hcl.Block) *models.Column {
	c := &models.Column{Name: b.Labels[0], DeclRange: b.DefRange}
	content := d.content(b.Body, columnSchema)
	if a, ok := content.Attributes["type"]; ok {
		c.TypeRange = a.Expr.Range()
		w := d.word(a)
		t, known := models.ParseType(w.Name)
		if !known && w.Name != "" {
			d.errorf(a.Expr.Range(), "Unknown type",
				"%q is not a column type. Use one of: %s.%s", w.Name,
				strings.Join(models.TypeKeywords(), ", "), didYouMean(w.Name, models.TypeKeywords()))
		}
		c.Type = t
	}
	if a, ok := content.Attributes["description"]; ok {
		c.Description = d.str(a)
	}
	return c
}

func (d *decoder) decodeEntity(b *hcl.Block) *models.Entity {
	e := &models.Entity{Name: b.Labels[0], DeclRange: b.DefRange}
	content := d.content(b.Body, entitySchema)
	if a, ok := content.Attributes["source"]; ok {
		e.Source = d.ref(a, "source", "model")
	}
	if a, ok := content.Attributes["key"]; ok {
		e.Key = d.word(a)
	}
	if a, ok := content.Attributes["description"]; ok {
		e.Description = d.str(a)
	}
	return e
}

func (d *decoder) decodeMetric(b *hcl.Block) *models.Metric {
	m := &models.Metric{Name: b.Labels[0], DeclRange: b.DefRange}
	content := d.content(b.Body, metricSchema)
	attrs := content.Attributes
	if a, ok := attrs["value"]; ok {
		m.Value = a.Expr
	}
	if a, ok := attrs["of"]; ok {
		m.Of = d.entityRef(a)
	}
	if a, ok := attrs["from"]; ok {
		m.From = d.ref(a, "source", "model")
	}
	if a, ok := attrs["where"]; ok {
		m.Where = a.Expr
	}
	if a, ok := attrs["window"]; ok {
		m.Window = d.window(a)
	}
	if a, ok := attrs["valid"]; ok {
		m.Valid = d.interval(a)
	}
	m.AllowOverlap = true
	if a, ok := attrs["allow_overlap"]; ok {
		m.AllowOverlap, m.AllowOverlapRange = d.boolean(a), a.Expr.Range()
	}
	if a, ok := attrs["grain"]; ok {
		m.Grain = d.grain(a)
	}
	if a, ok := attrs["by"]; ok {
		m.By = d.refList(a, "segment")
	}
	if a, ok := attrs["movements"]; ok {
		m.Movements, m.MovementsRange = d.boolean(a), a.Expr.Range()
	}
	if a, ok := attrs["description"]; ok {
		m.Description = d.str(a)
	}
	return m
}

func (d *decoder) decodeCohort(b *hcl.Block) *models.Cohort {
	c := &models.Cohort{Name: b.Labels[0], DeclRange: b.DefRange, Periods: 12, Retention: models.RetentionOn}
	attrs := d.content(b.Body, cohortSchema).Attributes
	if a, ok := attrs["joined"]; ok {
		c.Joined = a.Expr
	}
	if a, ok := attrs["active"]; ok {
		c.Active = a.Expr
	}
	if a, ok := attrs["of"]; ok {
		c.Of = d.entityRef(a)
	}
	if a, ok := attrs["grain"]; ok {
		c.Grain = d.grain(a)
	}
	if a, ok := attrs["periods"]; ok {
		c.PeriodsRange = a.Expr.Range()
		c.Periods = d.count(a, 1, 1000)
	}
	if a, ok := attrs["retention"]; ok {
		c.RetentionRange = a.Expr.Range()
		w := d.word(a)
		modes := []string{models.RetentionOn, models.RetentionOnOrAfter}
		if w.Name != models.RetentionOn && w.Name != models.RetentionOnOrAfter {
			d.errorf(a.Expr.Range(), "Invalid retention mode",
				"%q is not a retention mode. Use \"on\" (active in exactly that period) or \"on_or_after\" (active in that period or any later one).%s",
				w.Name, didYouMean(w.Name, modes))
		} else {
			c.Retention = w.Name
		}
	}
	if a, ok := attrs["measures"]; ok {
		c.Measures = d.refList(a, "metric")
	}
	if a, ok := attrs["by"]; ok {
		if _, isList := a.Expr.(*hclsyntax.TupleConsExpr); isList {
			d.errorf(a.Expr.Range(), "Invalid reference",
				"A cohort is split by one segment (its tiers, or member and non-member): write by = segment.name, without brackets.")
		} else {
			c.By = d.ref(a, "segment")
		}
	}
	if a, ok := attrs["description"]; ok {
		c.Description = d.str(a)
	}
	return c
}

func (d *decoder) decodeSegment(b *hcl.Block) *models.Segment {
	s := &models.Segment{Name: b.Labels[0], DeclRange: b.DefRange}
	content := d.content(b.Body, segmentSchema)
	if a, ok := content.Attributes["of"]; ok {
		s.Of = d.entityRef(a)
	}
	if a, ok := content.Attributes["where"]; ok {
		s.Where = a.Expr
	}
	if a, ok := content.Attributes["description"]; ok {
		s.Description = d.str(a)
	}
	for _, tb := range content.Blocks {
		t := &models.Tier{Name: tb.Labels[0], DeclRange: tb.DefRange}
		tc := d.content(tb.Body, tierSchema)
		if a, ok := tc.Attributes["where"]; ok {
			t.Where = a.Expr
		}
		if a, ok := tc.Attributes["description"]; ok {
			t.Description = d.str(a)
		}
		s.Tiers = append(s.Tiers, t)
	}
	switch {
	case s.Where == nil && len(s.Tiers) == 0:
		d.errorf(b.DefRange, "Segment without rule",
			"Segment %q needs a where rule, or tier blocks for exclusive tiers.", s.Name)
	case s.Where != nil && len(s.Tiers) > 0:
		d.errorf(b.DefRange, "Segment with both where and tiers",
			"Segment %q has a where rule and tiers. Use where for one group, or tiers (each with its own where) for exclusive groups.", s.Name)
	}
	for i, t := range s.Tiers {
		if t.Where == nil && i < len(s.Tiers)-1 {
			d.errorf(t.DeclRange, "Default tier not last",
				"Tier %q has no where rule, so it matches every entity and the tiers after it could never match. Move it to the end.", t.Name)
		}
	}
	return s
}

// --- leaf values ---

func (d *decoder) boolean(a *hcl.Attribute) bool {
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || v.IsNull() || !v.Type().Equals(cty.Bool) {
		d.errorf(a.Expr.Range(), "Invalid value", "The %s argument must be true or false.", a.Name)
		return false
	}
	return v.True()
}

// count reads a whole number between lo and hi.
func (d *decoder) count(a *hcl.Attribute, lo, hi int) int {
	v, diags := a.Expr.Value(nil)
	if !diags.HasErrors() && !v.IsNull() && v.Type().Equals(cty.Number) {
		if f := v.AsBigFloat(); f.IsInt() {
			if n, _ := f.Int64(); n >= int64(lo) && n <= int64(hi) {
				return int(n)
			}
		}
	}
	d.errorf(a.Expr.Range(), "Invalid value", "The %s argument must be a whole number from %d to %d.", a.Name, lo, hi)
	return lo
}

func (d *decoder) grain(a *hcl.Attribute) *models.GrainSpec {
	w := d.word(a)
	var names []string
	for _, g := range models.Grains {
		if string(g) == w.Name {
			return &models.GrainSpec{Grain: g, Range: a.Expr.Range()}
		}
		names = append(names, string(g))
	}
	if w.Name != "" {
		d.errorf(a.Expr.Range(), "Unknown grain", "%q is not a grain. Use one of: %s.%s",
			w.Name, strings.Join(names, ", "), didYouMean(w.Name, names))
	}
	return nil
}

func (d *decoder) weekday(a *hcl.Attribute) time.Weekday {
	w := d.word(a)
	var names []string
	for day := time.Sunday; day <= time.Saturday; day++ {
		name := strings.ToLower(day.String())
		if name == strings.ToLower(w.Name) {
			return day
		}
		names = append(names, name)
	}
	d.errorf(a.Expr.Range(), "Unknown weekday", "%q is not a day of the week. Use one of: %s.%s",
		w.Name, strings.Join(names, ", "), didYouMean(strings.ToLower(w.Name), names))
	return time.Monday
}

func (d *decoder) month(a *hcl.Attribute) time.Month {
	w := d.word(a)
	var names []string
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		if name == strings.ToLower(w.Name) {
			return m
		}
		names = append(names, name)
	}
	d.errorf(a.Expr.Range(), "Unknown month", "%q is not a month. Use a month's name, such as \"april\".%s",
		w.Name, didYouMean(strings.ToLower(w.Name), names))
	return time.January
}

// refList reads a list of references such as [segment.a, segment.b].
func (d *decoder) refList(a *hcl.Attribute, kind string) []models.Ref {
	exprs, diags := hcl.ExprList(a.Expr)
	if diags.HasErrors() {
		d.errorf(a.Expr.Range(), "Invalid list", "The %s argument must be a list such as [%s.name].", a.Name, kind)
		return nil
	}
	var refs []models.Ref
	for _, e := range exprs {
		refs = append(refs, d.ref(&hcl.Attribute{Name: a.Name, Expr: e, Range: e.Range()}, kind))
	}
	return refs
}

// str evaluates a string attribute with no variables.
func (d *decoder) str(a *hcl.Attribute) string {
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		d.errorf(a.Expr.Range(), "Invalid value",
			"The %s argument must be a plain string, without references.", a.Name)
		return ""
	}
	if v.IsNull() || !v.Type().Equals(cty.String) {
		d.errorf(a.Expr.Range(), "Invalid value", "The %s argument must be a string.", a.Name)
		return ""
	}
	return v.AsString()
}

// name is a string attribute that becomes a SQL identifier: it must not be empty.
func (d *decoder) name(a *hcl.Attribute) string {
	s := d.str(a)
	if s == "" {
		d.errorf(a.Expr.Range(), "Empty name", "The %s argument must not be empty.", a.Name)
	}
	return s
}

// word reads a bare word (customer_id) or, equally, a quoted one ("customer_id").
func (d *decoder) word(a *hcl.Attribute) models.Ident {
	if t, diags := hcl.AbsTraversalForExpr(a.Expr); !diags.HasErrors() && len(t) == 1 {
		return models.Ident{Name: t.RootName(), Range: a.Expr.Range()}
	}
	if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type().Equals(cty.String) && !v.IsNull() {
		return models.Ident{Name: v.AsString(), Range: a.Expr.Range()}
	}
	d.errorf(a.Expr.Range(), "Invalid value", "The %s argument must be a name, such as customer_id.", a.Name)
	return models.Ident{Range: a.Expr.Range()}
}

// ref reads a reference such as source.customers; kinds lists the accepted prefixes.
func (d *decoder) ref(a *hcl.Attribute, kinds ...string) models.Ref {
	t, diags := hcl.AbsTraversalForExpr(a.Expr)
	if !diags.HasErrors() && len(t) == 2 {
		if attr, ok := t[1].(hcl.TraverseAttr); ok {
			for _, k := range kinds {
				if t.RootName() == k {
					return models.Ref{Kind: k, Name: attr.Name, Range: a.Expr.Range()}
				}
			}
		}
	}
	d.errorf(a.Expr.Range(), "Invalid reference",
		"The %s argument must be a reference such as %s.name.", a.Name, strings.Join(kinds, ".name or "))
	return models.Ref{Range: a.Expr.Range()}
}

// entityRef reads an entity name, written bare (customer) or as entity.customer.
func (d *decoder) entityRef(a *hcl.Attribute) models.Ref {
	if t, diags := hcl.AbsTraversalForExpr(a.Expr); !diags.HasErrors() {
		if len(t) == 1 {
			return models.Ref{Kind: "entity", Name: t.RootName(), Range: a.Expr.Range()}
		}
		if attr, ok := t[len(t)-1].(hcl.TraverseAttr); ok && len(t) == 2 && t.RootName() == "entity" {
			return models.Ref{Kind: "entity", Name: attr.Name, Range: a.Expr.Range()}
		}
	}
	w := d.word(a)
	return models.Ref{Kind: "entity", Name: w.Name, Range: w.Range}
}

func (d *decoder) tablePath(a *hcl.Attribute) []string {
	s := d.str(a)
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ".")
	for _, p := range parts {
		if p == "" {
			d.errorf(a.Expr.Range(), "Invalid table name",
				"%q has an empty part. Write a table as name or schema.name.", s)
			return nil
		}
	}
	return parts
}

// maxWindow is the longest window per unit: 100 years, so that a window's
// start stays a date every warehouse represents.
var maxWindow = map[string]int{"day": 36525, "week": 5218, "month": 1200, "year": 100}

var windowPattern = regexp.MustCompile(`^\s*(\d+)\s*(day|week|month|year)s?\s*$`)

func (d *decoder) window(a *hcl.Attribute) *models.Window {
	s := d.str(a)
	m := windowPattern.FindStringSubmatch(s)
	if m == nil {
		if s != "" || !d.diags.HasErrors() {
			d.errorf(a.Expr.Range(), "Invalid window",
				"%q is not a window. Write a count and a unit, such as \"30 days\", \"12 weeks\", \"6 months\" or \"1 year\".", s)
		}
		return nil
	}
	n, err := strconv.Atoi(m[1])
	if limit := maxWindow[m[2]]; err != nil || n <= 0 || n > limit {
		d.errorf(a.Expr.Range(), "Invalid window", "The window %q must count at least one %s and at most %d: a window spans at most 100 years.", s, m[2], limit)
		return nil
	}
	return &models.Window{Count: n, Unit: m[2], Range: a.Expr.Range()}
}

func (d *decoder) interval(a *hcl.Attribute) *models.Interval {
	exprs, diags := hcl.ExprList(a.Expr)
	if diags.HasErrors() || len(exprs) != 2 {
		d.errorf(a.Expr.Range(), "Invalid interval",
			"valid takes the two columns that bound each row's [start, end) interval, such as [started_at, ended_at].")
		return nil
	}
	iv := &models.Interval{Range: a.Expr.Range()}
	for i, e := range exprs {
		t, diags := hcl.AbsTraversalForExpr(e)
		if diags.HasErrors() || len(t) != 1 {
			d.errorf(e.Range(), "Invalid interval", "Each bound of valid must be a column name.")
			return nil
		}
		id := models.Ident{Name: t.RootName(), Range: e.Range()}
		if i == 0 {
			iv.Start = id
		} else {
			iv.End = id
		}
	}
	return iv
}

// sqlTemplate splits a model's SQL into literal text and ${source.x} /
// ${model.y} references.
func (d *decoder) sqlTemplate(a *hcl.Attribute) *models.SQLTemplate {
	t := &models.SQLTemplate{Range: a.Expr.Range()}
	var parts []hclsyntax.Expression
	switch e := a.Expr.(type) {
	case *hclsyntax.TemplateExpr:
		parts = e.Parts
	case *hclsyntax.TemplateWrapExpr:
		parts = []hclsyntax.Expression{e.Wrapped}
	default:
		d.errorf(a.Expr.Range(), "Invalid SQL", "The sql argument must be a string or a heredoc (<<-SQL ... SQL).")
		return t
	}
	for _, part := range parts {
		switch p := part.(type) {
		case *hclsyntax.LiteralValueExpr:
			if p.Val.Type().Equals(cty.String) && !p.Val.IsNull() {
				t.Parts = append(t.Parts, models.SQLPart{Text: p.Val.AsString()})
				continue
			}
		case *hclsyntax.ScopeTraversalExpr:
			tr := p.Traversal
			if len(tr) == 2 && (tr.RootName() == "source" || tr.RootName() == "model") {
				if attr, ok := tr[1].(hcl.TraverseAttr); ok {
					t.Parts = append(t.Parts, models.SQLPart{Ref: &models.Ref{Kind: tr.RootName(), Name: attr.Name, Range: p.Range()}})
					continue
				}
			}
		}
		d.errorf(part.Range(), "Invalid SQL reference",
			"Inside a model's SQL, ${...} may only name a relation: ${source.name} or ${model.name}. Write a literal $${ as $$${.")
	}
	return t
}
