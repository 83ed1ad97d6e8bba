package databricks

import "github.com/strata-analytics/strata/sqltree"

// types are the names of the SQL types. TIMESTAMP_NTZ is a wall-clock
// time, as the language's timestamps are; TIMESTAMP is an instant.
var types = map[sqltree.Type]string{
	sqltree.String:      "STRING",
	sqltree.Integer:     "BIGINT",
	sqltree.Number:      "DOUBLE",
	sqltree.Boolean:     "BOOLEAN",
	sqltree.Date:        "DATE",
	sqltree.Timestamp:   "TIMESTAMP_NTZ",
	sqltree.TimestampTZ: "TIMESTAMP",
}
