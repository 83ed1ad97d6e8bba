package models

import "github.com/hashicorp/hcl/v2"

// Project is everything declared in one project directory.
type Project struct {
	Name          string
	Schema        string // the schema the views are created in
	DefaultTarget string
	Calendar      Calendar
	// Materialize says, per kind of view, whether views are created as
	// views (the default) or as tables.
	Materialize Materialize
	// History is the grain of every segment's membership history, unless
	// the segment says otherwise; nil when segments have none by default.
	History   *GrainSpec
	DeclRange hcl.Range

	Targets  []*Target
	Sources  []*Source // sources and raw SQL models, in declaration order
	Entities []*Entity
	Metrics  []*Metric
	Segments []*Segment
	Cohorts  []*Cohort
	Tests    []*Test
	// Assertions are the rules about the data, in declaration order.
	Assertions []*Assertion
}

// Target is a warehouse that the project compiles for.
type Target struct {
	Name    string
	Dialect string
	// Path is the database file of an embedded (DuckDB) target, relative to
	// the project directory.
	Path string
	// ConnectionEnv names the environment variable that holds the connection
	// string; the secret itself never appears in project files.
	ConnectionEnv string
	// Schema, when set, is where this target puts the views instead of
	// the project's schema (a dataset in BigQuery, a database in
	// ClickHouse).
	Schema      string
	SchemaRange hcl.Range
	// Settings are the dialect's own settings (a Snowflake account and
	// database, a BigQuery project, a catalog), by name; which are known
	// is the dialect's to say.
	Settings map[string]TargetSetting

	DeclRange    hcl.Range
	DialectRange hcl.Range
}

// TargetSetting is one dialect setting of a target, with where it was written.
type TargetSetting struct {
	Value string
	Range hcl.Range
}

// Ref is a reference to another declared object, such as source.customers or
// metric.mrr.
type Ref struct {
	Kind  string // "source", "model", "metric", "segment", "entity", "cohort"
	Name  string
	Range hcl.Range
}

// IsZero reports whether the reference was left out.
func (r Ref) IsZero() bool { return r.Name == "" }

func (r Ref) String() string {
	if r.Kind == "" {
		return r.Name
	}
	return r.Kind + "." + r.Name
}

// Ident is a bare name written in HCL (an attribute or column name), with
// where it was written.
type Ident struct {
	Name  string
	Range hcl.Range
}
