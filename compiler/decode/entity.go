package decode

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/models"
)

var entitySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "source"},
		{Name: "keys_from"},
		{Name: "key", Required: true},
		{Name: "description"},
		{Name: "materialized"},
		{Name: "overlap"},
		{Name: "contact"},
	},
}

func (d *decoder) decodeEntity(b *hcl.Block) *models.Entity {
	e := &models.Entity{Name: b.Labels[0], DeclRange: b.DefRange}
	content := d.content(b.Body, entitySchema)
	source, hasSource := content.Attributes["source"]
	keysFrom, hasKeys := content.Attributes["keys_from"]
	switch {
	case hasSource && hasKeys:
		d.errorf(keysFrom.NameRange, "Source and keys_from",
			"Entity %q has both a source and keys_from. Keep source when the entity has a table of its own (one row per %s); keep keys_from to make it from the keys other sources' rows hold.", e.Name, e.Name)
	case hasSource:
		e.Source = d.ref(source, "source", "model")
	case hasKeys:
		e.KeysFrom, e.KeysFromRange = d.refList(keysFrom, "source", "model"), keysFrom.Expr.Range()
		if len(e.KeysFrom) == 0 {
			d.errorf(keysFrom.Expr.Range(), "Empty keys_from", "keys_from lists the sources whose rows hold the keys of entity %q: keys_from = [source.orders].", e.Name)
		}
	default:
		d.errorf(b.DefRange, "Entity without rows",
			"Entity %q needs source = source.x, its table with one row per %s, or keys_from = [source.x, ...], the sources whose rows hold its keys.", e.Name, e.Name)
	}
	if a, ok := content.Attributes["key"]; ok {
		e.Key = d.word(a)
	}
	if a, ok := content.Attributes["description"]; ok {
		e.Description = d.str(a)
	}
	if a, ok := content.Attributes["materialized"]; ok {
		e.Materialized = d.choice(a)
	}
	if a, ok := content.Attributes["overlap"]; ok {
		e.Overlap, e.OverlapRange = d.boolean(a), a.Expr.Range()
	}
	if a, ok := content.Attributes["contact"]; ok {
		e.Contact = d.wordList(a)
	}
	return e
}
