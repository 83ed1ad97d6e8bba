package check

import (
	"fmt"
	"sort"
	"strings"

	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/models"
)

func (c *checker) checkRelations() {
	var sources, sqlModels []declared
	for _, s := range c.project.Sources {
		if s.Kind == models.KindModel {
			sqlModels = append(sqlModels, declared{s.Name, s.DeclRange})
		} else {
			sources = append(sources, declared{s.Name, s.DeclRange})
		}
	}
	dupSources := c.checkUnique("source", sources)
	dupModels := c.checkUnique("model", sqlModels)
	for _, s := range c.project.Sources {
		if dupSources[s.DeclRange] || dupModels[s.DeclRange] {
			continue
		}
		r := &Relation{Decl: s}
		switch {
		case s.Kind == models.KindModel:
			r.Path = []string{c.project.Schema, s.Name}
		case s.Table != nil:
			r.Path = s.Table
		default:
			r.Path = []string{s.Name}
		}
		r.Stored = r.Path
		c.model.relations[r.Ref()] = r
		c.model.Relations = append(c.model.Relations, r)
	}
	// Models may read relations declared after them, in any file.
	for _, s := range c.project.Sources {
		for _, ref := range modelReads(s) {
			c.relation(ref)
		}
		for _, ref := range s.ColumnsFrom {
			c.relation(ref)
		}
	}
	done := map[*models.Source]bool{}
	for _, r := range c.model.Relations {
		c.completeColumns(r.Decl, done)
	}
	for _, r := range c.model.Relations {
		c.checkColumns(r.Decl)
	}
}

// modelReads are the relations a model's SQL reads, in every dialect's
// SQL, each once, in the order written.
func modelReads(s *models.Source) []models.Ref {
	var out []models.Ref
	seen := map[string]bool{}
	for _, tmpl := range Templates(s) {
		for _, part := range tmpl.Parts {
			if part.Ref != nil && !seen[part.Ref.Kind+"."+part.Ref.Name] {
				seen[part.Ref.Kind+"."+part.Ref.Name] = true
				out = append(out, *part.Ref)
			}
		}
	}
	return out
}

// completeColumns gives a model the columns it declares by reference, so
// that columns are declared once, on the table: columns_from adds every
// column of the relations it names (but those the model declares
// itself), and a column declared without a type takes the type (and the
// description, when it has none) of the column of that name in the
// relations the model reads. Models read models: those first. done
// marks the models completed, or being completed (a cycle, reported
// with the models' order).
func (c *checker) completeColumns(s *models.Source, done map[*models.Source]bool) {
	if s.Kind != models.KindModel || done[s] {
		return
	}
	done[s] = true
	var reads []*Relation
	seen := map[*Relation]bool{}
	for _, ref := range append(modelReads(s), s.ColumnsFrom...) {
		if r := c.model.relations[ref.Kind+"."+ref.Name]; r != nil && !seen[r] {
			seen[r] = true
			reads = append(reads, r)
			c.completeColumns(r.Decl, done)
		}
	}
	for _, ref := range s.ColumnsFrom {
		r := c.model.relations[ref.Kind+"."+ref.Name]
		if r == nil {
			continue // reported as unknown
		}
		for _, col := range r.Decl.Columns {
			if s.Column(col.Name) == nil {
				s.Columns = append(s.Columns, &models.Column{Name: col.Name, Type: col.Type, Description: col.Description,
					DeclRange: ref.Range, TypeRange: ref.Range})
			}
		}
	}
	for _, col := range s.Columns {
		if col.TypeWritten() {
			continue
		}
		var from []string
		var types []models.Type
		for _, r := range reads {
			if rc := r.Decl.Column(col.Name); rc != nil && rc.Type != models.TypeUnknown {
				if len(types) > 0 && types[0] != rc.Type {
					c.errorf(col.DeclRange, "Column type differs",
						"Column %q of model %q has no type, and the relations it reads disagree on one: %s says %s, %s says %s. Give it its type: column %q { type = ... }.",
						col.Name, s.Name, from[0], types[0], r.Ref(), rc.Type, col.Name)
					types = nil
					break
				}
				if len(types) == 0 && col.Description == "" {
					col.Description = rc.Description
				}
				from, types = append(from, r.Ref()), append(types, rc.Type)
			}
		}
		switch {
		case len(types) > 0:
			col.Type = types[0]
		case len(from) == 0:
			var names []string
			for _, r := range reads {
				names = append(names, r.Ref())
			}
			what := "reads no relation"
			switch {
			case len(names) == 1:
				what = "reads " + names[0] + ", which declares no column of that name"
			case len(names) > 1:
				what = "reads " + strings.Join(names, ", ") + ", none of which declares a column of that name"
			}
			c.errorf(col.DeclRange, "Column without a type",
				"Column %q of model %q has no type, and its SQL %s. Give it one: column %q { type = string }.", col.Name, s.Name, what, col.Name)
		}
	}
}

// Templates are a model's SQL and its dialect overrides, in a fixed order.
func Templates(s *models.Source) []*models.SQLTemplate {
	if s.SQL == nil {
		return nil
	}
	keys := make([]string, 0, len(s.DialectSQL))
	for k := range s.DialectSQL {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := []*models.SQLTemplate{s.SQL}
	for _, k := range keys {
		out = append(out, s.DialectSQL[k])
	}
	return out
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
	if v := s.Valid; v != nil {
		for _, id := range []models.Ident{v.Start, v.End} {
			if col := c.requireColumn(s, id, "valid"); col != nil && !col.Type.IsTemporal() {
				c.errorf(id.Range, "Type mismatch",
					"The validity column %q of %s %q is a %s; it must be a date or a timestamp.", col.Name, s.Kind, s.Name, col.Type)
			}
		}
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
func (c *checker) relation(ref models.Ref) *Relation {
	if ref.IsZero() {
		return nil
	}
	if r := c.model.relations[ref.Kind+"."+ref.Name]; r != nil {
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
	if c.model.relations[other+"."+ref.Name] != nil && hint == "" {
		hint = fmt.Sprintf(" There is a %s named %q: write %s.%s.", other, ref.Name, other, ref.Name)
	}
	c.errorf(ref.Range, "Unknown "+ref.Kind, "No %s named %q is declared.%s", ref.Kind, ref.Name, hint)
	return nil
}
