package decode

import (
	"math"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/models"
)

var assertionSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "on"},
		{Name: "view"},
		{Name: "unique"},
		{Name: "not_null"},
		{Name: "accepted_values"},
		{Name: "references"},
		{Name: "to_column"},
		{Name: "min_rows"},
		{Name: "max_rows"},
		{Name: "fresh"},
		{Name: "condition"},
		{Name: "column"},
		{Name: "severity"},
	},
}

// assertionKinds are the attributes that say what an assertion checks;
// min_rows and max_rows are one kind.
var assertionKinds = []string{"unique", "not_null", "accepted_values", "references", "rows", "fresh", "condition"}

func (d *decoder) decodeAssertion(b *hcl.Block) *models.Assertion {
	x := &models.Assertion{Name: b.Labels[0], DeclRange: b.DefRange, Severity: "error"}
	attrs := d.content(b.Body, assertionSchema).Attributes
	if a, ok := attrs["description"]; ok {
		x.Description = d.str(a)
	}
	on, hasOn := attrs["on"]
	view, hasView := attrs["view"]
	switch {
	case hasOn && hasView:
		d.errorf(view.NameRange, "On and view", "An assertion checks a source or model (on = source.x) or a view (view = \"name\"), not both. Keep one.")
	case hasOn:
		x.On = d.ref(on, "source", "model")
	case hasView:
		x.View, x.ViewRange = d.str(view), view.Expr.Range()
	default:
		d.errorf(b.DefRange, "Assertion on nothing", "Assertion %q needs what it checks: on = source.x (or model.x), or view = \"name\".", x.Name)
	}
	var kinds []string
	for _, k := range assertionKinds {
		names := []string{k}
		if k == "rows" {
			names = []string{"min_rows", "max_rows"}
		}
		for _, name := range names {
			if a, ok := attrs[name]; ok {
				if len(kinds) == 0 || kinds[len(kinds)-1] != k {
					kinds = append(kinds, k)
				}
				if x.KindRange == (hcl.Range{}) {
					x.KindRange = a.NameRange
				}
				d.assertionKind(x, name, a)
			}
		}
	}
	if len(kinds) != 1 {
		d.errorf(b.DefRange, "Assertion checks what",
			"Assertion %q checks %d things; an assertion checks one: unique, not_null, accepted_values, references, min_rows/max_rows, fresh or condition. Write one assert block per check.", x.Name, len(kinds))
	}
	column, hasColumn := attrs["column"]
	if hasColumn {
		x.Column = d.word(column)
	}
	needsColumn := len(kinds) == 1 && (kinds[0] == "accepted_values" || kinds[0] == "references" || kinds[0] == "fresh")
	switch {
	case needsColumn && !hasColumn:
		d.errorf(b.DefRange, "Missing column", "Assertion %q checks %s of one column: name it, as in column = plan.", x.Name, kinds[0])
	case !needsColumn && hasColumn && len(kinds) == 1:
		d.errorf(column.NameRange, "Unexpected column", "An assertion of %s does not take a column; its columns are in the %s list, or its condition reads them.", kinds[0], kinds[0])
	}
	if a, ok := attrs["to_column"]; ok {
		if len(kinds) == 1 && kinds[0] != "references" {
			d.errorf(a.NameRange, "Unexpected to_column", "to_column names the referenced column of a references assertion.")
		}
		x.ToColumn = d.word(a)
	}
	if a, ok := attrs["severity"]; ok {
		w := d.word(a)
		x.SeverityRange = a.Expr.Range()
		if w.Name != "error" && w.Name != "warning" {
			d.errorf(a.Expr.Range(), "Invalid severity", "%q is not a severity. Use \"error\" (the run fails) or \"warning\" (it is reported).", w.Name)
		} else {
			x.Severity = w.Name
		}
	}
	return x
}

func (d *decoder) assertionKind(x *models.Assertion, name string, a *hcl.Attribute) {
	switch name {
	case "unique":
		x.Unique = d.wordList(a)
	case "not_null":
		x.NotNull = d.wordList(a)
	case "accepted_values":
		x.AcceptedValues = d.literals(a)
		if len(x.AcceptedValues) == 0 {
			d.errorf(a.Expr.Range(), "Empty accepted_values", "accepted_values lists the values the column may hold, such as [\"free\", \"growth\"].")
		}
	case "references":
		x.References = d.ref(a, "source", "model")
	case "min_rows", "max_rows":
		n := d.count(a, 0, math.MaxInt32)
		if name == "min_rows" {
			x.MinRows = &n
		} else {
			x.MaxRows = &n
		}
	case "fresh":
		x.FreshWithin = d.window(a)
	case "condition":
		x.Condition = a.Expr
	}
	if x.MinRows != nil && x.MaxRows != nil && *x.MinRows > *x.MaxRows {
		d.errorf(a.Expr.Range(), "Invalid row bounds", "min_rows (%d) is more than max_rows (%d).", *x.MinRows, *x.MaxRows)
	}
}
