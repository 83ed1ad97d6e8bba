// Package check resolves and type-checks a decoded project into a Model:
// relations, entities, metrics, segments and cohorts with their
// references resolved and every expression typed and translated once into
// a SQL expression, in dependency order.
//
// Every diagnostic about the user's project that decoding cannot give
// comes from here: unknown names with a suggestion, type mismatches,
// cycles, limits (expression depth, chains of definitions), what a series,
// a breakdown, movements or a cohort needs, duplicate views. The Model is
// returned only when there are none, so later tools (the planners, and
// fmt, test, a catalog, plan) read a valid project.
//
// Where an expression's value depends on where it is planned, the checker
// leaves a sqltree.Hole: AsOf (the evaluation date), Total (a metric's
// period total), PeriodValue (a movement), TrailingAvg. The planners fill
// them. The package plans no view and renders no SQL; it reads no files.
package check
