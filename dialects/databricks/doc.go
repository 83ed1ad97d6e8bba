// Package databricks is the Databricks SQL dialect (and Apache Spark
// SQL, which Databricks SQL extends): the base dialect with Spark's types
// and functions, names in backticks only where they need it (names ignore
// case), strings whose backslashes are escaped, descriptions as inline
// COMMENT clauses, and date series from explode(sequence(...)). Strata
// compiles for it; it does not connect to Databricks.
package databricks
