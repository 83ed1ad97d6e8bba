package bigquery

import "github.com/strata-analytics/strata/sqltree"

// types are the names of the SQL types. DATETIME is a wall-clock time,
// as the language's timestamps are; TIMESTAMP is an instant.
var types = map[sqltree.Type]string{
	sqltree.String:      "STRING",
	sqltree.Integer:     "INT64",
	sqltree.Number:      "FLOAT64",
	sqltree.Boolean:     "BOOL",
	sqltree.Date:        "DATE",
	sqltree.Timestamp:   "DATETIME",
	sqltree.TimestampTZ: "TIMESTAMP",
}
