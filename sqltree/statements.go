package sqltree

// Statement is a top-level SQL statement.
type Statement interface{ formatStatement(p *printer) }

// Query is what a view selects: a *Select or a *Raw model body.
type Query interface{ formatQuery(p *printer) }

// CreateView is the intent "this view exists, with this query and these
// comments". The dialect's ViewStatements hook turns it into the
// statements that do it (DefineView, DropView, CommentOn, ...). AsTable
// asks for a table holding the query's rows, computed when the statements
// run, instead of a view computing them when read.
type CreateView struct {
	Name           []string
	Query          Query
	Comment        string
	ColumnComments []ColumnComment
	AsTable        bool
}

// Object is the kind of object the view is created as, in the words of
// COMMENT ON and DROP: "VIEW" or "TABLE".
func (v *CreateView) Object() string {
	if v.AsTable {
		return "TABLE"
	}
	return "VIEW"
}

// ColumnComment is the description of one column of a view.
type ColumnComment struct {
	Column  string
	Comment string
}

// DefineView is CREATE [OR REPLACE] VIEW name [options] AS query:
// options such as COMMENT '...' or OPTIONS(description = '...') where a
// dialect writes a view's description inline.
type DefineView struct {
	Name      []string
	Query     Query
	OrReplace bool
	// Options are written before AS, Trailing after the query (ClickHouse
	// writes SETTINGS and COMMENT there).
	Options, Trailing []Expr
}

// AlterColumn is ALTER <Object> name <Action> column change, as in
// ALTER VIEW v ALTER COLUMN c SET OPTIONS (description = '...'). Action
// is ALTER COLUMN unless set (ClickHouse: COMMENT COLUMN).
type AlterColumn struct {
	Object string
	Name   []string
	Action string
	Column string
	Change Expr
}

// DropView is DROP VIEW [IF EXISTS] name [CASCADE].
type DropView struct {
	Name     []string
	IfExists bool
	Cascade  bool
}

// CommentOn is COMMENT ON <Object> name IS 'comment', for Object "VIEW",
// "COLUMN" or "TABLE".
type CommentOn struct {
	Object  string
	Name    []string
	Comment string
}

// CreateSchema creates a schema when it does not exist.
type CreateSchema struct{ Path []string }

// DropSchema drops a schema if it exists and is empty.
type DropSchema struct{ Path []string }

// RenameTable is ALTER TABLE name RENAME TO to: the table stays in its
// schema.
type RenameTable struct {
	Name []string
	To   string
}

// CreateTableAs is CREATE [OR REPLACE] TABLE name [options] AS query,
// options as in DefineView.
type CreateTableAs struct {
	Name      []string
	Query     Query
	OrReplace bool
	// Options are written before AS, Trailing after the query.
	Options, Trailing []Expr
}

// CreateTable is CREATE TABLE [IF NOT EXISTS] name (column type, ...).
type CreateTable struct {
	Name        []string
	Columns     []ColumnDef
	IfNotExists bool
}

// Insert is INSERT INTO table (columns) query.
type Insert struct {
	Table   []string
	Columns []string
	Query   Query
}

// Delete is DELETE FROM table WHERE where.
type Delete struct {
	Table []string
	Where Expr
}

// ColumnDef is a column of CreateTable.
type ColumnDef struct {
	Name string
	Type Type
}

// DropTable is DROP TABLE [IF EXISTS] name [CASCADE].
type DropTable struct {
	Name     []string
	IfExists bool
	Cascade  bool
}
