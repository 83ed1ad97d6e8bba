package snowflake

import "github.com/strata-analytics/strata/sqltree"

// types are the names of the SQL types. TIMESTAMP_NTZ is a wall-clock
// time, as the language's timestamps are; plain TIMESTAMP follows the
// TIMESTAMP_TYPE_MAPPING parameter.
var types = map[sqltree.Type]string{
	sqltree.String:      "VARCHAR",
	sqltree.Integer:     "BIGINT",
	sqltree.Number:      "DOUBLE",
	sqltree.Boolean:     "BOOLEAN",
	sqltree.Date:        "DATE",
	sqltree.Timestamp:   "TIMESTAMP_NTZ",
	sqltree.TimestampTZ: "TIMESTAMP_TZ",
}
