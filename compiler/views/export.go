package views

import (
	"fmt"

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
	q, key, err := segmentQuery(now, view)
	if err != nil {
		return nil, err
	}
	if before == nil {
		return &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Star{}}}, From: sqltree.Derived{Query: q, Alias: "m"}}, nil
	}
	then, _, err := segmentQuery(before, view)
	if err != nil {
		return nil, err
	}
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

// segmentQuery is the query of a segment's view in plan, and the name of
// its entity's key.
func segmentQuery(plan *Plan, view string) (*sqltree.Select, string, error) {
	for _, o := range plan.Outputs {
		if o.Name != view || o.Kind != KindSegment {
			continue
		}
		if q, ok := o.View.Query.(*sqltree.Select); ok {
			return q, o.Columns[0].Name, nil // a segment view's first column is the key
		}
	}
	return nil, "", fmt.Errorf("%s is not a segment's view", view)
}
