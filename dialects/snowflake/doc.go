// Package snowflake is the Snowflake dialect: the base dialect with
// Snowflake's types and functions, plain names left unquoted (Snowflake
// stores them in upper case, so that users type them as they always do),
// strings whose backslashes are escaped, weeks that do not depend on the
// WEEK_START session parameter, and date series from GENERATOR rows.
// Strata compiles for it; it does not connect to Snowflake.
package snowflake
