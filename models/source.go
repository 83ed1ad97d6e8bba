package models

import "github.com/hashicorp/hcl/v2"

// SourceKind tells a warehouse table from a raw SQL model.
type SourceKind string

const (
	KindSource SourceKind = "source"
	KindModel  SourceKind = "model"
)

// Source is a relation that metrics and entities read from: a warehouse
// table (optionally seeded from a local file) or a raw SQL model.
type Source struct {
	Kind        SourceKind
	Name        string
	Description string

	// Table is the warehouse table, split on dots: ["raw", "customers"].
	Table      []string
	TableRange hcl.Range
	// File is a local CSV or Parquet seed, relative to the project
	// directory, that `strata build` loads into Table on DuckDB.
	File      string
	FileRange hcl.Range
	// Format says how a text seed file is written, when it is not a plain
	// CSV (or TSV) with a header: nil for that.
	Format *SeedFormat

	// SQL is the body of a raw SQL model; DialectSQL overrides it per dialect.
	SQL        *SQLTemplate
	DialectSQL map[string]*SQLTemplate

	PrimaryKey Ident
	Entity     Ref   // the entity the rows belong to
	EntityKey  Ident // the column holding the entity's key; defaults to the entity's key name
	Time       Ident // the column that dates each row
	// Through names the source whose rows these rows belong to (payments
	// to orders), which belongs to the entity: these rows reach the
	// entity through it. ForeignKey is the column holding its primary key
	// (defaults to that key's name).
	Through    Ref
	ForeignKey Ident
	// Valid, when set, names the [start, end) columns of each row's
	// validity: the rows are versions (a dbt snapshot, an SCD2 table), and
	// an entity's attributes are read from the version valid on the day.
	Valid   *Interval
	Columns []*Column
	// ColumnsFrom, on a model, names relations whose columns the model's
	// result has too, as they declare them: columns_from = [source.x].
	ColumnsFrom []Ref
	// Materialized is how a model's view is created.
	Materialized Choice

	DeclRange hcl.Range
}

// Column is a typed column of a source. A model's column may be declared
// without a type, which the checker then takes from the relations the
// model reads.
type Column struct {
	Name        string
	Type        Type
	Description string
	DeclRange   hcl.Range
	TypeRange   hcl.Range
}

// TypeWritten reports whether the declaration gives the column a type.
func (c *Column) TypeWritten() bool { return c.TypeRange != (hcl.Range{}) }

// Column returns the column called name, or nil.
func (s *Source) Column(name string) *Column {
	for _, c := range s.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// SQLTemplate is raw SQL with references to other relations, kept apart so
// that each reference is rendered (quoted, schema-qualified) per dialect.
type SQLTemplate struct {
	Parts []SQLPart
	Range hcl.Range
}

// SQLPart is either literal SQL text or a reference to a source or model.
type SQLPart struct {
	Text string
	Ref  *Ref
}

// SeedFormat is how a text seed file is written: its delimiter, whether
// it has a header, which cells mean NULL and how its dates are written.
type SeedFormat struct {
	// Delimiter is the one character between fields; "" keeps the
	// file's default (a comma, a tab for .tsv).
	Delimiter string
	// Whitespace separates fields by runs of spaces and tabs, as
	// fixed-width exports are; leading spaces are ignored, nothing is
	// quoted.
	Whitespace bool
	// NoHeader is a file without a header line: its fields are the
	// declared columns, in order.
	NoHeader bool
	// Null lists the cells read as NULL besides blank ones ("NA", "-").
	Null []string
	// DateFormat is how date and timestamp cells are written, in
	// strptime codes (%Y%m%d); "" for ISO 8601.
	DateFormat string
	Range      hcl.Range
}
