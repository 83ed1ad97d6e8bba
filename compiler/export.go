package compiler

import (
	"github.com/strata-analytics/strata/compiler/views"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/sqltree"
)

// RenderExport is the query `strata export` runs for a segment's view:
// its members as of plan's as_of, or, with before (the project planned for
// an earlier day), who entered and who exited since (views.ExportQuery),
// for dialect d with the views' schema moved to place.
func RenderExport(plan, before *Plan, view string, d dialects.Dialect, place []string) (string, error) {
	q, err := views.ExportQuery(plan, before, view)
	if err != nil {
		return "", err
	}
	return sqltree.RenderQueryAt(q, d, sqltree.Placement{From: plan.Project.Schema, To: place})
}
