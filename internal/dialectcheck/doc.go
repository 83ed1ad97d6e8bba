// Package dialectcheck checks the golden SQL of the dialects Strata
// cannot execute here with independent parsers: sqlglot and sqlfluff
// (pinned in requirements.txt, run by parse.py) for every such dialect,
// and sqlparser-rs (the Rust crate built to WebAssembly, pinned in
// package.json and package-lock.json, run by sqlparser.mjs under Node)
// for those it has a dialect for, all but Trino. A parser's failure fails
// the test unless exceptions.tsv records it for that dialect and parser,
// with the reason and the vendor documentation that says the warehouse
// accepts the construct; an exception no golden needs any more fails too.
//
// It does not execute SQL: DuckDB and PostgreSQL goldens are executed by
// the fixtures' tests.
package dialectcheck
