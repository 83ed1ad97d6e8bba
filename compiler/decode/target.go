package decode

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/models"
)

var targetSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "dialect", Required: true},
		{Name: "path"},
		{Name: "connection_env"},
	},
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
