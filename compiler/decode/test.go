package decode

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-analytics/strata/models"
)

var testSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "as_of", Required: true},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "given"}, {Type: "expect"}},
}

var givenSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "source", Required: true},
		{Name: "rows"},
		{Name: "file"},
	},
}

var testExpectSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "view"},
		{Name: "cohort"},
		{Name: "rows"},
		{Name: "segment"},
		{Name: "members"},
		{Name: "metric"},
		{Name: "values"},
	},
}

func (d *decoder) decodeTest(b *hcl.Block) *models.Test {
	t := &models.Test{Name: b.Labels[0], DeclRange: b.DefRange}
	content := d.content(b.Body, testSchema)
	if a, ok := content.Attributes["description"]; ok {
		t.Description = d.str(a)
	}
	if a, ok := content.Attributes["as_of"]; ok {
		t.AsOf, t.AsOfRange = d.str(a), a.Expr.Range()
	}
	for _, blk := range content.Blocks {
		switch blk.Type {
		case "given":
			t.Given = append(t.Given, d.decodeGiven(blk))
		case "expect":
			t.Expect = append(t.Expect, d.decodeExpect(blk))
		}
	}
	if len(t.Expect) == 0 {
		d.errorf(b.DefRange, "Test without expect",
			"Test %q checks nothing. Add an expect block: the members of a segment (segment = segment.x, members = [...]), a metric's values per entity (metric = metric.x, values = { key = value }) or a view's rows (view = \"name\", rows = [...]).", t.Name)
	}
	return t
}

func (d *decoder) decodeGiven(b *hcl.Block) *models.Given {
	g := &models.Given{DeclRange: b.DefRange}
	attrs := d.content(b.Body, givenSchema).Attributes
	if a, ok := attrs["source"]; ok {
		g.Source = d.ref(a, "source")
	}
	rows, hasRows := attrs["rows"]
	file, hasFile := attrs["file"]
	switch {
	case hasRows && hasFile:
		d.errorf(file.NameRange, "Rows and file",
			"A given block has its rows inline (rows = [...]) or in a file (file = \"tests/x.csv\"), not both. Keep one.")
	case hasRows:
		g.Rows = d.rows(rows)
	case hasFile:
		g.File, g.FileRange = d.str(file), file.Expr.Range()
	}
	// Neither: the source is given no rows, which a test may say plainly.
	return g
}

func (d *decoder) decodeExpect(b *hcl.Block) *models.TestExpectation {
	x := &models.TestExpectation{DeclRange: b.DefRange}
	attrs := d.content(b.Body, testExpectSchema).Attributes
	var what []string
	if a, ok := attrs["view"]; ok {
		x.View, x.ViewRange = d.str(a), a.Expr.Range()
		what = append(what, "view")
	}
	if a, ok := attrs["cohort"]; ok {
		x.Cohort = d.ref(a, "cohort")
		what = append(what, "cohort")
	}
	if a, ok := attrs["segment"]; ok {
		x.Segment = d.ref(a, "segment")
		what = append(what, "segment")
	}
	if a, ok := attrs["metric"]; ok {
		x.Metric = d.ref(a, "metric")
		what = append(what, "metric")
	}
	if len(what) != 1 {
		d.errorf(b.DefRange, "Expect what",
			"An expect block checks one thing: a view's rows (view = \"name\" or cohort = cohort.x, with rows), a segment's members (segment = segment.x, with members) or a metric's values (metric = metric.x, with values). This one names %d.", len(what))
		return x
	}
	// The attribute that holds what is expected, for what is checked.
	want := map[string]string{"view": "rows", "cohort": "rows", "segment": "members", "metric": "values"}[what[0]]
	for _, name := range []string{"rows", "members", "values"} {
		a, ok := attrs[name]
		switch {
		case ok && name != want:
			d.errorf(a.NameRange, "Unexpected "+name,
				"An expect block on a %s lists %s, not %s.", what[0], want, name)
		case !ok && name == want:
			d.errorf(b.DefRange, "Missing "+want,
				"An expect block on a %s lists what it must hold in %s.", what[0], want)
		case ok && name == "rows":
			x.Rows, x.RowsRange = d.rows(a), a.Expr.Range()
		case ok && name == "members":
			x.Members, x.MembersRange = d.literals(a), a.Expr.Range()
		case ok && name == "values":
			x.Values = d.cells(a.Expr)
		}
	}
	return x
}

// rows reads a list of objects: [{ customer_id = "c1", mrr = 10 }, ...].
func (d *decoder) rows(a *hcl.Attribute) []models.Row {
	exprs, diags := hcl.ExprList(a.Expr)
	if diags.HasErrors() {
		d.errorf(a.Expr.Range(), "Invalid rows", "The %s argument is a list of rows, each an object such as { customer_id = \"c1\", plan = \"growth\" }.", a.Name)
		return nil
	}
	rows := []models.Row{}
	for _, e := range exprs {
		rows = append(rows, models.Row{Cells: d.cells(e), Range: e.Range()})
	}
	return rows
}

// cells reads an object of column names (or keys) and literal values.
func (d *decoder) cells(e hcl.Expression) []models.Cell {
	pairs, diags := hcl.ExprMap(e)
	if diags.HasErrors() {
		d.errorf(e.Range(), "Invalid row", "A row is an object of column names and values, such as { customer_id = \"c1\", plan = \"growth\" }.")
		return nil
	}
	var cells []models.Cell
	for _, p := range pairs {
		name := hcl.ExprAsKeyword(p.Key)
		if name == "" {
			v, diags := p.Key.Value(nil)
			if diags.HasErrors() || v.IsNull() || !v.Type().Equals(cty.String) {
				d.errorf(p.Key.Range(), "Invalid column name", "A row's keys are column names, written bare (plan) or quoted (\"plan\").")
				continue
			}
			name = v.AsString()
		}
		cells = append(cells, models.Cell{Column: models.Ident{Name: name, Range: p.Key.Range()}, Value: d.literal(p.Value)})
	}
	return cells
}

func (d *decoder) literals(a *hcl.Attribute) []models.Literal {
	exprs, diags := hcl.ExprList(a.Expr)
	if diags.HasErrors() {
		d.errorf(a.Expr.Range(), "Invalid list", "The %s argument is a list of values, such as [\"c1\", \"c2\"].", a.Name)
		return nil
	}
	out := []models.Literal{}
	for _, e := range exprs {
		out = append(out, d.literal(e))
	}
	return out
}

// literal reads a string, number, boolean or null written in a test.
func (d *decoder) literal(e hcl.Expression) models.Literal {
	l := models.Literal{Range: e.Range()}
	v, diags := e.Value(nil)
	switch {
	case diags.HasErrors() || !v.IsKnown():
		d.errorf(e.Range(), "Invalid value", "A value in a test is a string, a number, true, false or null, written as a literal.")
	case v.IsNull():
	case v.Type().Equals(cty.String):
		l.Kind, l.Text = models.LiteralString, v.AsString()
	case v.Type().Equals(cty.Number):
		// Plain digits (1000000, not 1e+06), so an integer reads as one.
		l.Kind, l.Text = models.LiteralNumber, v.AsBigFloat().Text('f', -1)
	case v.Type().Equals(cty.Bool):
		l.Kind, l.Text = models.LiteralBool, "false"
		if v.True() {
			l.Text = "true"
		}
	default:
		d.errorf(e.Range(), "Invalid value", "A value in a test is a string, a number, true, false or null, not a list or an object.")
	}
	return l
}
