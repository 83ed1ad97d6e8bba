package compiler

import (
	"fmt"
	"github.com/strata-analytics/strata/compiler/diag"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/models"
)

// checker resolves a project's references and checks its declarations.
type checker struct {
	project *models.Project
	asOf    string
	diags   hcl.Diagnostics

	relations map[string]*relation // by "source.x" / "model.x"
	entities  map[string]*entity
	metrics   map[string]*metric
	segments  map[string]*segment

	features []featureUse

	// depth is how deeply translate is nested; depthReported stops a too
	// deep expression from being reported once per level.
	depth         int
	depthReported bool
}

func (c *checker) errorf(rng hcl.Range, summary, format string, args ...any) {
	r := rng
	c.diags = append(c.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  &r,
	})
}

// declared is one name of a namespace, for duplicate checks.
type declared struct {
	name string
	rng  hcl.Range
}

// checkUnique reports names declared twice in one namespace, and names that
// differ only in case: DuckDB folds the case of identifiers, quoted or not.
// It returns the later declarations, which the caller skips; the first of
// each name stays, so references to it still resolve.
func (c *checker) checkUnique(kind string, names []declared) map[hcl.Range]bool {
	seen := map[string]declared{}
	folded := map[string]declared{}
	later := map[hcl.Range]bool{}
	for _, n := range names {
		if first, ok := seen[n.name]; ok {
			c.errorf(n.rng, "Duplicate "+kind,
				"A %s named %q is already declared at %s. Rename one of them.", kind, n.name, diag.At(first.rng))
			later[n.rng] = true
			continue
		}
		seen[n.name] = n
		if first, ok := folded[strings.ToLower(n.name)]; ok {
			c.errorf(n.rng, "Names differ only in case",
				"%q and the %s %q declared at %s differ only in case; DuckDB and other warehouses treat them as one name. Rename one of them.",
				n.name, kind, first.name, diag.At(first.rng))
			later[n.rng] = true
			continue
		}
		folded[strings.ToLower(n.name)] = n
	}
	return later
}

func (c *checker) checkProject() {
	p := c.project
	var targets []declared
	for _, t := range p.Targets {
		targets = append(targets, declared{t.Name, t.DeclRange})
		c.checkTarget(t)
	}
	c.checkUnique("target", targets)
	if p.DefaultTarget != "" && c.target(p.DefaultTarget) == nil {
		var names []string
		for _, t := range p.Targets {
			names = append(names, t.Name)
		}
		c.errorf(p.DeclRange, "Unknown target",
			"default_target names %q, but no target block has that name.%s", p.DefaultTarget, diag.DidYouMean(p.DefaultTarget, names))
	}
}

func (c *checker) target(name string) *models.Target {
	for _, t := range c.project.Targets {
		if t.Name == name {
			return t
		}
	}
	return nil
}

func (c *checker) checkTarget(t *models.Target) {
	if t.Dialect == "" {
		return
	}
	if _, ok := dialects.Lookup(t.Dialect); !ok {
		c.errorf(t.DialectRange, "Unknown dialect",
			"Target %q uses dialect %q, which Strata does not know. Known dialects: %s.%s",
			t.Name, t.Dialect, strings.Join(dialects.Names(), ", "), diag.DidYouMean(t.Dialect, dialects.Names()))
		return
	}
	if t.Dialect == "duckdb" && t.Path == "" {
		c.errorf(t.DeclRange, "Missing database path",
			"Target %q is a DuckDB target and needs path = \"file.duckdb\", relative to the project directory.", t.Name)
	}
	if t.Dialect != "duckdb" && t.ConnectionEnv == "" {
		c.errorf(t.DeclRange, "Missing connection",
			"Target %q needs connection_env, the name of the environment variable that holds its connection string.", t.Name)
	}
}

// --- relations ---

func (c *checker) checkRelations() {
	var sources, models_ []declared
	for _, s := range c.project.Sources {
		if s.Kind == models.KindModel {
			models_ = append(models_, declared{s.Name, s.DeclRange})
		} else {
			sources = append(sources, declared{s.Name, s.DeclRange})
		}
	}
	dupSources := c.checkUnique("source", sources)
	dupModels := c.checkUnique("model", models_)
	for _, s := range c.project.Sources {
		if dupSources[s.DeclRange] || dupModels[s.DeclRange] {
			continue
		}
		r := &relation{decl: s}
		switch {
		case s.Kind == models.KindModel:
			r.path = []string{c.project.Schema, s.Name}
		case s.Table != nil:
			r.path = s.Table
		default:
			r.path = []string{s.Name}
		}
		c.relations[r.ref()] = r
		c.checkColumns(s)
	}
	// Models may read relations declared after them, in any file.
	for _, s := range c.project.Sources {
		if s.SQL == nil {
			continue
		}
		for _, tmpl := range append([]*models.SQLTemplate{s.SQL}, sortedTemplates(s.DialectSQL)...) {
			for _, part := range tmpl.Parts {
				if part.Ref != nil {
					c.relation(*part.Ref)
				}
			}
		}
	}
}

func (c *checker) checkColumns(s *models.Source) {
	var cols []declared
	for _, col := range s.Columns {
		cols = append(cols, declared{col.Name, col.DeclRange})
	}
	c.checkUnique("column", cols)
	if s.PrimaryKey.Name != "" {
		c.requireColumn(s, s.PrimaryKey, "primary_key")
	}
	if s.Time.Name != "" {
		if col := c.requireColumn(s, s.Time, "time"); col != nil && !col.Type.IsTemporal() {
			c.errorf(s.Time.Range, "Type mismatch",
				"The time column %q of %s %q is a %s; it must be a date or a timestamp.", col.Name, s.Kind, s.Name, col.Type)
		}
	}
	for name, tmpl := range s.DialectSQL {
		if _, ok := dialects.Lookup(name); !ok {
			c.errorf(tmpl.Range, "Unknown dialect",
				"Model %q overrides its SQL for dialect %q, which Strata does not know. Known dialects: %s.%s",
				s.Name, name, strings.Join(dialects.Names(), ", "), diag.DidYouMean(name, dialects.Names()))
		}
	}
}

func sortedTemplates(m map[string]*models.SQLTemplate) []*models.SQLTemplate {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*models.SQLTemplate, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// requireColumn returns the column of s named by id, or reports it unknown.
func (c *checker) requireColumn(s *models.Source, id models.Ident, what string) *models.Column {
	if col := s.Column(id.Name); col != nil {
		return col
	}
	var names []string
	for _, col := range s.Columns {
		names = append(names, col.Name)
	}
	c.errorf(id.Range, "Unknown column",
		"The %s of %s %q names column %q, which the %s does not declare.%s Declare it with column %q { type = ... }.",
		what, s.Kind, s.Name, id.Name, s.Kind, diag.DidYouMean(id.Name, names), id.Name)
	return nil
}

// relation resolves source.x or model.x, reporting unknown names.
func (c *checker) relation(ref models.Ref) *relation {
	if ref.IsZero() {
		return nil
	}
	if r, ok := c.relations[ref.Kind+"."+ref.Name]; ok {
		return r
	}
	var names []string
	for _, s := range c.project.Sources {
		if string(s.Kind) == ref.Kind {
			names = append(names, s.Name)
		}
	}
	hint := diag.DidYouMean(ref.Name, names)
	other := "model"
	if ref.Kind == "model" {
		other = "source"
	}
	if _, ok := c.relations[other+"."+ref.Name]; ok && hint == "" {
		hint = fmt.Sprintf(" There is a %s named %q: write %s.%s.", other, ref.Name, other, ref.Name)
	}
	c.errorf(ref.Range, "Unknown "+ref.Kind, "No %s named %q is declared.%s", ref.Kind, ref.Name, hint)
	return nil
}

// --- entities ---

func (c *checker) checkEntities() {
	var names []declared
	for _, e := range c.project.Entities {
		names = append(names, declared{e.Name, e.DeclRange})
	}
	dup := c.checkUnique("entity", names)
	for _, e := range c.project.Entities {
		if dup[e.DeclRange] {
			continue
		}
		ent := &entity{decl: e}
		c.entities[e.Name] = ent
		ent.rel = c.relation(e.Source)
		if ent.rel == nil {
			continue
		}
		if ent.key = c.requireColumn(ent.rel.decl, e.Key, "key"); ent.key == nil {
			continue
		}
		for _, col := range ent.rel.decl.Columns {
			if col != ent.key {
				ent.attributes = append(ent.attributes, col)
			}
		}
		ent.rel.entity = ent
		ent.rel.entityKey = ent.key.Name
	}
	// Sources that name the entity their rows belong to.
	for _, s := range c.project.Sources {
		r := c.relations[string(s.Kind)+"."+s.Name]
		if r == nil || s.Entity.IsZero() {
			continue
		}
		ent := c.entity(s.Entity)
		if ent == nil {
			continue
		}
		if r.entity != nil && r.entity != ent {
			c.errorf(s.Entity.Range, "Conflicting entity",
				"%s %q is the base source of entity %q, so its rows cannot belong to entity %q.", s.Kind, s.Name, r.entity.decl.Name, ent.decl.Name)
			continue
		}
		key := s.EntityKey
		if key.Name == "" && ent.key != nil {
			key = models.Ident{Name: ent.key.Name, Range: s.Entity.Range}
		}
		if key.Name == "" || c.requireColumn(s, key, "entity_key") == nil {
			continue
		}
		r.entity, r.entityKey = ent, key.Name
	}
	for _, s := range c.project.Sources {
		if r := c.relations[string(s.Kind)+"."+s.Name]; r != nil && s.Time.Name != "" {
			r.time = s.Column(s.Time.Name)
		}
	}
}

// entity resolves an entity name, reporting unknown ones.
func (c *checker) entity(ref models.Ref) *entity {
	if e, ok := c.entities[ref.Name]; ok {
		return e
	}
	var names []string
	for _, e := range c.project.Entities {
		names = append(names, e.Name)
	}
	c.errorf(ref.Range, "Unknown entity", "No entity named %q is declared.%s", ref.Name, diag.DidYouMean(ref.Name, names))
	return nil
}

// defaultEntity is the project's only entity, or nil when there are several.
func (c *checker) defaultEntity() *entity {
	if len(c.project.Entities) == 1 {
		return c.entities[c.project.Entities[0].Name]
	}
	return nil
}
