package sqltree

import "strings"

// Expr is a SQL value expression.
type Expr interface {
	format(p *printer)
	precedence() int
}

// Column is a column reference, optionally qualified by a relation alias.
type Column struct {
	Table string
	Name  string
}

// Star is `*` or `alias.*` in a select list.
type Star struct{ Table string }

// LitKind tells the literal kinds apart.
type LitKind int

const (
	LitString LitKind = iota
	LitNumber
	LitBool
	LitNull
)

// Literal is a constant. Value holds the text of a number ("12", "0.5"),
// the unquoted string, or "TRUE"/"FALSE".
type Literal struct {
	Kind  LitKind
	Value string
}

// Str, Num, Bool and Null build literals.
func Str(s string) Literal    { return Literal{Kind: LitString, Value: s} }
func Num(text string) Literal { return Literal{Kind: LitNumber, Value: text} }
func Bool(b bool) Literal {
	if b {
		return Literal{Kind: LitBool, Value: "TRUE"}
	}
	return Literal{Kind: LitBool, Value: "FALSE"}
}
func Null() Literal { return Literal{Kind: LitNull} }

// Binary is a binary operator: AND, OR, =, <>, <, <=, >, >=, +, -, *, /, %.
type Binary struct {
	Op          string
	Left, Right Expr
}

// Unary is NOT or unary minus.
type Unary struct {
	Op string // "NOT" or "-"
	X  Expr
}

// Call is a standard SQL function or aggregate written the same way in
// every dialect: SUM(x), COUNT(*), COUNT(DISTINCT x), COALESCE(a, b).
type Call struct {
	Name     string
	Args     []Expr
	Distinct bool
	Star     bool // COUNT(*)
}

// Portable is a function whose spelling differs per dialect; it is
// rendered from the dialect's template for Name.
type Portable struct {
	Name string
	Args []Expr
}

// Keyword is a bare SQL keyword value such as CURRENT_DATE.
type Keyword struct{ Word string }

// Case is a searched CASE expression.
type Case struct {
	Whens []When
	Else  Expr // nil for no ELSE
}

// When is one WHEN ... THEN ... arm.
type When struct {
	Cond, Then Expr
}

// Cast converts X to a type; Try gives NULL instead of an error for a
// value that does not convert (TRY_CAST).
type Cast struct {
	X    Expr
	Type Type
	Try  bool
}

// Collate is X COLLATE Name, Name as the dialect writes it.
type Collate struct {
	X    Expr
	Name string
}

// Grouped is X, in parentheses unless it is an atom, so that it binds
// like one.
type Grouped struct{ X Expr }

// Words are expressions written one after the other with spaces, for
// the clauses dialects add to a statement: COMMENT 'text', SET OPTIONS
// (...), INTERVAL 1 MONTH.
type Words []Expr

// NamedArg is a named argument of a function: name = value.
type NamedArg struct {
	Name  string
	Value Expr
}

// StructLit is a struct literal, {'key': value, ...}.
type StructLit struct{ Fields []StructField }

// StructField is one field of a StructLit.
type StructField struct {
	Key   string
	Value Expr
}

// IsNull is `X IS NULL` or, negated, `X IS NOT NULL`.
type IsNull struct {
	X      Expr
	Negate bool
}

// In is `X IN (list)` or `X NOT IN (list)`.
type In struct {
	X      Expr
	List   []Expr
	Negate bool
}

// Like is `X LIKE pattern`, a backslash escaping % and _ in the pattern;
// the dialect's Matches hook writes it.
type Like struct {
	X, Pattern Expr
}

// LikeBackslash is `X LIKE pattern` in a dialect where a backslash is
// the escape of LIKE already and there is no ESCAPE clause (BigQuery).
type LikeBackslash struct {
	X, Pattern Expr
}

// LikeEscape is `X LIKE pattern ESCAPE escape`.
type LikeEscape struct {
	X, Pattern Expr
	Escape     string
}

// Window is a window function call: Call OVER (PARTITION BY ... ORDER BY ...).
type Window struct {
	Call        Call
	PartitionBy []Expr
	OrderBy     []OrderItem
	// RowsPreceding, when above 0, limits the frame to a trailing window:
	// from RowsPreceding rows before the current one to RowsUntil rows
	// before it (0: the current row).
	RowsPreceding int
	RowsUntil     int
	// Unbounded starts the frame at the partition's first row (up to
	// RowsUntil rows before the current one).
	Unbounded bool
}

// OrderItem is one ORDER BY term; NULLs always sort last so that every
// dialect orders the same way.
type OrderItem struct {
	X    Expr
	Desc bool
}

// Binary orders strings by their bytes, whatever the database's default
// collation: `X COLLATE "C"` where the dialect needs saying so, X where
// byte order is the only order (DuckDB). Without it, "b" < "a" could hold
// on a PostgreSQL database created with a language's collation.
type BinaryOrder struct{ X Expr }

// InQuery is `X IN (query)`, the query returning one column.
type InQuery struct {
	X     Expr
	Query *Select
}

// Exists is `EXISTS (query)`: true when the query returns a row. The
// query may read the columns of the query it is in (a correlated
// subquery), which every dialect's warehouse runs as a semi-join, or with
// NOT as an anti-join.
type Exists struct{ Query *Select }

// Subquery is a parenthesised scalar query.
type Subquery struct{ Query *Select }

// Hole is a place in an expression that a later stage fills before the
// tree is printed. The compiler's checker leaves holes where the value
// depends on where the expression is planned (the evaluation date, a
// metric's total in a time series); the planners fill them. Value is
// the checker's, opaque to sqltree. A tree that still holds a hole does
// not print.
type Hole struct{ Value any }

// predicateFunctions are the portable functions whose value is a boolean.
var predicateFunctions = map[string]bool{"contains_text": true, "starts_with": true, "ends_with": true, "regex_match": true}

// IsPredicate reports whether x is a condition: a comparison, a logical
// operator, a test or a boolean literal.
func IsPredicate(x Expr) bool {
	switch x := x.(type) {
	case Binary:
		switch x.Op {
		case "AND", "OR", "=", "<>", "!=", "<", "<=", ">", ">=":
			return true
		}
	case Unary:
		return x.Op == "NOT"
	case Literal:
		return x.Kind == LitBool
	case IsNull, In, InQuery, Exists, Like, LikeBackslash, LikeEscape:
		return true
	case Portable:
		return predicateFunctions[x.Name]
	case Grouped:
		return IsPredicate(x.X)
	case Call:
		// COALESCE(a > b, FALSE): the value of a condition or a default.
		return strings.EqualFold(x.Name, "COALESCE") && len(x.Args) > 0 && IsPredicate(x.Args[0])
	case Case:
		return len(x.Whens) > 0 && IsPredicate(x.Whens[0].Then)
	}
	return false
}

// AtStartOfDay is a date as the timestamp at the start of its day: a date
// literal becomes a timestamp literal, anything else is cast. Engines
// convert a date compared with a timestamp themselves, except BigQuery,
// which refuses to compare a TIMESTAMP with a DATE.
func AtStartOfDay(date Expr) Expr {
	if c, ok := date.(Cast); ok && c.Type == Date {
		if lit, ok := c.X.(Literal); ok {
			return Cast{X: lit, Type: Timestamp}
		}
	}
	return Cast{X: date, Type: Timestamp}
}
