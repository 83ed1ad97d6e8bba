package views

import (
	"fmt"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/sqltree"
)

// ExportQuery is the query `strata export` writes for segment view: its
// members as of now's as_of, or, with before (the same project planned
// for an earlier day), who entered since (members now, not then) and who
// exited (members then, not now), with a first column change. Each side
// is computed by the segment view's own query for its day, so nothing
// has to be recorded; an exited member shows the values of the day it
// was a member.
func ExportQuery(now, before *Plan, view string) (*sqltree.Select, error) {
	members := func(plan *Plan) (*sqltree.Select, *check.Segment, error) {
		for _, ent := range plan.Model.Entities {
			for _, sg := range ent.Segments {
				if check.SegmentView(sg) != view {
					continue
				}
				for _, o := range plan.Outputs {
					if q, ok := o.View.Query.(*sqltree.Select); ok && o.Name == view {
						return q, sg, nil
					}
				}
			}
		}
		return nil, nil, fmt.Errorf("%s is not a segment's view", view)
	}
	q, sg, err := members(now)
	if err != nil || before == nil {
		if q == nil {
			return nil, err
		}
		return &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Star{}}}, From: sqltree.Derived{Query: q, Alias: "m"}}, nil
	}
	then, _, err := members(before)
	if err != nil {
		return nil, err
	}
	key := sg.Entity.Key.Name
	// only is the members of one side that the other side lacks.
	only := func(change string, side, other *sqltree.Select) *sqltree.Select {
		return &sqltree.Select{
			Columns: []sqltree.SelectItem{{X: sqltree.Str(change), Alias: "change"}, {X: sqltree.Star{Table: "m"}}},
			From:    sqltree.Derived{Query: side, Alias: "m"},
			Where: sqltree.Unary{Op: "NOT", X: sqltree.Exists{Query: &sqltree.Select{
				Columns: []sqltree.SelectItem{{X: sqltree.Num("1")}},
				From:    sqltree.Derived{Query: other, Alias: "o"},
				Where:   eq(col("o", key), col("m", key)),
			}}},
		}
	}
	out := only("entered", q, then)
	out.Union, out.UnionAll = []*sqltree.Select{only("exited", then, q)}, true
	return out, nil
}
