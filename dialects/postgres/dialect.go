package postgres

import (
	"strings"

	"github.com/strata-analytics/strata/dialects/ansi"
	"github.com/strata-analytics/strata/sqltree"
)

// Dialect is PostgreSQL.
type Dialect struct{}

func (Dialect) Name() string                  { return "postgres" }
func (Dialect) QuoteIdent(name string) string { return ansi.QuoteIdent(name) }

// QuoteString quotes a string so that it means the same under every
// server setting. A '...' literal treats a backslash as an escape when
// standard_conforming_strings is off (a setting any user can change in a
// session or a database), so that '\” would end somewhere else: a
// string holding a backslash is written as an escape string, E'...', whose
// backslashes are doubled and which PostgreSQL reads the same way
// whatever the setting. Strings without a backslash mean the same either
// way and stay plain. See the PostgreSQL manual, "String Constants with
// C-Style Escapes".
func (Dialect) QuoteString(s string) string {
	if !strings.Contains(s, `\`) {
		return ansi.QuoteString(s)
	}
	return "E" + ansi.QuoteString(strings.ReplaceAll(s, `\`, `\\`))
}

func (Dialect) Capabilities() sqltree.Capabilities {
	return sqltree.Capabilities{
		ViewComments:            true,
		ColumnComments:          true,
		ReplaceViewKeepsColumns: true,
		MaxIdentifierLength:     63, // NAMEDATALEN - 1; longer names are silently truncated
		DefaultSchema:           "public",
		// A database's default collation follows its locale: "B" < "a"
		// in C, "a" < "B" in en_US.
		BinaryCollation: `"C"`,
	}
}
