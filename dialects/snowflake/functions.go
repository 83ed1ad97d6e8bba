package snowflake

// functions are the templates of the portable functions; {n} is the n-th
// argument, already parenthesised.
var functions = map[string]string{
	"days_between": "DATEDIFF(day, CAST({0} AS DATE), CAST({1} AS DATE))",
	"add_days":     "CAST(DATEADD(day, CAST({1} AS INTEGER), CAST({0} AS DATE)) AS DATE)",
	// DATEADD keeps the day of month where it can (Jan 31 + 1 month is
	// Feb 28 or 29), as DuckDB does; ADD_MONTHS would move a month's last
	// day to the next month's last day.
	"add_months":            "CAST(DATEADD(month, CAST({1} AS INTEGER), CAST({0} AS DATE)) AS DATE)",
	"approx_count_distinct": "APPROX_COUNT_DISTINCT({0})",
	"median":                "MEDIAN({0})",
	"contains_text":         "CONTAINS({0}, {1})",
	"starts_with":           "STARTSWITH({0}, {1})",
	"ends_with":             "ENDSWITH({0}, {1})",
	// REGEXP_LIKE matches the whole string; the language's matches()
	// searches, like DuckDB's regexp_matches.
	"regex_match": "(REGEXP_INSTR({0}, {1}) > 0)",
	"round":       "ROUND({0}, {1})",
	"length":      "LENGTH({0})",
	// The MD5 of a string's UTF-8 bytes as 32 lowercase hex digits (splits).
	"md5_hex": "MD5({0})",
	"mod":     "MOD({0}, {1})",
	// Monday of the week, whatever WEEK_START says: DAYOFWEEKISO is 1 on
	// Mondays under every setting.
	"trunc_week":    "CAST(DATEADD(day, 1 - DAYOFWEEKISO(CAST({0} AS DATE)), CAST({0} AS DATE)) AS DATE)",
	"trunc_month":   "CAST(DATE_TRUNC('MONTH', CAST({0} AS DATE)) AS DATE)",
	"trunc_quarter": "CAST(DATE_TRUNC('QUARTER', CAST({0} AS DATE)) AS DATE)",
	"trunc_year":    "CAST(DATE_TRUNC('YEAR', CAST({0} AS DATE)) AS DATE)",
	// first() and last(): {0} on the row with the least (greatest) {1},
	// ties to the least (greatest) {2}, the value ordered; rows whose
	// value or order is NULL do not count.
	// MIN_BY breaks ties at random; ARRAY_AGG leaves out NULL values
	// and orders by the row's order and value, the rows that do not
	// count last. Its first element is a VARIANT, cast by the caller.
	"first_by": "(ARRAY_AGG(CASE WHEN {1} IS NOT NULL THEN {0} END) WITHIN GROUP (ORDER BY CASE WHEN {0} IS NULL OR {1} IS NULL THEN 1 ELSE 0 END, {1}, {2}))[0]",
	"last_by":  "(ARRAY_AGG(CASE WHEN {1} IS NOT NULL THEN {0} END) WITHIN GROUP (ORDER BY CASE WHEN {0} IS NULL OR {1} IS NULL THEN 1 ELSE 0 END, {1} DESC, {2} DESC))[0]",
}
