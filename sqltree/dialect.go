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
)

// Dialect is what differs between warehouses when rendering a tree.
// Implementations keep their differences as data (type and function
// tables, capability flags) behind these few methods.
type Dialect interface {
	Name() string
	QuoteIdent(name string) string
	QuoteString(s string) string
	TypeName(t Type) string
	// Function returns the template of a portable function such as
	// "days_between": SQL text with {0}, {1}, ... standing for the
	// rendered arguments. ok is false when the dialect cannot express it.
	Function(name string) (template string, ok bool)
	Capabilities() Capabilities
}

// Capabilities are the yes/no (and size) facts about a dialect that the
// compiler checks before it plans a feature.
type Capabilities struct {
	ViewComments   bool // COMMENT ON VIEW
	ColumnComments bool // COMMENT ON COLUMN of a view
	// ReplaceViewKeepsColumns is true when CREATE OR REPLACE VIEW refuses
	// to change a view's columns (PostgreSQL), so views are dropped and
	// created instead.
	ReplaceViewKeepsColumns bool
	// MaxIdentifierLength is the longest identifier in bytes; 0 means no
	// limit. Longer names are cut short by the engine, silently.
	MaxIdentifierLength int
	// CaseInsensitiveNames is true when two names that differ only in case
	// are one name, even quoted (DuckDB).
	CaseInsensitiveNames bool
	// DefaultSchema is where a table named without a schema lives.
	DefaultSchema string
	// BinaryCollation, when set, is the collation that orders strings by
	// their bytes, for dialects whose default order depends on settings.
	BinaryCollation string
}
