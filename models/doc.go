// Package models holds the declared semantic model of a Strata project:
// targets, sources, entities, metrics, segments, cohorts and raw SQL models, as the
// user wrote them in HCL.
//
// It does not parse HCL, resolve references, check types or know about SQL
// dialects; the compiler does all of that. Every declared object keeps the
// hcl.Range of its declaration (and of its important attributes) so that any
// later stage can point a diagnostic at the exact source characters.
package models
