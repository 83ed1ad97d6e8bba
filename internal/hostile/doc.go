// Package hostile holds the tests of Strata against hostile and broken
// input that need real engines: string literals built to escape their
// quoting under every server setting, rules mutated by the fuzzer and run
// on DuckDB and PostgreSQL, and projects at the documented limits. The
// compile-only fuzz target is in the compiler package; docs/reliability.md
// lists what each test guarantees. The package has no code besides its
// tests.
package hostile
