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
		c.checkColumns(s)
	}
	// Models may read relations declared after them, in any file.
	for _, s := range c.project.Sources {
		if s.SQL == nil {
			continue
		}
		for _, tmpl := range Templates(s) {
			for _, part := range tmpl.Parts {
				if part.Ref != nil {
					c.relation(*part.Ref)
				}
			}
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
