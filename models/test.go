package models

import "github.com/hashicorp/hcl/v2"

// Test is a unit test of the project (a test block): rows given for some
// sources, as of a day, and what views must then hold. Sources it gives
// no rows are empty.
type Test struct {
	Name        string
	Description string
	AsOf        string
	AsOfRange   hcl.Range
	Given       []*Given
	Expect      []*TestExpectation
	DeclRange   hcl.Range
}

// Given is the rows of one source in a test: written inline (Rows) or
// read from a file (File, relative to the project directory).
type Given struct {
	Source    Ref
	Rows      []Row
	File      string
	FileRange hcl.Range
	DeclRange hcl.Range
}

// Row is one row written in HCL: its cells, in the order written.
type Row struct {
	Cells []Cell
	Range hcl.Range
}

// Cell is a column's value in a written row.
type Cell struct {
	Column Ident
	Value  Literal
}

// Literal is a value written in HCL: a string, a number (as written), a
// boolean or null.
type Literal struct {
	Kind  LiteralKind
	Text  string // the string, or the number as written, or "true"/"false"
	Range hcl.Range
}

// LiteralKind is what a Literal holds.
type LiteralKind int

const (
	LiteralNull LiteralKind = iota
	LiteralString
	LiteralNumber
	LiteralBool
)

// TestExpectation is one expect block of a test: the exact rows of a view
// (View and Rows, on the columns the rows name), the exact members of a
// segment (Segment and Members), or a metric's value for some entities
// (Metric and Values, keyed by the entity's key).
type TestExpectation struct {
	View      string
	ViewRange hcl.Range
	Cohort    Ref
	Rows      []Row
	RowsRange hcl.Range

	Segment      Ref
	Members      []Literal
	MembersRange hcl.Range

	Metric Ref
	Values []Cell // the cell's column is the entity's key value

	DeclRange hcl.Range
}
