package decode

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/models"
)

var segmentSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "of"},
		{Name: "where"},
		{Name: "description"},
		{Name: "materialized"},
		{Name: "history"},
		{Name: "history_from"},
		{Name: "contact"},
		{Name: "min_size"},
		{Name: "split"},
		{Name: "salt"},
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
		{Name: "share"},
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
	if a, ok := content.Attributes["history_from"]; ok {
		s.HistoryFromRange = a.Expr.Range()
		sources := []string{models.HistoryFromData, models.HistoryFromSnapshots}
		if w := d.word(a); slices.Contains(sources, w.Name) {
			s.HistoryFrom = w.Name
		} else if w.Name != "" {
			d.errorf(a.Expr.Range(), "Unknown history source",
				"%q is not where a history can come from. Use data (membership reconstructed from the data, the default) or snapshots (the members strata snapshot recorded).%s",
				w.Name, diag.DidYouMean(w.Name, sources))
		}
	}
	if a, ok := content.Attributes["contact"]; ok {
		s.Contact, s.ContactRange = d.wordList(a), a.Expr.Range()
	}
	if a, ok := content.Attributes["split"]; ok {
		s.Split = a.Expr
	}
	if a, ok := content.Attributes["salt"]; ok {
		s.Salt, s.SaltRange = d.str(a), a.Expr.Range()
		if s.Split == nil {
			d.errorf(a.Range, "Salt without split", "Segment %q is not a split, so nothing is hashed with its salt. Remove salt, or add split = segment.<name>.", s.Name)
		}
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
		if a, ok := tc.Attributes["share"]; ok {
			t.Share, t.ShareRange = d.count(a, 1, 100), a.Expr.Range()
		}
		s.Tiers = append(s.Tiers, t)
	}
	if s.Split != nil {
		d.checkSplit(b, s)
		return s
	}
	for _, t := range s.Tiers {
		if t.Share > 0 {
			d.errorf(t.ShareRange, "Share without split",
				"Tier %q has a share, which only the tiers of a split have. Add split = segment.<name> to segment %q, or give the tier a where rule.", t.Name, s.Name)
		}
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

// checkSplit reports a split without tiers, with a rule, or whose tiers'
// shares do not add up to 100.
func (d *decoder) checkSplit(b *hcl.Block, s *models.Segment) {
	if s.Where != nil {
		d.errorf(s.Where.Range(), "Split with a rule",
			"Segment %q splits the members of %s, so it takes no where rule of its own. Put the rule in the segment it splits, or remove split.", s.Name, exprText(s.Split))
	}
	if len(s.Tiers) < 2 {
		d.errorf(b.DefRange, "Split without groups",
			"Segment %q is a split, and needs two tiers or more with their shares, such as tier \"treatment\" { share = 90 } and tier \"holdout\" { share = 10 }.", s.Name)
		return
	}
	total, complete := 0, true
	for _, t := range s.Tiers {
		complete = complete && t.Where == nil && t.Share > 0
		switch {
		case t.Where != nil:
			d.errorf(t.Where.Range(), "Tier of a split with a rule",
				"Tier %q of split %q gets its members by share, by a hash of their key; a where rule would choose them. Remove where, and give it share = <percent>.", t.Name, s.Name)
		case t.Share == 0:
			d.errorf(t.DeclRange, "Tier without share", "Tier %q of split %q needs share = <percent of the members>.", t.Name, s.Name)
		}
		total += t.Share
	}
	if total != 100 && complete {
		d.errorf(s.Tiers[len(s.Tiers)-1].DeclRange, "Split shares do not sum to 100",
			"The tiers of split %q have shares that add up to %d; every member falls in exactly one, so they must add up to 100.", s.Name, total)
	}
}

// exprText is a reference expression as written, such as segment.at_risk.
func exprText(e hcl.Expression) string {
	if t, diags := hcl.AbsTraversalForExpr(e); !diags.HasErrors() {
		var parts []string
		for _, step := range t {
			switch s := step.(type) {
			case hcl.TraverseRoot:
				parts = append(parts, s.Name)
			case hcl.TraverseAttr:
				parts = append(parts, s.Name)
			}
		}
		return strings.Join(parts, ".")
	}
	return "another segment"
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
