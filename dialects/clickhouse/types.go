package clickhouse

import "github.com/strata-analytics/strata/sqltree"

// types are the names of the SQL types. Every one is Nullable: CAST of a
// NULL to a plain type is an error, and a plain column of an outer
// join's unmatched side holds the type's default (0, ”) rather than
// NULL. Dates are Date32 (1900 to 2299; Date stops at 1970). Timestamps
// are wall-clock times kept in UTC, so that the server's time zone does
// not shift them.
var types = map[sqltree.Type]string{
	sqltree.String:      "Nullable(String)",
	sqltree.Integer:     "Nullable(Int64)",
	sqltree.Number:      "Nullable(Float64)",
	sqltree.Boolean:     "Nullable(Bool)",
	sqltree.Date:        "Nullable(Date32)",
	sqltree.Timestamp:   "Nullable(DateTime64(6, 'UTC'))",
	sqltree.TimestampTZ: "Nullable(DateTime64(6, 'UTC'))",
}
