package postgres

// functions are the templates of the portable functions; {n} is the n-th
// argument, already parenthesised. PostgreSQL has no approx_count_distinct
// without an extension, so it is absent and the compiler reports its use.
var functions = map[string]string{
	"days_between":  "CAST(CAST({1} AS DATE) - CAST({0} AS DATE) AS BIGINT)",
	"add_days":      "CAST(CAST({0} AS DATE) + CAST({1} AS INTEGER) AS DATE)",
	"add_months":    "CAST(CAST({0} AS DATE) + make_interval(months => CAST({1} AS INTEGER)) AS DATE)",
	"median":        "percentile_cont(0.5) WITHIN GROUP (ORDER BY {0})",
	"contains_text": "(strpos({0}, {1}) > 0)",
	"starts_with":   "starts_with({0}, {1})",
	"ends_with":     "(right({0}, length({1})) = {1})",
	"regex_match":   "({0} ~ {1})",
	"round":         "CAST(round(CAST({0} AS NUMERIC), {1}) AS DOUBLE PRECISION)",
	"mod":           "({0} % {1})",
	"length":        "length({0})",
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
	"first_by": "(ARRAY_AGG({0} ORDER BY {1}, {2}) FILTER (WHERE {0} IS NOT NULL AND {1} IS NOT NULL))[1]",
	"last_by":  "(ARRAY_AGG({0} ORDER BY {1} DESC, {2} DESC) FILTER (WHERE {0} IS NOT NULL AND {1} IS NOT NULL))[1]",
}
