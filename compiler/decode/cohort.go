package decode

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/models"
)

var cohortSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "joined", Required: true},
		{Name: "active", Required: true},
		{Name: "of"},
		{Name: "grain"},
		{Name: "periods"},
		{Name: "retention"},
		{Name: "measures"},
		{Name: "by"},
		{Name: "description"},
		{Name: "materialized"},
	},
}

func (d *decoder) decodeCohort(b *hcl.Block) *models.Cohort {
	c := &models.Cohort{Name: b.Labels[0], DeclRange: b.DefRange, Periods: 12, Retention: models.RetentionOn}
	attrs := d.content(b.Body, cohortSchema).Attributes
	if a, ok := attrs["joined"]; ok {
		c.Joined = a.Expr
	}
	if a, ok := attrs["active"]; ok {
		c.Active = a.Expr
	}
	if a, ok := attrs["of"]; ok {
		c.Of = d.entityRef(a)
	}
	if a, ok := attrs["grain"]; ok {
		c.Grain = d.grain(a)
	}
	if a, ok := attrs["periods"]; ok {
		c.PeriodsRange = a.Expr.Range()
		c.Periods = d.count(a, 1, 1000)
	}
	if a, ok := attrs["retention"]; ok {
		c.RetentionRange = a.Expr.Range()
		w := d.word(a)
		modes := []string{models.RetentionOn, models.RetentionOnOrAfter}
		if w.Name != models.RetentionOn && w.Name != models.RetentionOnOrAfter {
			d.errorf(a.Expr.Range(), "Invalid retention mode",
				"%q is not a retention mode. Use \"on\" (active in exactly that period) or \"on_or_after\" (active in that period or any later one).%s",
				w.Name, diag.DidYouMean(w.Name, modes))
		} else {
			c.Retention = w.Name
		}
	}
	if a, ok := attrs["materialized"]; ok {
		c.Materialized = d.choice(a)
	}
	if a, ok := attrs["measures"]; ok {
		c.Measures = d.refList(a, "metric")
	}
	if a, ok := attrs["by"]; ok {
		if _, isList := a.Expr.(*hclsyntax.TupleConsExpr); isList {
			d.errorf(a.Expr.Range(), "Invalid reference",
				"A cohort is split by one segment (its tiers, or member and non-member): write by = segment.name, without brackets.")
		} else {
			c.By = d.ref(a, "segment")
		}
	}
	if a, ok := attrs["description"]; ok {
		c.Description = d.str(a)
	}
	return c
}
