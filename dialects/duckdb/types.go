package duckdb

import "github.com/strata-analytics/strata/sqltree"

var typeNames = map[sqltree.Type]string{
	sqltree.String:    "VARCHAR",
	sqltree.Integer:   "BIGINT",
	sqltree.Number:    "DOUBLE",
	sqltree.Boolean:   "BOOLEAN",
	sqltree.Date:      "DATE",
	sqltree.Timestamp: "TIMESTAMP",
}

func (Dialect) TypeName(t sqltree.Type) string { return typeNames[t] }
