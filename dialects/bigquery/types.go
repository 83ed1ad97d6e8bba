package bigquery

import "github.com/strata-analytics/strata/sqltree"

// types are the names of the SQL types. A timestamp is a TIMESTAMP, the
// type BigQuery's event tables have (loaders write instants); Strata
// compares it with timestamps only, since BigQuery refuses to compare a
// TIMESTAMP with a DATE, and reads its day in UTC.
var types = map[sqltree.Type]string{
	sqltree.String:      "STRING",
	sqltree.Integer:     "INT64",
	sqltree.Number:      "FLOAT64",
	sqltree.Boolean:     "BOOL",
	sqltree.Date:        "DATE",
	sqltree.Timestamp:   "TIMESTAMP",
	sqltree.TimestampTZ: "TIMESTAMP",
}
