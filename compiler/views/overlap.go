package views

import (
	"strconv"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// planOverlap plans <entity>_segment_overlap, as of as_of: for every
// pair of the entity's segments, a declared before b, how many entities
// are in a, in b, in both, in a only and in b only, and the Jaccard index
// (both over either). A tiered segment is one group, its members those in
// any tier: its tiers never overlap. It reads the profile's segment
// columns. The pairs grow with the square of the segments, which is why
// the view is asked for (overlap = true on the entity) rather than always
// made.
func (p *planner) planOverlap(ent *check.Entity) *Output {
	name := check.OverlapView(ent)
	out := &Output{Name: name, Kind: KindOverlap, DeclRange: ent.Decl.OverlapRange,
		Description: "Every pair of " + ent.Decl.Name + " segments as of as_of: members of each, of both, of one only, and the Jaccard index."}
	profile := check.ProfileView(ent)
	key := ent.Key.Name
	const (
		positionCol = "position"
		membersCol  = "members"
		bothCol     = "in_both"
	)
	// Every segment with its position; each member of each, from one
	// scan of the profile (a union of one query per segment would read
	// the profile view, and compute it, once per segment).
	var segments *sqltree.Select
	var member sqltree.Expr
	for i, sg := range ent.Segments {
		position := sqltree.Num(strconv.Itoa(i))
		row := &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Str(sg.Decl.Name), Alias: segmentCol}, {X: position, Alias: positionCol}}}
		if i == 0 {
			segments = row
			segments.UnionAll = true // rows differ by position
		} else {
			segments.Union = append(segments.Union, row)
		}
		var in sqltree.Expr = col("p", sg.Decl.Name)
		if sg.Type == models.TypeString {
			in = sqltree.IsNull{X: in, Negate: true}
		}
		this := and(eq(col("s", positionCol), position), in)
		if member == nil {
			member = this
		} else {
			member = sqltree.Binary{Op: "OR", Left: member, Right: this}
		}
	}
	members := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: col("s", segmentCol), Alias: segmentCol}, {X: col("s", positionCol), Alias: positionCol}, {X: col("p", key), Alias: keyCol}},
		From:    sqltree.Table{Path: p.viewName(profile), Alias: "p"},
		Joins:   []sqltree.Join{{Kind: "CROSS JOIN", Right: sqltree.Table{Path: []string{"strata_segments"}, Alias: "s"}}},
		Where:   member,
	}
	const segmentsCTE, membersCTE, sizesCTE, bothCTE = "strata_segments", "strata_members", "strata_sizes", "strata_both"
	sizes := &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: col("s", segmentCol), Alias: segmentCol},
			{X: col("s", positionCol), Alias: positionCol},
			{X: sqltree.Call{Name: "COUNT", Args: []sqltree.Expr{col("m", keyCol)}}, Alias: membersCol},
		},
		From:    sqltree.Table{Path: []string{segmentsCTE}, Alias: "s"},
		Joins:   []sqltree.Join{{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{membersCTE}, Alias: "m"}, On: eq(col("m", positionCol), col("s", positionCol))}},
		GroupBy: []sqltree.Expr{col("s", segmentCol), col("s", positionCol)},
	}
	both := &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: col("x", positionCol), Alias: "position_a"},
			{X: col("y", positionCol), Alias: "position_b"},
			{X: sqltree.Call{Name: "COUNT", Star: true}, Alias: bothCol},
		},
		From: sqltree.Table{Path: []string{membersCTE}, Alias: "x"},
		Joins: []sqltree.Join{{Kind: "JOIN", Right: sqltree.Table{Path: []string{membersCTE}, Alias: "y"},
			On: and(eq(col("x", keyCol), col("y", keyCol)), sqltree.Binary{Op: "<", Left: col("x", positionCol), Right: col("y", positionCol)})}},
		GroupBy: []sqltree.Expr{col("x", positionCol), col("y", positionCol)},
	}
	integer := func(x sqltree.Expr) sqltree.Expr { return castTo(x, models.TypeInteger) }
	inBoth := integer(sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{col("n", bothCol), sqltree.Num("0")}})
	membersA, membersB := integer(col("a", membersCol)), integer(col("b", membersCol))
	either := sqltree.Binary{Op: "-", Left: sqltree.Binary{Op: "+", Left: membersA, Right: membersB}, Right: inBoth}
	q := &sqltree.Select{
		With: []sqltree.CTE{{Name: segmentsCTE, Query: segments}, {Name: membersCTE, Query: members}, {Name: sizesCTE, Query: sizes}, {Name: bothCTE, Query: both}},
		Columns: []sqltree.SelectItem{
			{X: col("a", segmentCol), Alias: "segment_a"},
			{X: col("b", segmentCol), Alias: "segment_b"},
			{X: membersA, Alias: "members_a"},
			{X: membersB, Alias: "members_b"},
			{X: inBoth, Alias: bothCol},
			{X: sqltree.Binary{Op: "-", Left: membersA, Right: inBoth}, Alias: "only_a"},
			{X: sqltree.Binary{Op: "-", Left: membersB, Right: inBoth}, Alias: "only_b"},
			{X: sqltree.Binary{Op: "/", Left: sqltree.Cast{X: inBoth, Type: sqltree.Number},
				Right: sqltree.Call{Name: "NULLIF", Args: []sqltree.Expr{either, sqltree.Num("0")}}}, Alias: "jaccard"},
		},
		From: sqltree.Table{Path: []string{sizesCTE}, Alias: "a"},
		Joins: []sqltree.Join{
			{Kind: "JOIN", Right: sqltree.Table{Path: []string{sizesCTE}, Alias: "b"}, On: sqltree.Binary{Op: "<", Left: col("a", positionCol), Right: col("b", positionCol)}},
			{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{bothCTE}, Alias: "n"},
				On: and(eq(col("n", "position_a"), col("a", positionCol)), eq(col("n", "position_b"), col("b", positionCol)))},
		},
	}
	out.Columns = []OutputColumn{
		{Name: "segment_a", Type: models.TypeString, Description: "The segment declared first."},
		{Name: "segment_b", Type: models.TypeString, Description: "The segment declared after it."},
		{Name: "members_a", Type: models.TypeInteger, Description: "Members of segment_a."},
		{Name: "members_b", Type: models.TypeInteger, Description: "Members of segment_b."},
		{Name: bothCol, Type: models.TypeInteger, Description: "Members of both."},
		{Name: "only_a", Type: models.TypeInteger, Description: "Members of segment_a and not of segment_b."},
		{Name: "only_b", Type: models.TypeInteger, Description: "Members of segment_b and not of segment_a."},
		{Name: "jaccard", Type: models.TypeNumber, Description: "in_both over the members of either (members_a + members_b - in_both); NULL when neither has members."},
	}
	p.define(out, p.viewName(name), q, models.Choice{})
	out.DependsOn = []string{profile}
	return out
}
