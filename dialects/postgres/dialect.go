package postgres

import (
	"strings"

	"github.com/strata-analytics/strata/dialects/base"
	"github.com/strata-analytics/strata/sqltree"
)

// Dialect is PostgreSQL: the base dialect with its types and functions,
// names cut to 63 bytes, strings that no server setting can unquote, views
// dropped and created (their columns cannot change in place), and strings
// ordered by byte whatever the database's collation.
type Dialect struct{ base.Dialect }

// New returns the PostgreSQL dialect.
func New() Dialect {
	return Dialect{base.Dialect{
		DialectName: "postgres",
		Title:       "PostgreSQL",
		Types:       types,
		Functions:   functions,
		Identifiers: base.ANSIIdentifiers,
		Strings:     base.ANSIStrings,
		// NAMEDATALEN - 1: longer names are silently truncated.
		Names:     base.NameRules{MaxLength: 63, DefaultSchema: "public"},
		Target:    base.TargetRules{Connection: true},
		Execution: base.PostgresWire,
	}}
}

// QuoteString quotes a string so that it means the same under every
// server setting. A '...' literal treats a backslash as an escape when
// standard_conforming_strings is off (a setting any user can change in a
// session or a database), so that a quote after a backslash would not end the string: a
// string holding a backslash is written as an escape string, E'...', whose
// backslashes are doubled and which PostgreSQL reads the same way
// whatever the setting. Strings without a backslash mean the same either
// way and stay plain. See the PostgreSQL manual, "String Constants with
// C-Style Escapes".
func (d Dialect) QuoteString(s string) string {
	if !strings.Contains(s, `\`) {
		return d.Dialect.QuoteString(s)
	}
	return "E" + d.Dialect.QuoteString(strings.ReplaceAll(s, `\`, `\\`))
}

// ViewStatements drops and creates the view: CREATE OR REPLACE VIEW
// refuses to change a view's columns, and there is no CREATE OR REPLACE
// TABLE. CASCADE drops the views built on this one too; they are created
// again after it, because views are always created in dependency order.
func (Dialect) ViewStatements(v *sqltree.CreateView) []sqltree.Statement {
	if v.AsTable {
		return append([]sqltree.Statement{
			&sqltree.DropTable{Name: v.Name, IfExists: true, Cascade: true},
			&sqltree.CreateTableAs{Name: v.Name, Query: v.Query},
		}, base.Comments(v)...)
	}
	return append([]sqltree.Statement{
		&sqltree.DropView{Name: v.Name, IfExists: true, Cascade: true},
		&sqltree.DefineView{Name: v.Name, Query: v.Query},
	}, base.Comments(v)...)
}

// OrderBytes orders strings by their bytes: a database's default
// collation follows its locale ("B" < "a" in C, "a" < "B" in en_US).
func (Dialect) OrderBytes(x sqltree.Expr) sqltree.Expr { return sqltree.Collate{X: x, Name: `"C"`} }
