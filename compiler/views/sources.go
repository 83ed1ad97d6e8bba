package views

import (
	"strconv"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// What the data of each source does that changes the numbers without an
// error: rows that belong to no entity, keys that repeat, rows dated
// after as_of, empty cells. Build and `strata sources` count them, so that
// 277 purchases without a customer or a duplicated customer id are seen
// instead of passing silently.

// Kinds of SourceMeasure.
const (
	MeasureWithoutKey   = "without_key"   // rows whose entity key is NULL
	MeasureDuplicateKey = "duplicate_key" // rows whose key another row has
	MeasureAfterAsOf    = "after_as_of"   // rows dated after as_of
	MeasureEmpty        = "empty"         // rows where a column is NULL
)

// SourceReport is the query that counts one source's rows and quirks.
type SourceReport struct {
	Relation *check.Relation
	// EntityOf is the entity declared from the source's table, or nil:
	// its rows are the profile's rows, not rows that belong to one.
	EntityOf *check.Entity
	// Query returns one row: the rows, then one count per Measure.
	Query    *sqltree.Select
	Measures []SourceMeasure
}

// SourceMeasure is one count of a SourceReport, and the column it is of.
type SourceMeasure struct {
	Kind   string
	Column string
}

// PlanSourceReports plans a report for every source that reads a table,
// in declaration order. A source's duplicate key is its primary key, or,
// for the table an entity is declared from (without versions, whose keys
// repeat by design), the entity's key. Without every, repeated keys are
// counted only in the tables entities are declared from, where a repeat
// doubles a profile row: counting distinct keys of a table of events is
// most of the report's cost (9 of 12 s at 38M events), and build, which
// reports with its summary, must stay cheap.
func PlanSourceReports(plan *Plan, every bool) []*SourceReport {
	p := &planner{m: plan.Model}
	baseOf := map[*check.Relation]*check.Entity{}
	for _, ent := range plan.Model.Entities {
		if ent.Rel != nil {
			baseOf[ent.Rel] = ent
		}
	}
	var out []*SourceReport
	for _, rel := range plan.Model.Relations {
		if rel.Decl.Kind != models.KindSource {
			continue
		}
		const alias = "s"
		r := &SourceReport{Relation: rel, EntityOf: baseOf[rel], Query: &sqltree.Select{From: sqltree.Table{Path: rel.Stored, Alias: alias}}}
		count := sqltree.Call{Name: "COUNT", Star: true}
		add := func(m SourceMeasure, x sqltree.Expr) {
			r.Measures = append(r.Measures, m)
			r.Query.Columns = append(r.Query.Columns, sqltree.SelectItem{X: x, Alias: "measure_" + strconv.Itoa(len(r.Measures))})
		}
		r.Query.Columns = []sqltree.SelectItem{{X: count, Alias: "row_count"}}
		present := func(column string) sqltree.Expr {
			return sqltree.Call{Name: "COUNT", Args: []sqltree.Expr{col(alias, column)}}
		}
		missing := func(column string) sqltree.Expr { return sqltree.Binary{Op: "-", Left: count, Right: present(column)} }
		switch {
		case rel.Through != nil: // its rows name their parent's row
			add(SourceMeasure{MeasureWithoutKey, rel.Through.ForeignKey.Name}, missing(rel.Through.ForeignKey.Name))
		case rel.Entity != nil && rel.EntityKey != "":
			add(SourceMeasure{MeasureWithoutKey, rel.EntityKey}, missing(rel.EntityKey))
		}
		key := rel.Decl.PrimaryKey.Name
		if ent := baseOf[rel]; key == "" && ent != nil && rel.ValidFrom == nil {
			key = ent.Key.Name
		}
		if key != "" && (every || baseOf[rel] != nil) {
			add(SourceMeasure{MeasureDuplicateKey, key}, sqltree.Binary{Op: "-", Left: present(key),
				Right: sqltree.Call{Name: "COUNT", Distinct: true, Args: []sqltree.Expr{col(alias, key)}}})
		}
		if t := rel.Time; t != nil {
			after := sqltree.Binary{Op: ">=", Left: col(alias, t.Name), Right: asTypeOf(t, p.date(check.AsOf{Days: 1, Range: rel.Decl.DeclRange}, binding{}))}
			add(SourceMeasure{MeasureAfterAsOf, t.Name}, sqltree.Call{Name: "COUNT", Args: []sqltree.Expr{
				sqltree.Case{Whens: []sqltree.When{{Cond: after, Then: sqltree.Num("1")}}}}})
		}
		for _, c := range rel.Decl.Columns {
			add(SourceMeasure{MeasureEmpty, c.Name}, missing(c.Name))
		}
		out = append(out, r)
	}
	return out
}
