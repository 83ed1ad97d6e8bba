package decode

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/models"
)

var entitySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "source", Required: true},
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
	if a, ok := content.Attributes["source"]; ok {
		e.Source = d.ref(a, "source", "model")
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
