// Package views plans a checked model as one dialect-free SQL tree per
// view: raw SQL models, each entity's profile and segments, and the views
// over time (series, breakdowns, movements, cohorts), each around its own
// spine of periods (calendar.go), with the profile evaluated on each
// period's last day where a rule needs it (timeprofile.go); segment
// histories, reconstructed or read from recorded snapshots (history.go,
// snapshot.go), and their quality (quality.go); the data checks the build
// runs (datachecks.go); and the queries that count each source's quirks
// (sources.go).
//
// Planning reports nothing: the checker has found every problem. It never
// reads HCL: it binds the holes the checker left in expressions
// (bind.go) for the place each is planned. It renders no SQL (the
// compiler does, per dialect) and reads no files.
package views
