package decode

import (
	"github.com/hashicorp/hcl/v2"
)

var projectSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "schema"},
		{Name: "default_target"},
		{Name: "week_start"},
		{Name: "fiscal_year_start"},
		{Name: "materialized"},
		{Name: "history"},
	},
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
	if a, ok := content.Attributes["materialized"]; ok {
		p.Materialize = d.materialize(a)
	}
	if a, ok := content.Attributes["history"]; ok {
		p.History = d.grain(a)
	}
}
