package bigquery

// functions are the templates of the portable functions; {n} is the n-th
// argument, already parenthesised. BigQuery has no exact median
// aggregate (PERCENTILE_CONT is a window function only), so median is
// absent and the compiler reports its use.
var functions = map[string]string{
	"days_between":          "DATE_DIFF(CAST({1} AS DATE), CAST({0} AS DATE), DAY)",
	"add_days":              "DATE_ADD(CAST({0} AS DATE), INTERVAL CAST({1} AS INT64) DAY)",
	"add_months":            "DATE_ADD(CAST({0} AS DATE), INTERVAL CAST({1} AS INT64) MONTH)",
	"approx_count_distinct": "APPROX_COUNT_DISTINCT({0})",
	"contains_text":         "(STRPOS({0}, {1}) > 0)",
	"starts_with":           "STARTS_WITH({0}, {1})",
	"ends_with":             "ENDS_WITH({0}, {1})",
	"regex_match":           "REGEXP_CONTAINS({0}, {1})",
	"round":                 "ROUND({0}, {1})",
	"length":                "LENGTH({0})",
	// The MD5 of a string's UTF-8 bytes as 32 lowercase hex digits (splits).
	"md5_hex": "TO_HEX(MD5({0}))",
	"mod":     "MOD({0}, {1})",
	// ISOWEEK weeks start on Monday; WEEK would start them on Sunday.
	"trunc_week":    "DATE_TRUNC(CAST({0} AS DATE), ISOWEEK)",
	"trunc_month":   "DATE_TRUNC(CAST({0} AS DATE), MONTH)",
	"trunc_quarter": "DATE_TRUNC(CAST({0} AS DATE), QUARTER)",
	"trunc_year":    "DATE_TRUNC(CAST({0} AS DATE), YEAR)",
	// first() and last(): {0} on the row with the least (greatest) {1},
	// ties to the least (greatest) {2}, the value ordered; rows whose
	// value or order is NULL do not count.
	"first_by": "ARRAY_AGG(IF({1} IS NULL, NULL, {0}) IGNORE NULLS ORDER BY {1}, {2} LIMIT 1)[SAFE_OFFSET(0)]",
	"last_by":  "ARRAY_AGG(IF({1} IS NULL, NULL, {0}) IGNORE NULLS ORDER BY {1} DESC, {2} DESC LIMIT 1)[SAFE_OFFSET(0)]",
}
