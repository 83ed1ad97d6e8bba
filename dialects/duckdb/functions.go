package duckdb

// functions are the templates of the portable functions; {n} is the n-th
// argument, already parenthesised.
var functions = map[string]string{
	"days_between":          "date_diff('day', CAST({0} AS DATE), CAST({1} AS DATE))",
	"add_days":              "CAST(CAST({0} AS DATE) + CAST({1} AS INTEGER) AS DATE)",
	"add_months":            "CAST(CAST({0} AS DATE) + to_months(CAST({1} AS INTEGER)) AS DATE)",
	"approx_count_distinct": "approx_count_distinct({0})",
	"median":                "median({0})",
	"contains_text":         "(strpos({0}, {1}) > 0)",
	"starts_with":           "starts_with({0}, {1})",
	"ends_with":             "ends_with({0}, {1})",
	"regex_match":           "regexp_matches({0}, {1})",
	"round":                 "round({0}, {1})",
	"mod":                   "({0} % {1})",
	"length":                "length({0})",
	// The MD5 of a string's UTF-8 bytes as 32 lowercase hex digits (splits).
	"md5_hex": "md5({0})",
	// Periods: the first day of the week (Monday), month, quarter or year
	// that contains a date, and a series of period starts.
	"trunc_week":    "CAST(date_trunc('week', CAST({0} AS TIMESTAMP)) AS DATE)",
	"trunc_month":   "CAST(date_trunc('month', CAST({0} AS TIMESTAMP)) AS DATE)",
	"trunc_quarter": "CAST(date_trunc('quarter', CAST({0} AS TIMESTAMP)) AS DATE)",
	"trunc_year":    "CAST(date_trunc('year', CAST({0} AS TIMESTAMP)) AS DATE)",
	"date_series":   "generate_series(CAST({0} AS TIMESTAMP), CAST({1} AS TIMESTAMP), CAST({2} AS INTERVAL))",
	// first() and last(): {0} on the row with the least (greatest) {1},
	// ties to the least (greatest) {2}, the value ordered; rows whose
	// value or order is NULL do not count.
	"first_by": "arg_min({0}, CASE WHEN {0} IS NOT NULL AND {1} IS NOT NULL THEN ({1}, {2}) END)",
	"last_by":  "arg_max({0}, CASE WHEN {0} IS NOT NULL AND {1} IS NOT NULL THEN ({1}, {2}) END)",
}
