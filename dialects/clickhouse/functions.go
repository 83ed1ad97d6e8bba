package clickhouse

// Casts to a date, as the templates write them.
const (
	date = "Nullable(Date32)"
)

// functions are the templates of the portable functions; {n} is the n-th
// argument, already parenthesised.
var functions = map[string]string{
	"days_between": "dateDiff('day', CAST({0} AS " + date + "), CAST({1} AS " + date + "))",
	"add_days":     "addDays(CAST({0} AS " + date + "), CAST({1} AS Nullable(Int64)))",
	// addMonths keeps the day of month where it can (Jan 31 + 1 month
	// is Feb 28 or 29), as DuckDB does.
	"add_months":            "addMonths(CAST({0} AS " + date + "), CAST({1} AS Nullable(Int64)))",
	"approx_count_distinct": "uniq({0})",
	// median() is approximate in ClickHouse (a sample of the values);
	// quantileExactInclusive interpolates between the two middle
	// values, as PERCENTILE_CONT(0.5) does.
	"median":        "quantileExactInclusive(0.5)({0})",
	"contains_text": "(position({0}, {1}) > 0)",
	"starts_with":   "startsWith({0}, {1})",
	"ends_with":     "endsWith({0}, {1})",
	// match() searches with RE2, as regexp_matches does in DuckDB.
	"regex_match": "match({0}, {1})",
	// round() of a Float64 rounds halves to even (2.5 to 2); of a
	// Decimal, away from zero, as the other dialects do.
	"round": "CAST(round(CAST({0} AS Nullable(Decimal(38, 10))), {1}) AS Nullable(Float64))",
	// length() counts bytes; lengthUTF8 counts characters.
	"length": "lengthUTF8({0})",
	// The MD5 of a string's UTF-8 bytes as 32 lowercase hex digits (splits).
	"md5_hex": "lower(hex(MD5({0})))",
	"mod":     "({0} % {1})",
	// The toStartOf... functions return a Date (from 1970) unless the
	// view's settings ask for Date32; the cast makes it so everywhere.
	"trunc_week":    "CAST(toMonday(CAST({0} AS " + date + ")) AS " + date + ")",
	"trunc_month":   "CAST(toStartOfMonth(CAST({0} AS " + date + ")) AS " + date + ")",
	"trunc_quarter": "CAST(toStartOfQuarter(CAST({0} AS " + date + ")) AS " + date + ")",
	"trunc_year":    "CAST(toStartOfYear(CAST({0} AS " + date + ")) AS " + date + ")",
	// first() and last(): {0} on the row with the least (greatest) {1},
	// ties to the least (greatest) {2}, the value ordered; rows whose
	// value or order is NULL do not count.
	// OrNull: a group without such a row gets NULL, not the type's default.
	"first_by": "argMinIfOrNull({0}, ({1}, {2}), {0} IS NOT NULL AND {1} IS NOT NULL)",
	"last_by":  "argMaxIfOrNull({0}, ({1}, {2}), {0} IS NOT NULL AND {1} IS NOT NULL)",
}
