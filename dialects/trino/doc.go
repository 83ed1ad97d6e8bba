// Package trino is the Trino dialect: the base dialect with Trino's types
// and functions, names quoted only where they need it (names ignore
// case), and date series from UNNEST(sequence(...)). Strata compiles for
// it; it does not connect to Trino.
package trino
