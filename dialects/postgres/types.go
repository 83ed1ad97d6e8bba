package postgres

import "github.com/strata-analytics/strata/sqltree"

// types are the names of the SQL types.
var types = map[sqltree.Type]string{
	sqltree.String:      "TEXT",
	sqltree.Integer:     "BIGINT",
	sqltree.Number:      "DOUBLE PRECISION",
	sqltree.Boolean:     "BOOLEAN",
	sqltree.Date:        "DATE",
	sqltree.Timestamp:   "TIMESTAMP",
	sqltree.TimestampTZ: "TIMESTAMPTZ",
}
