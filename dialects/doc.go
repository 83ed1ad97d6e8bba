// Package dialects is the registry of the SQL dialects Strata compiles
// for, and the Dialect interface: how to print for a warehouse
// (sqltree.Dialect), its rules for names, what a target of it needs, and
// whether Strata runs SQL on it.
//
// Each dialect lives in its own subpackage with the same files:
// dialect.go (its constructor and the methods that differ), types.go (the
// type table) and functions.go (the templates of the portable functions).
// Each embeds its closest relative, down to dialects/base, and states what
// differs. Everything that knows a dialect's name lives here; nothing
// outside compares one.
//
// This package does not render SQL (sqltree does) or connect to databases
// (engine does).
package dialects
