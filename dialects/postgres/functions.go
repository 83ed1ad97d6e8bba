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
	"length":        "length({0})",
}

func (Dialect) Function(name string) (string, bool) {
	t, ok := functions[name]
	return t, ok
}
