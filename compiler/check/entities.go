package check

import (
	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/models"
)

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
		ent := &Entity{Decl: e}
		c.model.entities[e.Name] = ent
		ent.Rel = c.relation(e.Source)
		if ent.Rel == nil {
			continue
		}
		if ent.Key = c.requireColumn(ent.Rel.Decl, e.Key, "key"); ent.Key == nil {
			continue
		}
		for _, col := range ent.Rel.Decl.Columns {
			if col != ent.Key {
				ent.Attributes = append(ent.Attributes, col)
			}
		}
		ent.Rel.Entity = ent
		ent.Rel.EntityKey = ent.Key.Name
		c.model.Entities = append(c.model.Entities, ent)
	}
	// Sources that name the entity their rows belong to.
	for _, s := range c.project.Sources {
		r := c.model.relations[string(s.Kind)+"."+s.Name]
		if r == nil || s.Entity.IsZero() {
			continue
		}
		ent := c.entity(s.Entity)
		if ent == nil {
			continue
		}
		if r.Entity != nil && r.Entity != ent {
			c.errorf(s.Entity.Range, "Conflicting entity",
				"%s %q is the base source of entity %q, so its rows cannot belong to entity %q.", s.Kind, s.Name, r.Entity.Decl.Name, ent.Decl.Name)
			continue
		}
		key := s.EntityKey
		if key.Name == "" && ent.Key != nil {
			key = models.Ident{Name: ent.Key.Name, Range: s.Entity.Range}
		}
		if key.Name == "" || c.requireColumn(s, key, "entity_key") == nil {
			continue
		}
		r.Entity, r.EntityKey = ent, key.Name
	}
	for _, s := range c.project.Sources {
		if r := c.model.relations[string(s.Kind)+"."+s.Name]; r != nil && s.Time.Name != "" {
			r.Time = s.Column(s.Time.Name)
		}
		if r := c.model.relations[string(s.Kind)+"."+s.Name]; r != nil && s.Valid != nil {
			r.ValidFrom, r.ValidTo = s.Column(s.Valid.Start.Name), s.Column(s.Valid.End.Name)
		}
	}
}

// entity resolves an entity name, reporting unknown ones.
func (c *checker) entity(ref models.Ref) *Entity {
	if e, ok := c.model.entities[ref.Name]; ok {
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
func (c *checker) defaultEntity() *Entity {
	if len(c.project.Entities) == 1 {
		return c.model.entities[c.project.Entities[0].Name]
	}
	return nil
}
