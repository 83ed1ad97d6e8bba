package views

import (
	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// SnapshotTable is the table in the project's schema where `strata
// snapshot` records the members of every segment, day after day, for
// what the data cannot reconstruct later (an attribute overwritten in
// place, a definition that changed).
const SnapshotTable = "strata_segment_snapshots"

// SnapshotSegmentsTable has a row per day and segment recorded: the
// segment's fingerprint and how many members it had, so that an empty
// segment, which has no row in SnapshotTable, still shows its
// definition for the day.
const SnapshotSegmentsTable = "strata_segment_snapshot_days"

// SnapshotSegmentsColumns are SnapshotSegmentsTable's columns, in order.
var SnapshotSegmentsColumns = []OutputColumn{
	{Name: "as_of", Type: models.TypeDate, Description: "The day recorded."},
	{Name: "segment", Type: models.TypeString, Description: "The segment's name."},
	{Name: "fingerprint", Type: models.TypeString, Description: "The fingerprint of the segment's definition that day."},
	{Name: "members", Type: models.TypeInteger, Description: "How many members it had."},
}

// SnapshotColumns are the snapshot table's columns, in order.
var SnapshotColumns = []OutputColumn{
	{Name: "as_of", Type: models.TypeDate, Description: "The day the members were recorded for."},
	{Name: "segment", Type: models.TypeString, Description: "The segment's name."},
	{Name: "tier", Type: models.TypeString, Description: "The member's tier; NULL for a segment without tiers."},
	{Name: "member_key", Type: models.TypeString, Description: "The member's key, as a string."},
	{Name: "fingerprint", Type: models.TypeString, Description: "The fingerprint of the segment's definition: a new one marks a change of definition."},
}

// PlanSnapshot plans the statements that record the members of every
// segment as of the plan's as_of in SnapshotTable, and each segment's
// fingerprint and size in SnapshotSegmentsTable: the tables if they are
// missing, then their rows of an earlier run for that day deleted (a
// second run on one day replaces the first), then each segment's members
// inserted, computed by the segment view's own query rather than read
// from the view, so that the members are those of the as_of recorded
// whatever as_of the views were built for. Earlier days are never
// touched. fingerprint gives each segment's fingerprint.
func PlanSnapshot(plan *Plan, fingerprint func(*check.Segment) string) []sqltree.Statement {
	p := &planner{m: plan.Model}
	asOf := p.date(check.AsOf{Range: plan.Project.DeclRange}, binding{})
	var stmts []sqltree.Statement
	// Each table is created if it is missing and loses its rows of as_of.
	tables := snapshotTables(plan.Project.Schema)
	for _, t := range tables {
		stmts = append(stmts, t, &sqltree.Delete{Table: t.Name, Where: eq(sqltree.Column{Name: "as_of"}, asOf)})
	}
	table, names := tables[0].Name, columnNamesOf(SnapshotColumns)
	days, dayNames := tables[1].Name, columnNamesOf(SnapshotSegmentsColumns)
	outputs := map[string]*Output{}
	for _, o := range plan.Outputs {
		outputs[o.Name] = o
	}
	for _, ent := range plan.Model.Entities {
		for _, sg := range ent.Segments {
			out := outputs[check.SegmentView(sg)]
			var tier sqltree.Expr = sqltree.Cast{X: sqltree.Keyword{Word: "NULL"}, Type: sqltree.String}
			if sg.Type == models.TypeString {
				tier = col("m", "tier")
			}
			stmts = append(stmts, &sqltree.Insert{Table: table, Columns: names, Query: &sqltree.Select{
				Columns: []sqltree.SelectItem{
					{X: asOf, Alias: "as_of"},
					{X: sqltree.Str(sg.Decl.Name), Alias: "segment"},
					{X: tier, Alias: "tier"},
					{X: sqltree.Cast{X: col("m", ent.Key.Name), Type: sqltree.String}, Alias: "member_key"},
					{X: sqltree.Str(fingerprint(sg)), Alias: "fingerprint"},
				},
				From: membersOf(out),
			}})
			stmts = append(stmts, &sqltree.Insert{Table: days, Columns: dayNames, Query: &sqltree.Select{
				Columns: []sqltree.SelectItem{
					{X: asOf, Alias: "as_of"},
					{X: sqltree.Str(sg.Decl.Name), Alias: "segment"},
					{X: sqltree.Str(fingerprint(sg)), Alias: "fingerprint"},
					{X: sqltree.Call{Name: "COUNT", Star: true}, Alias: "members"},
				},
				From:  sqltree.Table{Path: table},
				Where: and(eq(sqltree.Column{Name: "as_of"}, asOf), eq(sqltree.Column{Name: "segment"}, sqltree.Str(sg.Decl.Name))),
			}})
		}
	}
	return stmts
}

// snapshotTables are the statements that create SnapshotTable and
// SnapshotSegmentsTable in schema if they are missing, in that order.
func snapshotTables(schema string) []*sqltree.CreateTable {
	var out []*sqltree.CreateTable
	for _, t := range []struct {
		name    string
		columns []OutputColumn
	}{{SnapshotTable, SnapshotColumns}, {SnapshotSegmentsTable, SnapshotSegmentsColumns}} {
		create := &sqltree.CreateTable{Name: []string{schema, t.name}, IfNotExists: true}
		for _, c := range t.columns {
			create.Columns = append(create.Columns, sqltree.ColumnDef{Name: c.Name, Type: SQLType(c.Type)})
		}
		out = append(out, create)
	}
	return out
}

func columnNamesOf(columns []OutputColumn) []string {
	names := make([]string, len(columns))
	for i, c := range columns {
		names[i] = c.Name
	}
	return names
}

// membersOf is a segment view's query as a derived table m, or the view
// itself where its query is not a plain SELECT.
func membersOf(out *Output) sqltree.From {
	if q, ok := out.View.Query.(*sqltree.Select); ok {
		return sqltree.Derived{Query: q, Alias: "m"}
	}
	return sqltree.Table{Path: out.View.Name, Alias: "m"}
}

// snapshotDays is the table of recorded days, the plan's as_of, and the
// last day recorded for the segment of row d that is op than (such as
// "<=" as_of), as a subquery.
func snapshotDays(plan *Plan) (days []string, asOf sqltree.Expr, lastDay func(op string, than sqltree.Expr) sqltree.Expr) {
	p := &planner{m: plan.Model}
	asOf = p.date(check.AsOf{Range: plan.Project.DeclRange}, binding{})
	days = []string{plan.Project.Schema, SnapshotSegmentsTable}
	lastDay = func(op string, than sqltree.Expr) sqltree.Expr {
		return sqltree.Subquery{Query: &sqltree.Select{
			Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "MAX", Args: []sqltree.Expr{col("x", "as_of")}}}},
			From:    sqltree.Table{Path: days, Alias: "x"},
			Where:   and(eq(col("x", "segment"), col("d", "segment")), sqltree.Binary{Op: op, Left: col("x", "as_of"), Right: than}),
		}}
	}
	return days, asOf, lastDay
}

// LastSnapshotsQuery lists each segment's last day recorded up to as_of
// (segment, as_of, fingerprint).
func LastSnapshotsQuery(plan *Plan) *sqltree.Select {
	days, asOf, lastDay := snapshotDays(plan)
	return &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: col("d", "segment"), Alias: "segment"}, {X: col("d", "as_of"), Alias: "as_of"}, {X: col("d", "fingerprint"), Alias: "fingerprint"}},
		From:    sqltree.Table{Path: days, Alias: "d"},
		Where:   eq(col("d", "as_of"), lastDay("<=", asOf)),
		OrderBy: []sqltree.OrderItem{{X: col("d", "segment")}},
	}
}

// SnapshotChangesQuery is, for each segment recorded on the plan's as_of
// whose fingerprint differs from the one of the last day recorded before,
// the segment (column segment) and that day (column since): the
// definitions that changed since the last snapshot.
func SnapshotChangesQuery(plan *Plan) *sqltree.Select {
	days, asOf, lastDay := snapshotDays(plan)
	return &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: col("d", "segment"), Alias: "segment"}, {X: col("b", "as_of"), Alias: "since"}},
		From:    sqltree.Table{Path: days, Alias: "d"},
		Joins: []sqltree.Join{{Kind: "JOIN", Right: sqltree.Table{Path: days, Alias: "b"},
			On: and(eq(col("b", "segment"), col("d", "segment")), eq(col("b", "as_of"), lastDay("<", col("d", "as_of"))))}},
		Where:   and(eq(col("d", "as_of"), asOf), sqltree.Binary{Op: "<>", Left: col("b", "fingerprint"), Right: col("d", "fingerprint")}),
		OrderBy: []sqltree.OrderItem{{X: col("d", "segment")}},
	}
}
