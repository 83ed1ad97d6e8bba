// Package compiler turns a project's HCL into planned SQL views.
//
// The stages hand each other named types and do no I/O:
//
//	Parse:  []File                    -> *Parsed (a models.Project + the HCL files, for snippets)
//	Plan:   *models.Project + Options -> *Plan   (resolved, type-checked, one sqltree view per output)
//	Render: *Plan + sqltree.Dialect   -> *Compiled (SQL text per view, in dependency order, + Manifest)
//
// Each stage returns everything it could make plus every problem it found as
// hcl.Diagnostics, so one run reports all problems at once.
//
// The package reads no files and opens no databases: the CLI reads the
// project directory and the engine package executes the SQL.
package compiler
