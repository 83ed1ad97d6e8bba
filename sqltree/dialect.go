package sqltree

// Type is a SQL value type, named per dialect by Dialect.TypeName.
type Type int

const (
	String Type = iota + 1
	Integer
	Number
	Boolean
	Date
	Timestamp
	// TimestampTZ is an instant with a time zone; the language has no such
	// type, but the engine reads seed cells with UTC offsets through it.
	TimestampTZ
)

// Dialect is what differs between warehouses when printing a tree: the
// spellings (quoting, type names, the templates of portable functions)
// and hooks that choose the structure of a construct the warehouses write
// differently. A hook returns tree nodes, which the printer prints as it
// prints any other: the printer holds no flag per dialect.
//
// dialects/base implements every method the ANSI way; a dialect embeds
// its closest relative and replaces what differs.
type Dialect interface {
	Name() string
	QuoteIdent(name string) string
	QuoteString(s string) string
	TypeName(t Type) string
	// Function returns the template of a portable function such as
	// "days_between": SQL text with {0}, {1}, ... standing for the
	// rendered arguments. ok is false when the dialect cannot express it.
	Function(name string) (template string, ok bool)

	// ViewStatements are the statements that make a view exist with the
	// given query and comments: CREATE OR REPLACE VIEW and COMMENT ON, or
	// DROP VIEW then CREATE VIEW where a view's columns cannot change in
	// place, or a view with inline comments. They must not return a
	// *CreateView.
	ViewStatements(v *CreateView) []Statement
	// OrderBytes is x compared or ordered by the bytes of its strings,
	// whatever the database's collation: Collate{x, `"C"`} where a
	// collation says so, Grouped{x} where byte order is the only order.
	OrderBytes(x Expr) Expr
	// Matches is x LIKE pattern with a backslash escaping % and _, as
	// the dialect writes it: with an ESCAPE clause (LikeEscape), or
	// without one where the backslash is the escape already.
	Matches(l Like) Expr
	// Union is the set operator that appends a query's rows: UNION ALL
	// when all, else the one that removes duplicates (UNION, or UNION
	// DISTINCT where a bare UNION is an error).
	Union(all bool) string
	// Series is the relation of a series of dates, as the dialect makes
	// one: generate_series(...) AS alias(column) (FunctionRows),
	// UNNEST(GENERATE_DATE_ARRAY(...)), or generated rows filtered.
	Series(s DateSeries) From
	// SchemaObject is what the warehouse calls a namespace of tables
	// and views in CREATE ... IF NOT EXISTS: SCHEMA, or DATABASE.
	SchemaObject() string
	// TableOptions are written after a CREATE TABLE's columns: the
	// storage engine where the warehouse needs one named; "" elsewhere.
	TableOptions() string
	// Project is an item of a select list as the dialect needs it
	// written: with an alias where a column's default name would differ
	// (ClickHouse names t.c "t.c" in a subquery with a join), a
	// predicate cast to a boolean where comparisons give numbers.
	Project(item SelectItem) SelectItem
}
