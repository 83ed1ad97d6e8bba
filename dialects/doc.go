// Package dialects is the registry of SQL dialects Strata renders for.
//
// Each dialect lives in its own subpackage with the same files: dialect.go
// (quoting and capabilities), types.go (the type table) and functions.go (the
// templates of the portable functions). Dialects differ in that data and in
// those few methods; the compiler never switches on a dialect's name.
//
// This package does not render SQL (sqltree does) or connect to databases
// (engine does).
package dialects
