package trino

// functions are the templates of the portable functions; {n} is the n-th
// argument, already parenthesised. Trino has no exact median (only
// approx_percentile), so median is absent and the compiler reports its
// use.
var functions = map[string]string{
	"days_between":          "date_diff('day', CAST({0} AS DATE), CAST({1} AS DATE))",
	"add_days":              "date_add('day', CAST({1} AS BIGINT), CAST({0} AS DATE))",
	"add_months":            "date_add('month', CAST({1} AS BIGINT), CAST({0} AS DATE))",
	"approx_count_distinct": "approx_distinct({0})",
	"contains_text":         "(strpos({0}, {1}) > 0)",
	"starts_with":           "starts_with({0}, {1})",
	"ends_with":             "(length({0}) >= length({1}) AND substr({0}, length({0}) - length({1}) + 1) = {1})",
	"regex_match":           "regexp_like({0}, {1})",
	"round":                 "round({0}, {1})",
	"length":                "length({0})",
	// The MD5 of a string's UTF-8 bytes as 32 lowercase hex digits (splits).
	"md5_hex": "lower(to_hex(md5(to_utf8({0}))))",
	"mod":     "mod({0}, {1})",
	// date_trunc of a DATE is a DATE; weeks start on Monday.
	"trunc_week":    "date_trunc('week', CAST({0} AS DATE))",
	"trunc_month":   "date_trunc('month', CAST({0} AS DATE))",
	"trunc_quarter": "date_trunc('quarter', CAST({0} AS DATE))",
	"trunc_year":    "date_trunc('year', CAST({0} AS DATE))",
	// first() and last(): {0} on the row with the least (greatest) {1},
	// ties to the least (greatest) {2}, the value ordered; rows whose
	// value or order is NULL do not count.
	"first_by": "min_by({0}, ROW({1}, {2})) FILTER (WHERE {0} IS NOT NULL AND {1} IS NOT NULL)",
	"last_by":  "max_by({0}, ROW({1}, {2})) FILTER (WHERE {0} IS NOT NULL AND {1} IS NOT NULL)",
}
