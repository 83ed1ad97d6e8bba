package compiler

import (
	"github.com/strata-analytics/strata/compiler/views"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/sqltree"
)

// Kinds of SourceMeasure (views.PlanSourceReports).
const (
	MeasureWithoutKey   = views.MeasureWithoutKey
	MeasureDuplicateKey = views.MeasureDuplicateKey
	MeasureAfterAsOf    = views.MeasureAfterAsOf
	MeasureEmpty        = views.MeasureEmpty
)

// SourceMeasure is one count of a source's report.
type SourceMeasure = views.SourceMeasure

// RenderedSourceReport is one source's report with its SQL: one row, its
// row count, then a count per measure.
type RenderedSourceReport struct {
	Source string
	Table  []string
	// EntityOf names the entity declared from the source's table; "" when
	// none is.
	EntityOf string
	Measures []SourceMeasure
	SQL      string
}

// RenderSourceReports renders the report of every source that reads a
// table, for dialect d; every counts the repeats of every primary key,
// not only of the tables entities are declared from
// (views.PlanSourceReports).
func RenderSourceReports(plan *Plan, d dialects.Dialect, every bool) ([]RenderedSourceReport, error) {
	var out []RenderedSourceReport
	for _, r := range views.PlanSourceReports(plan, every) {
		sql, err := sqltree.RenderQuery(r.Query, d)
		if err != nil {
			return nil, err
		}
		rendered := RenderedSourceReport{Source: r.Relation.Decl.Name, Table: r.Relation.Path, Measures: r.Measures, SQL: sql}
		if r.EntityOf != nil {
			rendered.EntityOf = r.EntityOf.Decl.Name
		}
		out = append(out, rendered)
	}
	return out, nil
}
