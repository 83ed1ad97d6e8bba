package views

import (
	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// AssertionQuery is an assertion as SQL. Failing selects the rows that
// break it (the columns an example shows), to count and to sample; for
// row bounds and freshness, Value selects the one number or date that is
// compared with the bounds instead.
type AssertionQuery struct {
	Assertion *check.Assertion
	Failing   *sqltree.Select
	Value     *sqltree.Select
}

// copiesCol counts, for unique, the rows that share a row's values.
const copiesCol = "strata_copies"

// planAssertions plans every assertion's query.
func (p *planner) planAssertions() []*AssertionQuery {
	var out []*AssertionQuery
	for _, a := range p.m.Assertions {
		out = append(out, p.planAssertion(a))
	}
	return out
}

func (p *planner) planAssertion(a *check.Assertion) *AssertionQuery {
	path := []string{p.m.Project.Schema, a.View}
	if a.Rel != nil {
		path = a.Rel.Path
	}
	from := sqltree.Table{Path: path, Alias: check.RowAlias}
	row := func(name string) sqltree.Expr { return col(check.RowAlias, name) }
	shown := func() []sqltree.SelectItem {
		if len(a.Shown) == 0 {
			return []sqltree.SelectItem{{X: sqltree.Star{Table: check.RowAlias}}}
		}
		var items []sqltree.SelectItem
		for _, c := range a.Shown {
			items = append(items, sqltree.SelectItem{X: row(c), Alias: c})
		}
		return items
	}
	q := &AssertionQuery{Assertion: a}
	failing := &sqltree.Select{Columns: shown(), From: from}
	switch a.Kind {
	case "unique":
		// Each row with how many rows share its values; NULLs are not
		// values (not_null checks them).
		var partition, where []sqltree.Expr
		for _, c := range a.Columns {
			partition = append(partition, row(c))
			where = append(where, sqltree.IsNull{X: row(c), Negate: true})
		}
		failing.Columns = append(failing.Columns, sqltree.SelectItem{
			X: sqltree.Window{Call: sqltree.Call{Name: "COUNT", Star: true}, PartitionBy: partition}, Alias: copiesCol})
		failing.Where = andAll(where)
		outer := &sqltree.Select{From: sqltree.Derived{Query: failing, Alias: "d"},
			Where: sqltree.Binary{Op: ">", Left: col("d", copiesCol), Right: sqltree.Num("1")}}
		for _, c := range a.Shown {
			outer.Columns = append(outer.Columns, sqltree.SelectItem{X: col("d", c), Alias: c})
		}
		failing = outer
	case "not_null":
		var nulls sqltree.Expr
		for _, c := range a.Columns {
			nulls = or(nulls, sqltree.IsNull{X: row(c)})
		}
		failing.Where = nulls
	case "accepted_values":
		x := row(a.Columns[0])
		var values []sqltree.Expr
		for _, v := range a.Decl.AcceptedValues {
			values = append(values, literalValue(v, columnType(a)))
		}
		failing.Where = and(sqltree.IsNull{X: x, Negate: true}, sqltree.In{X: x, List: values, Negate: true})
	case "references":
		x := row(a.Columns[0])
		match := &sqltree.Select{
			Columns: []sqltree.SelectItem{{X: sqltree.Num("1")}},
			From:    sqltree.Table{Path: a.Refers.Path, Alias: "r"},
			Where:   eq(col("r", a.RefersColumn), x),
		}
		failing.Where = and(sqltree.IsNull{X: x, Negate: true}, sqltree.Unary{Op: "NOT", X: sqltree.Exists{Query: match}})
	case "condition":
		rule := p.bind(a.Condition, binding{})
		failing.Where = sqltree.Unary{Op: "NOT", X: sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{rule, sqltree.Bool(false)}}}
	case "rows":
		q.Value, failing = &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "COUNT", Star: true}, Alias: "value"}}, From: from}, nil
	case "fresh":
		q.Value, failing = &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "MAX", Args: []sqltree.Expr{row(a.Columns[0])}}, Alias: "value"}}, From: from}, nil
	}
	q.Failing = failing
	return q
}

// columnType is the type of the one column an assertion checks, when it
// is a source's or model's (a view's values are written as they are).
func columnType(a *check.Assertion) models.Type {
	if a.Rel != nil {
		if c := a.Rel.Decl.Column(a.Columns[0]); c != nil {
			return c.Type
		}
	}
	return models.TypeUnknown
}

// literalValue is a value written in HCL as SQL of the column's type: a
// date or timestamp's string cast to it.
func literalValue(l models.Literal, t models.Type) sqltree.Expr {
	if l.Kind == models.LiteralString && t.IsTemporal() {
		return castTo(LiteralSQL(l), t)
	}
	return LiteralSQL(l)
}

// LiteralSQL is a value written in HCL (in a test or an assertion) as a
// SQL literal: a string, a number as written, TRUE or FALSE, or NULL.
func LiteralSQL(l models.Literal) sqltree.Expr {
	switch l.Kind {
	case models.LiteralString:
		return sqltree.Str(l.Text)
	case models.LiteralNumber:
		return sqltree.Num(l.Text)
	case models.LiteralBool:
		return sqltree.Bool(l.Text == "true")
	}
	return sqltree.Null()
}

// or is a OR b, or the one given when the other is nil.
func or(a, b sqltree.Expr) sqltree.Expr {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return sqltree.Binary{Op: "OR", Left: a, Right: b}
}
