// Package bigquery is the BigQuery (GoogleSQL) dialect: the base dialect
// with BigQuery's types and functions, names in backticks only where
// they need it, strings whose backslashes and line breaks are escaped,
// descriptions as OPTIONS(description = ...), MOD for %, and date series
// from GENERATE_DATE_ARRAY. Strata compiles for it; it does not connect
// to BigQuery.
package bigquery
