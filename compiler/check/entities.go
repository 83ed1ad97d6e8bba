package check

import (
	"strings"

	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/models"
)

func (c *checker) checkEntities() {
	// Times first: an entity made from keys is dated by its sources'.
	for _, s := range c.project.Sources {
		if r := c.model.relations[string(s.Kind)+"."+s.Name]; r != nil && s.Time.Name != "" {
			r.Time = s.Column(s.Time.Name)
		}
		if r := c.model.relations[string(s.Kind)+"."+s.Name]; r != nil && s.Valid != nil {
			r.ValidFrom, r.ValidTo = s.Column(s.Valid.Start.Name), s.Column(s.Valid.End.Name)
		}
	}
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
		if len(e.KeysFrom) > 0 {
			ent.Rel, ent.KeysFrom = c.keysRelation(e)
		} else {
			ent.Rel = c.relation(e.Source)
		}
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
		if other := ent.Rel.Entity; other != nil && other != ent {
			c.errorf(e.Source.Range, "Conflicting entity", "%s is where entity %q's rows or keys come from already; give entity %q a table of its own.", ent.Rel.Ref(), other.Decl.Name, e.Name)
			continue
		}
		ent.Rel.Entity = ent
		ent.Rel.EntityKey = ent.Key.Name
		conflict := false
		for i, k := range ent.KeysFrom {
			if other := k.Rel.Entity; other != nil && other != ent {
				c.errorf(e.KeysFrom[i].Range, "Conflicting entity", "%s is where entity %q's rows or keys come from already, so its rows cannot hold the keys of entity %q.", k.Rel.Ref(), other.Decl.Name, e.Name)
				conflict = true
				continue
			}
			k.Rel.Entity, k.Rel.EntityKey = ent, k.Key.Name
		}
		if conflict {
			continue
		}
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
		if r.Entity != nil && r.Entity != ent && r.Entity.Rel == r {
			c.errorf(s.Entity.Range, "Conflicting entity",
				"%s %q is the base source of entity %q, so its rows cannot belong to entity %q.", s.Kind, s.Name, r.Entity.Decl.Name, ent.Decl.Name)
			continue
		}
		if r.Entity != nil && r.Entity != ent {
			c.errorf(s.Entity.Range, "Conflicting entity",
				"The keys of entity %q come from %s %q (keys_from), so its rows cannot belong to entity %q.", r.Entity.Decl.Name, s.Kind, s.Name, ent.Decl.Name)
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
		if r := c.model.relations[string(s.Kind)+"."+s.Name]; r != nil && !s.Through.IsZero() {
			c.checkThrough(r)
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

// KeysViewSuffix names the view of an entity made from keys:
// <entity>_keys.
const KeysViewSuffix = "_keys"

// FirstSeen is the column of an entity made from keys that dates it: the
// earliest time of its rows, when every source of its keys is dated.
const FirstSeen = "first_seen"

// KeySource is a source an entity's keys come from, and its key column.
type KeySource struct {
	Rel *Relation
	Key *models.Column
}

// keysRelation makes the relation of an entity declared with keys_from:
// the view <entity>_keys, one row per key found in the sources' rows
// (NULL keys left out), with first_seen when every source is dated. Each
// source holds the key in the column its entity_key names, else in the
// column of the entity's key name, and the keys' types must agree.
func (c *checker) keysRelation(e *models.Entity) (*Relation, []*KeySource) {
	var sources []*KeySource
	seen := map[*Relation]bool{}
	ok := true
	for _, ref := range e.KeysFrom {
		r := c.relation(ref)
		if r == nil {
			ok = false
			continue
		}
		if seen[r] {
			c.errorf(ref.Range, "Repeated source", "%s is listed twice in keys_from.", ref.String())
			ok = false
			continue
		}
		seen[r] = true
		key := r.Decl.EntityKey
		if key.Name == "" {
			key = models.Ident{Name: e.Key.Name, Range: ref.Range}
		}
		col := r.Decl.Column(key.Name)
		if col == nil {
			var names []string
			for _, c := range r.Decl.Columns {
				names = append(names, c.Name)
			}
			c.errorf(ref.Range, "Unknown column",
				"The %s %q has no column %q for the keys of entity %q.%s Say which column holds them with entity_key = <column> in the %s, or declare column %q { type = ... }.",
				r.Decl.Kind, r.Decl.Name, key.Name, e.Name, diag.DidYouMean(key.Name, names), r.Decl.Kind, key.Name)
			ok = false
			continue
		}
		if len(sources) > 0 && !sameKeyType(sources[0].Key.Type, col.Type) {
			c.errorf(ref.Range, "Key types differ",
				"Entity %q takes its keys from %s, whose %s is of type %s, and from %s, whose %s is of type %s. Declare the key columns with one type.",
				e.Name, ref.String(), col.Name, col.Type, sources[0].Rel.Ref(), sources[0].Key.Name, sources[0].Key.Type)
			ok = false
			continue
		}
		sources = append(sources, &KeySource{Rel: r, Key: col})
	}
	if !ok || len(sources) == 0 {
		return nil, nil
	}
	keyType := sources[0].Key.Type
	decl := &models.Source{
		Kind:        models.KindModel,
		Name:        e.Name + KeysViewSuffix,
		Description: "Every " + e.Name + " key found in the rows of " + keysFromList(sources) + ".",
		DeclRange:   e.DeclRange,
		Columns:     []*models.Column{{Name: e.Key.Name, Type: keyType, Description: "The " + e.Name + "'s key.", DeclRange: e.Key.Range}},
	}
	rel := &Relation{Decl: decl, Path: []string{c.project.Schema, decl.Name}}
	rel.Stored = rel.Path
	// Dated when every source is: the entity exists from its first row.
	timeType := models.TypeDate
	for _, k := range sources {
		if k.Rel.Time == nil {
			return rel, sources
		}
		if k.Rel.Time.Type != models.TypeDate {
			timeType = models.TypeTimestamp
		}
	}
	first := &models.Column{Name: FirstSeen, Type: timeType, Description: "When the " + e.Name + " first appears: the earliest time of its rows.", DeclRange: e.KeysFromRange}
	decl.Columns = append(decl.Columns, first)
	decl.Time = models.Ident{Name: FirstSeen, Range: e.KeysFromRange}
	rel.Time = first
	return rel, sources
}

// sameKeyType reports whether two key columns can hold the same keys.
func sameKeyType(a, b models.Type) bool {
	return a == b || a.IsNumeric() && b.IsNumeric()
}

func keysFromList(sources []*KeySource) string {
	var names []string
	for _, k := range sources {
		names = append(names, k.Rel.Ref())
	}
	return strings.Join(names, ", ")
}

// checkThrough resolves a relation whose rows reach their entity through
// another source's (through = source.orders): the parent's primary key,
// the relation's foreign key to it (foreign_key, else a column of the
// key's name), and the parent's entity, which becomes the relation's; its
// rows are then read from the view <source>_with_<entity>, which adds the
// entity's key. The parent must belong to an entity itself; paths of more
// than one step are not followed.
func (c *checker) checkThrough(r *Relation) {
	s := r.Decl
	if !s.Entity.IsZero() || s.EntityKey.Name != "" {
		c.errorf(s.Through.Range, "Entity and through",
			"%s %q names its entity (entity or entity_key) and the source its rows belong to (through). Keep through when its rows reach the entity through that source's rows; keep entity when they hold the entity's key themselves.", s.Kind, s.Name)
		return
	}
	if r.Entity != nil {
		c.errorf(s.Through.Range, "Conflicting entity", "%s is where entity %q's rows or keys come from, so its rows cannot reach an entity through another source.", r.Ref(), r.Entity.Decl.Name)
		return
	}
	parent := c.relation(s.Through)
	if parent == nil {
		return
	}
	if parent == r {
		c.errorf(s.Through.Range, "Through itself", "%s %q cannot reach its entity through its own rows.", s.Kind, s.Name)
		return
	}
	if parent.Decl.PrimaryKey.Name == "" {
		c.errorf(s.Through.Range, "Parent without primary_key",
			"%s reaches its entity through %s, which has no primary_key: declare the column that identifies each of its rows (primary_key = order_id), which %s's rows hold.", r.Ref(), parent.Ref(), r.Ref())
		return
	}
	parentKey := parent.Decl.Column(parent.Decl.PrimaryKey.Name)
	if parentKey == nil {
		return // reported with the parent
	}
	if parent.Through != nil || !parent.Decl.Through.IsZero() {
		c.errorf(s.Through.Range, "Path too long",
			"%s reaches its entity through %s, which reaches it through %s in turn. Strata follows one step: point through at a source whose rows hold the entity's key.", r.Ref(), parent.Ref(), parent.Decl.Through.String())
		return
	}
	if parent.Entity == nil {
		c.errorf(s.Through.Range, "Parent without entity",
			"%s reaches its entity through %s, whose rows belong to no entity. Give %s an entity (entity = customer) or make it an entity's own source.", r.Ref(), parent.Ref(), parent.Ref())
		return
	}
	fk := s.ForeignKey
	if fk.Name == "" {
		fk = models.Ident{Name: parentKey.Name, Range: s.Through.Range}
	}
	fkCol := c.requireColumn(s, fk, "foreign_key")
	if fkCol == nil {
		return
	}
	if !sameKeyType(fkCol.Type, parentKey.Type) {
		c.errorf(fk.Range, "Key types differ", "%s's %s is of type %s, and %s's primary key %s of type %s: they cannot match. Declare them with one type.",
			r.Ref(), fkCol.Name, fkCol.Type, parent.Ref(), parentKey.Name, parentKey.Type)
		return
	}
	ent := parent.Entity
	if ent.Key == nil {
		return
	}
	// The entity's key joins the rows under its own name, or prefixed by
	// the entity's where the rows have a column of that name (an id).
	keyName := ent.Key.Name
	if s.Column(keyName) != nil {
		keyName = ent.Decl.Name + "_" + ent.Key.Name
	}
	if s.Column(keyName) != nil {
		c.errorf(s.Through.Range, "Column clash",
			"%s reaches entity %q through %s, which adds the entity's key as column %q, or %q when the rows have a column %q, but %s has both. If one holds the entity's key, drop through and write entity = %s.",
			r.Ref(), ent.Decl.Name, parent.Ref(), ent.Key.Name, keyName, ent.Key.Name, r.Ref(), ent.Decl.Name)
		return
	}
	r.Through = &Through{Parent: parent, ForeignKey: fkCol, ParentKey: parentKey}
	r.Entity, r.EntityKey = ent, keyName
	r.Path = []string{c.project.Schema, s.Name + ThroughViewSuffix + ent.Decl.Name}
}
