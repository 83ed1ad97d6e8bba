package sqltree

// Statement is a top-level SQL statement.
type Statement interface{ formatStatement(p *printer) }

// Query is what a view selects: a *Select or a *Raw model body.
type Query interface{ formatQuery(p *printer) }

// CreateView creates or replaces a view, then comments on it and its columns.
type CreateView struct {
	Name           []string
	Query          Query
	Comment        string
	ColumnComments []ColumnComment
}

// ColumnComment is the description of one column of a view.
type ColumnComment struct {
	Column  string
	Comment string
}

// CreateSchema creates a schema when it does not exist.
type CreateSchema struct{ Name string }
