package views

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/sqltree"
)

// DataCheck is a rule about the data that the language cannot enforce when
// compiling: the build runs its query after creating the views and fails,
// leaving the warehouse as it was, when the query counts any violation.
type DataCheck struct {
	Name string
	// Query returns one row: violations (a count) and example (text
	// naming one violation, or NULL).
	Query *sqltree.Select
	// Summary and Detail make the diagnostic; Detail has a %d for the
	// count and a %s for the example.
	Summary, Detail string
	Range           hcl.Range // the declaration that asked for the check
}

// Diagnostic is the failed check's diagnostic, with the count and example
// the build found.
func (ch *DataCheck) Diagnostic(violations int64, example string) *hcl.Diagnostic {
	rng := ch.Range
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: ch.Summary, Detail: fmt.Sprintf(ch.Detail, violations, example), Subject: &rng}
}

// planOverlapCheck checks that no two intervals of one entity overlap, for
// a balance metric that says allow_overlap = false: an interval overlaps
// when it starts before the latest end among the entity's earlier ones.
func (p *planner) planOverlapCheck(m *check.Metric) *DataCheck {
	d := m.Decl
	key := col(check.RowAlias, m.Rel.EntityKey)
	start := col(check.RowAlias, d.Valid.Start.Name)
	end := openEnd(col(check.RowAlias, d.Valid.End.Name), m.Rel.Decl.Column(d.Valid.End.Name))
	rows := &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: key, Alias: keyCol},
			{X: start, Alias: "start"},
			{X: sqltree.Window{
				Call:        sqltree.Call{Name: "MAX", Args: []sqltree.Expr{end}},
				PartitionBy: []sqltree.Expr{key},
				OrderBy:     []sqltree.OrderItem{{X: start}, {X: end}},
				Unbounded:   true, RowsUntil: 1,
			}, Alias: "previous_end"},
		},
		From: sqltree.Table{Path: m.Rel.Path, Alias: check.RowAlias},
	}
	if m.Where != nil {
		rows.Where = p.bind(m.Where, binding{})
	}
	example := sqltree.Call{Name: "MIN", Args: []sqltree.Expr{sqltree.Binary{Op: "||",
		Left:  sqltree.Cast{X: col("v", keyCol), Type: sqltree.String},
		Right: sqltree.Binary{Op: "||", Left: sqltree.Str(" from "), Right: sqltree.Cast{X: col("v", "start"), Type: sqltree.String}}}}}
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: sqltree.Call{Name: "COUNT", Star: true}, Alias: "violations"},
			{X: example, Alias: "example"},
		},
		From:  sqltree.Derived{Query: rows, Alias: "v"},
		Where: sqltree.Binary{Op: ">", Left: col("v", "previous_end"), Right: col("v", "start")},
	}
	rng := d.AllowOverlapRange
	return &DataCheck{
		Name:    d.Name + " intervals do not overlap",
		Query:   q,
		Summary: "Overlapping intervals",
		Detail: "Metric \"" + d.Name + "\" says allow_overlap = false, but %d rows of " + m.Rel.Ref() + " start before an earlier interval of the same " +
			m.Entity.Decl.Name + " ends (for example " + m.Entity.Decl.Name + " %s). Fix the data, or allow overlaps and let their amounts add up.",
		Range: rng,
	}
}

// planChecks plans the data checks the project's declarations ask for.
func (p *planner) planChecks() []*DataCheck {
	var checks []*DataCheck
	for _, m := range p.m.Metrics {
		if !m.Decl.AllowOverlap {
			checks = append(checks, p.planOverlapCheck(m))
		}
	}
	return checks
}
