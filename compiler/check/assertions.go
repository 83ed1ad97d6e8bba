package check

import (
	"fmt"
	"strings"
	"time"

	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// Assertion is a checked assert block: a rule about the rows of a source,
// a model or a view, which the planner turns into a query of the rows
// that break it.
type Assertion struct {
	Decl *models.Assertion
	// Kind is what it checks: unique, not_null, accepted_values,
	// references, rows, fresh or condition.
	Kind string
	// Rel is the source or model checked; nil for a view, named by View.
	Rel  *Relation
	View string
	// Columns are the columns checked: unique's and not_null's, or the one
	// of accepted_values, references and fresh.
	Columns []string
	// Shown are the columns an example of a failing row shows: the
	// relation's primary key, then the columns checked.
	Shown []string
	// Refers and RefersColumn are what a references assertion points at.
	Refers       *Relation
	RefersColumn string
	// Condition is a condition assertion's rule, over RowAlias.
	Condition sqltree.Expr
}

// ColumnIdents are the columns the assertion checks, as written: unique's
// and not_null's lists, or the one column of accepted_values, references
// and fresh.
func (a *Assertion) ColumnIdents() []models.Ident {
	switch a.Kind {
	case "unique":
		return a.Decl.Unique
	case "not_null":
		return a.Decl.NotNull
	case "accepted_values", "references", "fresh":
		return []models.Ident{a.Decl.Column}
	}
	return nil
}

// AssertionKind is what an assert block checks.
func AssertionKind(x *models.Assertion) string {
	switch {
	case x.Unique != nil:
		return "unique"
	case x.NotNull != nil:
		return "not_null"
	case x.AcceptedValues != nil:
		return "accepted_values"
	case !x.References.IsZero():
		return "references"
	case x.MinRows != nil || x.MaxRows != nil:
		return "rows"
	case x.FreshWithin != nil:
		return "fresh"
	case x.Condition != nil:
		return "condition"
	}
	return ""
}

// checkAssertions resolves every assert block. The columns of a view are
// known once it is planned: compiler.CheckAssertionViews checks them.
func (c *checker) checkAssertions() {
	var names []declared
	for _, x := range c.project.Assertions {
		names = append(names, declared{x.Name, x.DeclRange})
	}
	dup := c.checkUnique("assertion", names)
	for _, x := range c.project.Assertions {
		if dup[x.DeclRange] {
			continue
		}
		if a := c.assertion(x); a != nil {
			c.model.Assertions = append(c.model.Assertions, a)
		}
	}
}

func (c *checker) assertion(x *models.Assertion) *Assertion {
	before := len(c.diags)
	a := &Assertion{Decl: x, Kind: AssertionKind(x), View: x.View}
	if a.Kind == "" {
		return nil // reported when decoded
	}
	switch {
	case !x.On.IsZero():
		if a.Rel = c.relation(x.On); a.Rel == nil {
			return nil
		}
	case x.View != "":
		var names []string
		found := false
		for _, v := range c.model.views() {
			names = append(names, v.name)
			found = found || v.name == x.View
		}
		if !found {
			c.errorf(x.ViewRange, "Unknown view", "The project builds no view named %q.%s", x.View, diag.DidYouMean(x.View, names))
			return nil
		}
		if a.Kind == "condition" {
			c.errorf(x.KindRange, "Condition on a view",
				"A condition reads the columns of a source or model's rows; write it on the source or model the view reads (on = source.x).")
			return nil
		}
	default:
		return nil // reported when decoded
	}
	for _, v := range x.AcceptedValues {
		if v.Kind == models.LiteralNull {
			c.errorf(v.Range, "Null in accepted_values",
				"NULL is never equal to a value, so listing it would let every row pass. NULLs already pass accepted_values; check them with not_null.")
		}
	}
	idents := a.ColumnIdents()
	for _, id := range idents {
		a.Columns = append(a.Columns, id.Name)
	}
	if a.Rel != nil {
		s := a.Rel.Decl
		for _, id := range idents {
			if id.Name == "" {
				continue // reported when decoded
			}
			col := c.requireColumn(s, id, "assertion "+quote(x.Name))
			if col == nil {
				continue
			}
			switch a.Kind {
			case "accepted_values":
				for _, v := range x.AcceptedValues {
					c.requireLiteral(v, col.Type, fmt.Sprintf("A value of column %q of %s %q", col.Name, s.Kind, s.Name))
				}
			case "fresh":
				if !col.Type.IsTemporal() {
					c.errorf(id.Range, "Type mismatch", "Freshness reads the latest date of a column, but %q of %s %q is a %s. Name a date or timestamp column.", col.Name, s.Kind, s.Name, col.Type)
				}
			}
		}
		if pk := s.PrimaryKey.Name; pk != "" {
			a.Shown = append(a.Shown, pk)
		}
		if a.Kind == "condition" {
			rule := (&scope{c: c, rel: a.Rel}).translate(x.Condition)
			c.requireBoolean(rule, "The condition of assertion "+quote(x.Name))
			a.Condition = rule.sql
		}
	}
	for _, col := range a.Columns {
		if !contains(a.Shown, col) {
			a.Shown = append(a.Shown, col)
		}
	}
	if a.Kind == "references" {
		if a.Refers = c.relation(x.References); a.Refers != nil {
			a.RefersColumn = x.ToColumn.Name
			if a.RefersColumn == "" {
				a.RefersColumn = a.Refers.Decl.PrimaryKey.Name
			}
			if a.RefersColumn == "" {
				c.errorf(x.References.Range, "References without a key",
					"%s declares no primary_key for the values of %q to be; name the column they refer to: to_column = <column>.", a.Refers.Ref(), x.Column.Name)
			} else if x.ToColumn.Name != "" {
				c.requireColumn(a.Refers.Decl, x.ToColumn, "to_column of assertion "+quote(x.Name))
			}
		}
	}
	if len(c.diags) > before {
		return nil
	}
	return a
}

// requireLiteral reports a literal that a column of type t cannot hold.
func (c *checker) requireLiteral(l models.Literal, t models.Type, what string) {
	if ok, example := LiteralFits(l, t); !ok {
		c.errorf(l.Range, "Type mismatch", "%s is %s; write a value such as %s.", what, t.WithArticle(), example)
	}
}

// LiteralFits reports whether a value written in HCL (in a test or an
// assertion) can be a value of type t: a string for a string, digits for
// an integer, a number for a number, true or false for a boolean, a date
// "2025-06-30" for a date, and a day with or without a time for a
// timestamp. NULL fits every type. example is a value that would.
func LiteralFits(l models.Literal, t models.Type) (ok bool, example string) {
	switch t {
	case models.TypeString:
		return l.Kind != models.LiteralNumber && l.Kind != models.LiteralBool, `"c1"`
	case models.TypeInteger:
		return l.Kind == models.LiteralNull || l.Kind == models.LiteralNumber && !strings.ContainsAny(l.Text, ".eE"), "12"
	case models.TypeNumber:
		return l.Kind == models.LiteralNull || l.Kind == models.LiteralNumber, "12.5"
	case models.TypeBoolean:
		return l.Kind == models.LiteralNull || l.Kind == models.LiteralBool, "true"
	case models.TypeDate:
		_, err := time.Parse(time.DateOnly, l.Text)
		return l.Kind == models.LiteralNull || l.Kind == models.LiteralString && err == nil, `"2025-06-30"`
	case models.TypeTimestamp:
		_, err := ParseLiteralTimestamp(l.Text)
		return l.Kind == models.LiteralNull || l.Kind == models.LiteralString && err == nil, `"2025-06-30 14:00:00"`
	}
	return true, ""
}

// ParseLiteralTimestamp reads a timestamp written in a test or an
// assertion: a day, or a day and a time to the second or finer, with a
// space or a T between.
func ParseLiteralTimestamp(s string) (time.Time, error) {
	for _, layout := range []string{time.DateOnly, "2006-01-02 15:04:05.999999", "2006-01-02T15:04:05.999999"} {
		if v, err := time.Parse(layout, s); err == nil {
			return v, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a timestamp", s)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
