// Package clickhouse is the ClickHouse dialect: the base dialect with
// ClickHouse's types, every one Nullable (a plain column cannot hold
// NULL, and an unmatched outer join would fill it with 0 or ”),
// functions named the ClickHouse way, names quoted only where they need
// it, strings and quoted names whose backslashes are escaped, databases
// for schemas, date series from numbers(), and views whose settings and
// description follow the query.
//
// Strata compiles for it; it does not connect to ClickHouse. The tests
// run every golden on chDB, ClickHouse embedded as a library
// (internal/enginecheck).
package clickhouse
