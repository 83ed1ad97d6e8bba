package decode

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/models"
)

var segmentSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "of"},
		{Name: "where"},
		{Name: "description"},
		{Name: "materialized"},
		{Name: "history"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "tier", LabelNames: []string{"name"}}},
}

var tierSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "where"},
		{Name: "description"},
	},
}

func (d *decoder) decodeSegment(b *hcl.Block) *models.Segment {
	s := &models.Segment{Name: b.Labels[0], DeclRange: b.DefRange}
	content := d.content(b.Body, segmentSchema)
	if a, ok := content.Attributes["of"]; ok {
		s.Of = d.entityRef(a)
	}
	if a, ok := content.Attributes["where"]; ok {
		s.Where = a.Expr
	}
	if a, ok := content.Attributes["description"]; ok {
		s.Description = d.str(a)
	}
	if a, ok := content.Attributes["materialized"]; ok {
		s.Materialized = d.choice(a)
	}
	if a, ok := content.Attributes["history"]; ok {
		s.History = d.grainOr(a, true) // none turns the project's default off
	}
	for _, tb := range content.Blocks {
		t := &models.Tier{Name: tb.Labels[0], DeclRange: tb.DefRange}
		tc := d.content(tb.Body, tierSchema)
		if a, ok := tc.Attributes["where"]; ok {
			t.Where = a.Expr
		}
		if a, ok := tc.Attributes["description"]; ok {
			t.Description = d.str(a)
		}
		s.Tiers = append(s.Tiers, t)
	}
	switch {
	case s.Where == nil && len(s.Tiers) == 0:
		d.errorf(b.DefRange, "Segment without rule",
			"Segment %q needs a where rule, or tier blocks for exclusive tiers.", s.Name)
	case s.Where != nil && len(s.Tiers) > 0:
		d.errorf(b.DefRange, "Segment with both where and tiers",
			"Segment %q has a where rule and tiers. Use where for one group, or tiers (each with its own where) for exclusive groups.", s.Name)
	}
	for i, t := range s.Tiers {
		if t.Where == nil && i < len(s.Tiers)-1 {
			d.errorf(t.DeclRange, "Default tier not last",
				"Tier %q has no where rule, so it matches every entity and the tiers after it could never match. Move it to the end.", t.Name)
		}
	}
	return s
}
