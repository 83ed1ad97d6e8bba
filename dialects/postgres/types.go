package postgres

import "github.com/strata-analytics/strata/sqltree"

var typeNames = map[sqltree.Type]string{
	sqltree.String:    "TEXT",
	sqltree.Integer:   "BIGINT",
	sqltree.Number:    "DOUBLE PRECISION",
	sqltree.Boolean:   "BOOLEAN",
	sqltree.Date:      "DATE",
	sqltree.Timestamp: "TIMESTAMP",
}

func (Dialect) TypeName(t sqltree.Type) string { return typeNames[t] }
