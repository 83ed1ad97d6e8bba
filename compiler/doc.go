// Package compiler turns a project's HCL into planned SQL views.
//
// The stages hand each other named types and do no I/O:
//
//	Parse:  []File                    -> *Parsed (a models.Project + the HCL files, for snippets)
//	Plan:   *models.Project + Options -> *Plan   (resolved, type-checked, one sqltree view per output)
//	Render: *Plan + sqltree.Dialect   -> *Compiled (SQL text per view, in dependency order, + Manifest)
//
// Plan makes four families of views: raw SQL models; the entity profile
// (attributes, metrics and segments as of one day) and segment members;
// views over time, each planned around its own spine of periods
// (calendar.go): metric series and breakdowns (series.go), movements of
// balances (movements.go) and cohorts (cohort.go), with the profile
// evaluated on each period's last day where a rule needs it
// (timeprofile.go); and data checks the build runs (checks.go).
//
// Each stage returns everything it could make plus every problem it found as
// hcl.Diagnostics, so one run reports all problems at once.
//
// The package reads no files and opens no databases: the CLI reads the
// project directory and the engine package executes the SQL.
package compiler
