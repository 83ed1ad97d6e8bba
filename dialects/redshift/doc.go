// Package redshift is the Amazon Redshift dialect: PostgreSQL's, with
// Redshift's types and functions, names that ignore case and are cut to
// 127 bytes, strings whose backslashes are escaped, and date series from
// rows of digits (generate_series runs on the leader node only, so a view
// that joins it to tables fails). Strata compiles for it; it does not
// connect to Redshift.
package redshift
