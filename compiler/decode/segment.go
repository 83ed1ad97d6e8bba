package decode

import (
	"strings"

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
		{Name: "contact"},
		{Name: "min_size"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "tier", LabelNames: []string{"name"}}, {Type: "expect"}},
}

// expectSchema has an attribute per quality measure.
var expectSchema = func() *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, m := range models.QualityMeasures {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: m})
	}
	return s
}()

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
	if a, ok := content.Attributes["contact"]; ok {
		s.Contact, s.ContactRange = d.wordList(a), a.Expr.Range()
	}
	if a, ok := content.Attributes["min_size"]; ok {
		s.MinSize, s.MinSizeRange = d.count(a, 1, 1_000_000_000), a.Expr.Range()
	}
	expects := 0
	for _, tb := range content.Blocks {
		if tb.Type == "expect" {
			if expects++; expects > 1 {
				d.errorf(tb.DefRange, "Duplicate expect block", "Segment %q has more than one expect block. Put every floor in one.", s.Name)
			}
			s.Expect = append(s.Expect, d.expectations(tb)...)
			continue
		}
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

// expectations reads an expect block: a floor from 0 to 1 per measure,
// in the order of models.QualityMeasures.
func (d *decoder) expectations(b *hcl.Block) []models.Expectation {
	content := d.content(b.Body, expectSchema)
	var out []models.Expectation
	for _, m := range models.QualityMeasures {
		if a, ok := content.Attributes[m]; ok {
			out = append(out, models.Expectation{Measure: m, Min: d.fraction(a), Range: a.Range})
		}
	}
	if len(content.Attributes) == 0 {
		d.errorf(b.DefRange, "Empty expect block", "An expect block sets a floor from 0 to 1 on some of %s, such as retained = 0.8.",
			strings.Join(models.QualityMeasures, ", "))
	}
	return out
}
