// Package deploy compares what a project would deploy to a target with
// what the target holds, and deploys the difference: strata plan and
// strata apply. Strata records what it deployed in a state table in the
// views' schema (strata_state: each view's name, kind, position,
// fingerprint and SQL, the Strata version, when); a plan reads it and
// the schema's catalog, lists the views to create, replace (with the SQL
// diff) and drop, and measures what the change does to each segment's
// members by running the new views in a transaction it rolls back.
// Apply runs the same statements in one transaction, recording the new
// state.
//
// It runs SQL only through engine.Warehouse, so it deploys where the
// engine connects (DuckDB, PostgreSQL: both roll back DDL). It never
// drops or replaces an object Strata did not create: such an object
// under a view's name is a conflict, and one that reads a Strata view
// stops the apply (no CASCADE).
package deploy
