package sqltree

import "strconv"

// Select is a SELECT query with optional common table expressions.
type Select struct {
	With     []CTE
	Distinct bool
	Columns  []SelectItem
	From     From
	Joins    []Join
	Where    Expr
	GroupBy  []Expr
	// Union appends further queries with UNION (duplicates removed); they
	// have no WITH, ORDER BY or LIMIT of their own.
	Union    []*Select
	UnionAll bool // keep duplicates (UNION ALL)
	OrderBy  []OrderItem
	Limit    int // 0 for none
}

// UnionAll is the selects one after the other, duplicates kept (rows
// that differ by construction: one per item written); nil for none.
func UnionAll(selects []*Select) *Select {
	if len(selects) == 0 {
		return nil
	}
	q := selects[0]
	q.UnionAll = true
	q.Union = append(q.Union, selects[1:]...)
	return q
}

// CTE is one named query of a WITH clause.
type CTE struct {
	Name  string
	Query *Select
}

// SelectItem is one output column; Alias may be empty.
type SelectItem struct {
	X     Expr
	Alias string
	// AlwaysAlias writes the alias even where it is the column's own
	// name (t.c AS c), for dialects that would name it otherwise.
	AlwaysAlias bool
}

// From is a relation in a FROM or JOIN clause.
type From interface{ formatFrom(p *printer) }

// Table is a schema-qualified table or view, or a CTE (a one-part path).
type Table struct {
	Path  []string
	Alias string
}

// Derived is a parenthesised query used as a relation.
type Derived struct {
	Query *Select
	Alias string
}

// Join is a join to another relation.
type Join struct {
	Kind  string // "LEFT JOIN", "JOIN", "CROSS JOIN"
	Right From
	On    Expr // nil for CROSS JOIN
}

// Raw is the body of a user's raw SQL model: literal text with relation
// references rendered per dialect.
type Raw struct {
	Parts []RawPart
}

// RawPart is literal SQL text or, when Table is set, a relation reference.
type RawPart struct {
	Text  string
	Table []string
}

// TableCall is a table-valued function written the same way everywhere
// it is used, such as DuckDB's read_csv(path, header = true).
type TableCall struct {
	Name  string
	Args  []Expr
	Alias string
}

// DateSeries is the rows of a series of dates, in one column: From,
// From + Step Units, ... up to Through, inclusive. From and Through are
// dates on the series' steps. The dialect's Series hook writes it: a
// set-returning function, an array unnested, or a fixed number of
// generated rows filtered (MaxRows bounds the series for those).
type DateSeries struct {
	From, Through Expr
	Step          int
	Unit          DateUnit
	MaxRows       int
	Alias, Column string
}

// DateUnit is the unit of a DateSeries' step.
type DateUnit string

const (
	Day   DateUnit = "day"
	Month DateUnit = "month"
	Year  DateUnit = "year"
)

// Interval is the step as an interval's text: "1 day", "3 months".
func (s DateSeries) Interval() string {
	unit := string(s.Unit)
	if s.Step != 1 {
		unit += "s"
	}
	return strconv.Itoa(s.Step) + " " + unit
}

// FunctionRows is a function's rows named with a column alias:
// generate_series(...) AS alias(column).
type FunctionRows struct {
	Call   Expr
	Alias  string
	Column string
}
