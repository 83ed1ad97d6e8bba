package redshift

// functions are the templates that differ from PostgreSQL's; {n} is the
// n-th argument, already parenthesised. The others (weeks, months and
// years truncated with date_trunc, %, strpos, ~) are PostgreSQL's.
var functions = map[string]string{
	"days_between":          "DATEDIFF(day, CAST({0} AS DATE), CAST({1} AS DATE))",
	"add_days":              "CAST(DATEADD(day, CAST({1} AS INTEGER), CAST({0} AS DATE)) AS DATE)",
	"add_months":            "CAST(DATEADD(month, CAST({1} AS INTEGER), CAST({0} AS DATE)) AS DATE)",
	"approx_count_distinct": "APPROXIMATE COUNT(DISTINCT {0})",
	"median":                "MEDIAN({0})",
	"starts_with":           "(LEFT({0}, LENGTH({1})) = {1})",
	// NUMERIC alone is NUMERIC(18, 0) in Redshift, which would round
	// to a whole number first.
	"round": "CAST(ROUND(CAST({0} AS DECIMAL(38, 10)), {1}) AS DOUBLE PRECISION)",
	// The series is Series's own; Redshift has no date_series template.
	"date_series": "",
	// Redshift has no aggregate that keeps one row's value in order
	// (no ordered ARRAY_AGG, no MIN_BY): first() and last() are absent.
	"first_by": "",
	"last_by":  "",
}
