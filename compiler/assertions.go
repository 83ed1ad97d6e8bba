package compiler

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/diag"
)

// checkAssertionViews checks what the checker could not of an assertion
// on a view: the view's columns, known once it is planned.
func checkAssertionViews(plan *Plan) hcl.Diagnostics {
	onViews := false
	for _, a := range plan.Model.Assertions {
		onViews = onViews || a.Rel == nil
	}
	if !onViews {
		return nil // every Load asks: a project without them pays nothing
	}
	var diags hcl.Diagnostics
	outputs := map[string]*Output{}
	for _, o := range plan.Outputs {
		outputs[o.Name] = o
	}
	for _, a := range plan.Model.Assertions {
		out := outputs[a.View]
		if a.Rel != nil || out == nil {
			continue
		}
		idents := a.ColumnIdents()
		var names []string
		for _, c := range out.Columns {
			names = append(names, c.Name)
		}
		for _, id := range idents {
			col := outputColumn(out, id.Name)
			if col == nil {
				rng := id.Range
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown column", Subject: &rng,
					Detail: "View " + a.View + " has no column \"" + id.Name + "\"." + diag.DidYouMean(id.Name, names) + " Its columns: " + strings.Join(names, ", ") + "."})
				continue
			}
			if a.Kind == "fresh" && !col.Type.IsTemporal() {
				rng := id.Range
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Type mismatch", Subject: &rng,
					Detail: "Freshness reads the latest date of a column, but " + id.Name + " of view " + a.View + " is a " + col.Type.String() + ". Name a date or timestamp column."})
			}
		}
	}
	return diags
}
