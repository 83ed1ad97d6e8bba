package databricks

// functions are the templates of the portable functions; {n} is the n-th
// argument, already parenthesised.
var functions = map[string]string{
	"days_between": "DATEDIFF(CAST({1} AS DATE), CAST({0} AS DATE))",
	"add_days":     "DATE_ADD(CAST({0} AS DATE), CAST({1} AS INT))",
	// Since Spark 3.0, add_months keeps the day where it can and no
	// longer moves a month's last day to the next month's last day.
	"add_months":            "ADD_MONTHS(CAST({0} AS DATE), CAST({1} AS INT))",
	"approx_count_distinct": "APPROX_COUNT_DISTINCT({0})",
	"median":                "MEDIAN({0})",
	"contains_text":         "(INSTR({0}, {1}) > 0)",
	"starts_with":           "STARTSWITH({0}, {1})",
	"ends_with":             "ENDSWITH({0}, {1})",
	// RLIKE searches (Java's find), like DuckDB's regexp_matches.
	"regex_match": "({0} RLIKE {1})",
	"round":       "ROUND({0}, {1})",
	"length":      "LENGTH({0})",
	// The MD5 of a string's UTF-8 bytes as 32 lowercase hex digits (splits).
	"md5_hex": "md5({0})",
	"mod":     "MOD({0}, {1})",
	// date_trunc returns a timestamp; weeks start on Monday.
	"trunc_week":    "CAST(DATE_TRUNC('WEEK', CAST({0} AS DATE)) AS DATE)",
	"trunc_month":   "CAST(DATE_TRUNC('MONTH', CAST({0} AS DATE)) AS DATE)",
	"trunc_quarter": "CAST(DATE_TRUNC('QUARTER', CAST({0} AS DATE)) AS DATE)",
	"trunc_year":    "CAST(DATE_TRUNC('YEAR', CAST({0} AS DATE)) AS DATE)",
	// first() and last(): {0} on the row with the least (greatest) {1},
	// ties to the least (greatest) {2}, the value ordered; rows whose
	// value or order is NULL do not count.
	"first_by": "min_by({0}, struct({1}, {2})) FILTER (WHERE {0} IS NOT NULL AND {1} IS NOT NULL)",
	"last_by":  "max_by({0}, struct({1}, {2})) FILTER (WHERE {0} IS NOT NULL AND {1} IS NOT NULL)",
}
