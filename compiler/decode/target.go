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
		{Name: "schema"},
	},
}

func (d *decoder) decodeTarget(b *hcl.Block) *models.Target {
	t := &models.Target{Name: b.Labels[0], DeclRange: b.DefRange}
	// The other attributes are the dialect's settings, checked against
	// the dialect once it is known.
	content, remain, diags := b.Body.PartialContent(targetSchema)
	d.diags = append(d.diags, diags...)
	settings, diags := remain.JustAttributes()
	d.diags = append(d.diags, diags...)
	for name, a := range settings {
		if t.Settings == nil {
			t.Settings = map[string]models.TargetSetting{}
		}
		t.Settings[name] = models.TargetSetting{Value: d.str(a), Range: a.Range}
	}
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
	if a, ok := content.Attributes["schema"]; ok {
		t.Schema = d.name(a)
		t.SchemaRange = a.Expr.Range()
	}
	return t
}
