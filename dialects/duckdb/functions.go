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
	"length":                "length({0})",
}

func (Dialect) Function(name string) (string, bool) {
	t, ok := functions[name]
	return t, ok
}
