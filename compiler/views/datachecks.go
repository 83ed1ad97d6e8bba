package views

import (
	"fmt"
	"strconv"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
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
// a balance metric that says allow_overlap = false.
func (p *planner) planOverlapCheck(m *check.Metric) *DataCheck {
	d := m.Decl
	var where sqltree.Expr
	if m.Where != nil {
		where = p.bind(m.Where, binding{})
	}
	return &DataCheck{
		Name:    d.Name + " intervals do not overlap",
		Query:   overlapQuery(m.Rel, m.Rel.EntityKey, m.Rel.Decl.Column(d.Valid.Start.Name), m.Rel.Decl.Column(d.Valid.End.Name), where),
		Summary: "Overlapping intervals",
		Detail: "Metric \"" + d.Name + "\" says allow_overlap = false, but %d rows of " + m.Rel.Ref() + " start before an earlier interval of the same " +
			m.Entity.Decl.Name + " ends (for example " + m.Entity.Decl.Name + " %s). Fix the data, or allow overlaps and let their amounts add up.",
		Range: d.AllowOverlapRange,
	}
}

// planVersionsCheck checks that the versions of an entity do not overlap:
// two versions valid on one day would give it two profile rows that day.
func (p *planner) planVersionsCheck(ent *check.Entity) *DataCheck {
	rel := ent.Rel
	return &DataCheck{
		Name:    ent.Decl.Name + " versions do not overlap",
		Query:   overlapQuery(rel, ent.Key.Name, rel.ValidFrom, rel.ValidTo, nil),
		Summary: "Overlapping versions",
		Detail: "The rows of " + rel.Ref() + " are versions of " + ent.Decl.Name + " (valid), but %d of them start before an earlier version of the same " +
			ent.Decl.Name + " ends (for example " + ent.Decl.Name + " %s), so it would be counted twice on the days they share. Fix the versions' valid_to, or deduplicate them in a model.",
		Range: rel.Decl.Valid.Range,
	}
}

// overlapQuery counts the rows of rel that start before the latest end
// among the earlier rows of the same key, with one of them as an example
// ("<key> from <start>"). where, when set, keeps the rows it holds for.
func overlapQuery(rel *check.Relation, key string, start, end *models.Column, where sqltree.Expr) *sqltree.Select {
	keyCol := col(check.RowAlias, key)
	startCol := col(check.RowAlias, start.Name)
	endCol := openEnd(col(check.RowAlias, end.Name), end)
	rows := &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: keyCol, Alias: "key"},
			{X: startCol, Alias: "start"},
			{X: sqltree.Window{
				Call:        sqltree.Call{Name: "MAX", Args: []sqltree.Expr{endCol}},
				PartitionBy: []sqltree.Expr{keyCol},
				OrderBy:     []sqltree.OrderItem{{X: startCol}, {X: endCol}},
				Unbounded:   true, RowsUntil: 1,
			}, Alias: "previous_end"},
		},
		From:  sqltree.Table{Path: rel.Path, Alias: check.RowAlias},
		Where: where,
	}
	example := sqltree.Call{Name: "MIN", Args: []sqltree.Expr{sqltree.Binary{Op: "||",
		Left:  sqltree.Cast{X: col("v", "key"), Type: sqltree.String},
		Right: sqltree.Binary{Op: "||", Left: sqltree.Str(" from "), Right: sqltree.Cast{X: col("v", "start"), Type: sqltree.String}}}}}
	return &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: sqltree.Call{Name: "COUNT", Star: true}, Alias: "violations"},
			{X: example, Alias: "example"},
		},
		From:  sqltree.Derived{Query: rows, Alias: "v"},
		Where: sqltree.Binary{Op: ">", Left: col("v", "previous_end"), Right: col("v", "start")},
	}
}

// planChecks plans the data checks the project's declarations ask for.
func (p *planner) planChecks() []*DataCheck {
	var checks []*DataCheck
	for _, r := range p.m.Relations {
		if r.Through != nil {
			checks = append(checks, p.planFanOutCheck(r))
		}
	}
	for _, m := range p.m.Metrics {
		if !m.Decl.AllowOverlap {
			checks = append(checks, p.planOverlapCheck(m))
		}
	}
	for _, ent := range p.m.Entities {
		if ent.Rel.ValidFrom != nil && ent.Rel.ValidTo != nil {
			checks = append(checks, p.planVersionsCheck(ent))
		}
		for _, sg := range ent.Segments {
			checks = append(checks, p.planFloorChecks(sg)...)
		}
	}
	return checks
}

// planFloorChecks checks a segment's quality floors (min_size, expect) on
// its current period, the last row of segment_<name>_quality: a measure
// below its floor fails the build. A NULL measure (retained in the first
// period) is below no floor.
func (p *planner) planFloorChecks(sg *check.Segment) []*DataCheck {
	d := sg.Decl
	type floor struct {
		column, what string
		min          sqltree.Expr
		rng          hcl.Range
	}
	var floors []floor
	if d.MinSize > 0 {
		floors = append(floors, floor{"members", "min_size = " + strconv.Itoa(d.MinSize), sqltree.Num(strconv.Itoa(d.MinSize)), d.MinSizeRange})
	}
	for _, e := range d.Expect {
		n := strconv.FormatFloat(e.Min, 'f', -1, 64)
		floors = append(floors, floor{e.Measure, e.Measure + " = " + n, sqltree.Num(n), e.Range})
	}
	view := p.viewName(check.QualityView(sg))
	var checks []*DataCheck
	for _, f := range floors {
		current := &sqltree.Select{
			Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "MAX", Args: []sqltree.Expr{col("l", spinePeriod)}}}},
			From:    sqltree.Table{Path: view, Alias: "l"},
		}
		q := &sqltree.Select{
			Columns: []sqltree.SelectItem{
				{X: sqltree.Call{Name: "COUNT", Star: true}, Alias: "violations"},
				{X: sqltree.Call{Name: "MIN", Args: []sqltree.Expr{sqltree.Cast{X: col("q", f.column), Type: sqltree.String}}}, Alias: "example"},
			},
			From: sqltree.Table{Path: view, Alias: "q"},
			Where: and(eq(col("q", spinePeriod), sqltree.Subquery{Query: current}),
				sqltree.Binary{Op: "<", Left: col("q", f.column), Right: f.min}),
		}
		checks = append(checks, &DataCheck{
			Name:    d.Name + " " + f.what,
			Query:   q,
			Summary: "Segment below its floor",
			// %[2]s: the count is 1, the one current period.
			Detail: "Segment \"" + d.Name + "\" sets " + f.what + ", and in the current period " + f.column + " = %[2]s (see " + check.QualityView(sg) +
				"). Act on the segment, or lower the floor if it no longer fits.",
			Range: f.rng,
		})
	}
	return checks
}
