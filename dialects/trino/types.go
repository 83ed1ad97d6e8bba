package trino

import "github.com/strata-analytics/strata/sqltree"

// types are the names of the SQL types.
var types = map[sqltree.Type]string{
	sqltree.String:      "VARCHAR",
	sqltree.Integer:     "BIGINT",
	sqltree.Number:      "DOUBLE",
	sqltree.Boolean:     "BOOLEAN",
	sqltree.Date:        "DATE",
	sqltree.Timestamp:   "TIMESTAMP(6)",
	sqltree.TimestampTZ: "TIMESTAMP(6) WITH TIME ZONE",
}
