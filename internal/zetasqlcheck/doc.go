// Package zetasqlcheck analyses the BigQuery golden SQL
// (fixtures/*/bigquery/compiled.sql) with ZetaSQL, BigQuery's own
// analyser, so that what every parser accepts and BigQuery rejects fails
// a test: a type error (a TIMESTAMP compared with a DATE), a function
// BigQuery does not have, a column or table that does not exist, a
// description that is not a string.
//
// analyze.mjs runs the gRPC server that the npm package
// @fivetrandevelopers/zetasql ships (pinned by package.json and
// package-lock.json here, installed into .cache/zetasql by
// `make checkers`; without it the tests skip, and fail under CI=true) and
// analyses each golden statement by statement (the analyser itself
// splits the script), with every released language feature, against a
// catalog of the case's source tables, typed as the bigquery dialect
// names their types, and of the views and tables that earlier statements
// create, typed as the analyser resolved them. The goldens must be what
// the compiler renders, since the catalog comes from the case's HCL.
//
// The goldens hold no data check, so TestDataChecksAnalyse analyses the
// check of one case given allow_overlap = false. TestBrokenGoldenFails
// proves that a broken golden fails, at the broken statement only.
//
// Environment: STRATA_ZETASQL_PREFIX installs elsewhere;
// STRATA_ZETASQL_TIMESTAMP=DATETIME types the sources' timestamp columns
// as DATETIME instead of the dialect's TIMESTAMP, to see what a warehouse
// whose tables hold wall-clock times would refuse;
// STRATA_ZETASQL_SAVE_REQUEST=file saves
// the request, to rerun `node analyze.mjs < file` by hand.
//
// evaluate.mjs runs the BigQuery goldens on ZetaSQL's reference
// implementation, the evaluator that defines GoogleSQL's semantics: it
// speaks internal/enginecheck/runner.py's protocol, so fixtures'
// TestGoldenZetaSQL runs it as one more engine and compares every view's
// rows with DuckDB's. The server keeps no rows between requests and gives
// rows only to tables at the root of its catalog, so evaluate.mjs keeps
// each case's tables itself and renames their table paths (found by
// ZetaSQL's parser) to root names; the SQL is otherwise the golden's.
// server.mjs, which both scripts share, starts the server.
//
// The package holds tests only.
package zetasqlcheck
