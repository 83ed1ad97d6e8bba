package decode

import (
	"regexp"
	"strconv"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/models"
)

var metricSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "value", Required: true},
		{Name: "of"},
		{Name: "from"},
		{Name: "where"},
		{Name: "window"},
		{Name: "valid"},
		{Name: "allow_overlap"},
		{Name: "grain"},
		{Name: "by"},
		{Name: "movements"},
		{Name: "description"},
		{Name: "materialized"},
	},
}

func (d *decoder) decodeMetric(b *hcl.Block) *models.Metric {
	m := &models.Metric{Name: b.Labels[0], DeclRange: b.DefRange}
	content := d.content(b.Body, metricSchema)
	attrs := content.Attributes
	if a, ok := attrs["value"]; ok {
		m.Value = a.Expr
	}
	if a, ok := attrs["of"]; ok {
		m.Of = d.entityRef(a)
	}
	if a, ok := attrs["from"]; ok {
		m.From = d.ref(a, "source", "model")
	}
	if a, ok := attrs["where"]; ok {
		m.Where = a.Expr
	}
	if a, ok := attrs["window"]; ok {
		m.Window = d.window(a)
	}
	if a, ok := attrs["valid"]; ok {
		m.Valid = d.interval(a)
	}
	m.AllowOverlap = true
	if a, ok := attrs["allow_overlap"]; ok {
		m.AllowOverlap, m.AllowOverlapRange = d.boolean(a), a.Expr.Range()
	}
	if a, ok := attrs["grain"]; ok {
		m.Grain = d.grain(a)
	}
	if a, ok := attrs["by"]; ok {
		m.By, m.ByAttributes, m.ByCombinations = d.breakdowns(a)
	}
	if a, ok := attrs["movements"]; ok {
		m.Movements, m.MovementsRange = d.boolean(a), a.Expr.Range()
	}
	if a, ok := attrs["description"]; ok {
		m.Description = d.str(a)
	}
	if a, ok := attrs["materialized"]; ok {
		m.Materialized = d.choice(a)
	}
	return m
}

// breakdowns reads by = [segment.x, attribute, [segment.y, column]]:
// the segments and the attributes of the entity a series is broken down
// by, one view each, and the combinations of several, a list each.
func (d *decoder) breakdowns(a *hcl.Attribute) ([]models.Ref, []models.Ident, []models.Combination) {
	exprs, diags := hcl.ExprList(a.Expr)
	if diags.HasErrors() {
		d.errorf(a.Expr.Range(), "Invalid list", "The by argument must be a list such as [segment.paying, plan, [segment.paying, plan]].")
		return nil, nil, nil
	}
	var segments []models.Ref
	var attributes []models.Ident
	var combinations []models.Combination
	for _, e := range exprs {
		if dim, ok := d.dimension(a, e); ok {
			if dim.Segment.IsZero() {
				attributes = append(attributes, dim.Column)
			} else {
				segments = append(segments, dim.Segment)
			}
			continue
		}
		inner, diags := hcl.ExprList(e)
		if diags.HasErrors() {
			d.invalidDimension(e)
			continue
		}
		c := models.Combination{Range: e.Range()}
		valid := true
		for _, x := range inner {
			if dim, ok := d.dimension(a, x); ok {
				c.Dimensions = append(c.Dimensions, dim)
			} else {
				d.invalidDimension(x)
				valid = false
			}
		}
		if valid {
			combinations = append(combinations, c)
		}
	}
	return segments, attributes, combinations
}

// dimension reads one element of by: segment.x or a column's name.
func (d *decoder) dimension(a *hcl.Attribute, e hcl.Expression) (models.Dimension, bool) {
	t, diags := hcl.AbsTraversalForExpr(e)
	switch {
	case diags.HasErrors():
		return models.Dimension{}, false
	case len(t) == 1:
		return models.Dimension{Column: models.Ident{Name: t.RootName(), Range: e.Range()}}, true
	case len(t) == 2 && t.RootName() == "segment":
		return models.Dimension{Segment: d.ref(&hcl.Attribute{Name: a.Name, Expr: e, Range: e.Range()}, "segment")}, true
	}
	return models.Dimension{}, false
}

func (d *decoder) invalidDimension(e hcl.Expression) {
	d.errorf(e.Range(), "Invalid reference",
		"The by argument lists segments (segment.paying) and attributes of the entity (plan), written as names, without quotes, or a list of several of them to break down by all at once ([segment.paying, plan]).")
}

// maxWindow is the longest window per unit: 100 years, so that a window's
// start stays a date every warehouse represents.
var maxWindow = map[string]int{"day": 36525, "week": 5218, "month": 1200, "year": 100}

var windowPattern = regexp.MustCompile(`^\s*(\d+)\s*(day|week|month|year)s?\s*$`)

func (d *decoder) window(a *hcl.Attribute) *models.Window {
	s := d.str(a)
	m := windowPattern.FindStringSubmatch(s)
	if m == nil {
		if s != "" || !d.diags.HasErrors() {
			d.errorf(a.Expr.Range(), "Invalid window",
				"%q is not a window. Write a count and a unit, such as \"30 days\", \"12 weeks\", \"6 months\" or \"1 year\".", s)
		}
		return nil
	}
	n, err := strconv.Atoi(m[1])
	if limit := maxWindow[m[2]]; err != nil || n <= 0 || n > limit {
		d.errorf(a.Expr.Range(), "Invalid window", "The window %q must count at least one %s and at most %d: a window spans at most 100 years.", s, m[2], limit)
		return nil
	}
	return &models.Window{Count: n, Unit: m[2], Range: a.Expr.Range()}
}

func (d *decoder) interval(a *hcl.Attribute) *models.Interval {
	exprs, diags := hcl.ExprList(a.Expr)
	if diags.HasErrors() || len(exprs) != 2 {
		d.errorf(a.Expr.Range(), "Invalid interval",
			"valid takes the two columns that bound each row's [start, end) interval, such as [started_at, ended_at].")
		return nil
	}
	iv := &models.Interval{Range: a.Expr.Range()}
	for i, e := range exprs {
		t, diags := hcl.AbsTraversalForExpr(e)
		if diags.HasErrors() || len(t) != 1 {
			d.errorf(e.Range(), "Invalid interval", "Each bound of valid must be a column name.")
			return nil
		}
		id := models.Ident{Name: t.RootName(), Range: e.Range()}
		if i == 0 {
			iv.Start = id
		} else {
			iv.End = id
		}
	}
	return iv
}
