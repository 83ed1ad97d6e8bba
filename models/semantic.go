package models

import "github.com/hashicorp/hcl/v2"

// Entity is the thing that segments group and metrics measure: a customer,
// an account. Its attributes are the columns of its base source.
type Entity struct {
	Name        string
	Description string
	Source      Ref
	// KeysFrom, instead of Source, makes the entity from the keys found
	// in these sources' rows: an entity without a table of its own.
	KeysFrom      []Ref
	KeysFromRange hcl.Range
	Key           Ident
	// Materialized is how its profile is created.
	Materialized Choice
	// Overlap asks for <name>_segment_overlap: every pair of its
	// segments, how many entities are in both. OverlapRange is where.
	Overlap      bool
	OverlapRange hcl.Range
	// Contact names the attributes an entity is reached by (an email, an
	// owner): a member with all of them is addressable. Segments take it
	// unless they name their own.
	Contact   []Ident
	DeclRange hcl.Range
}

// Metric is a number per entity, evaluated as of one date, and optionally
// a time series of period totals.
//
// An aggregate metric has From set and a Value built from aggregate
// functions over the rows of From; a derived metric has no From and a Value
// built from other metrics.
type Metric struct {
	Name        string
	Description string
	Of          Ref // the entity; inferred from From or from the metrics Value uses
	From        Ref
	Value       hcl.Expression
	Where       hcl.Expression // nil when absent
	Window      *Window        // nil when absent
	// Valid names the [start, end) columns of rows that are validity
	// intervals (subscription periods): only rows valid on as_of count.
	Valid *Interval
	// AllowOverlap is false when one entity's intervals must not overlap;
	// the build checks the data.
	AllowOverlap      bool
	AllowOverlapRange hcl.Range

	// Grain, when set, gives the metric a time series view at that grain.
	Grain *GrainSpec
	// By lists segments to break the time series down by; ByAttributes
	// the entity's attributes (by = [segment.x, plan] lists both).
	By           []Ref
	ByAttributes []Ident
	// ByCombinations are breakdowns by several dimensions at once, each
	// written as a list inside by: by = [[segment.tier, plan]].
	ByCombinations []Combination
	// Movements asks for the movement views of a balance metric.
	Movements      bool
	MovementsRange hcl.Range
	// Materialized is how its series, breakdowns and movements are created.
	Materialized Choice

	DeclRange hcl.Range
}

// Combination is a breakdown by several dimensions at once: one view
// with a column per dimension, in the order written.
type Combination struct {
	Dimensions []Dimension
	Range      hcl.Range
}

// Dimension is one thing a breakdown groups by: a segment (Segment set)
// or a column (Column set).
type Dimension struct {
	Segment Ref
	Column  Ident
}

// Window restricts a metric to the rows of the last N units up to as_of.
type Window struct {
	Count int
	Unit  string // "day", "week", "month" or "year"
	Range hcl.Range
}

// Interval names the columns that bound a validity interval [Start, End).
type Interval struct {
	Start Ident
	End   Ident
	Range hcl.Range
}

// Segment is a rule-based group of entities: either one boolean rule (Where)
// or exclusive tiers where the first matching tier wins.
type Segment struct {
	Name        string
	Description string
	Of          Ref
	Where       hcl.Expression // nil for a tiered segment
	Tiers       []*Tier
	// Split, when set, makes the segment a split of another's members
	// (segment.x) into its tiers by their Share: each member falls in
	// one by a hash of its key and Salt, the same build after build and
	// in every dialect.
	Split     hcl.Expression
	Salt      string
	SaltRange hcl.Range
	// Materialized is how its view of members is created.
	Materialized Choice
	// History, when set, adds the segment's membership per period and
	// its changes (segment_<name>_history, segment_<name>_changes) at
	// that grain; a GrainSpec without a grain (history = none) turns the
	// project's default off. nil takes the project's History.
	History *GrainSpec
	// HistoryFrom says where the history's members come from:
	// HistoryFromData (reconstructed, the default) or
	// HistoryFromSnapshots (the members `strata snapshot` recorded).
	HistoryFrom      string
	HistoryFromRange hcl.Range
	// Contact, when set, replaces the entity's contact attributes for
	// this segment's members (its Range is where it was set).
	Contact      []Ident
	ContactRange hcl.Range
	// MinSize is the fewest members the segment may have and be trusted;
	// 0 when not set. Expect lists the other floors of its quality.
	MinSize      int
	MinSizeRange hcl.Range
	Expect       []Expectation
	DeclRange    hcl.Range
}

// Where a segment's history comes from (Segment.HistoryFrom).
const (
	HistoryFromData      = "data"
	HistoryFromSnapshots = "snapshots"
)

// Expectation is a floor on one measure of a segment's quality, such as
// retained = 0.8: the build fails when the measure of the current period
// is below it.
type Expectation struct {
	Measure string // share, measured, contactable or retained
	Min     float64
	Range   hcl.Range
}

// QualityMeasures are the measures an expect block can set a floor on:
// shares from 0 to 1, columns of segment_quality.
var QualityMeasures = []string{"share", "measured", "contactable", "retained"}

// Tier is one exclusive tier of a segment. A tier without Where is the
// default and must come last.
type Tier struct {
	Name        string
	Description string
	Where       hcl.Expression
	// Share is the percent of a split's members in the tier; 0 outside
	// splits.
	Share      int
	ShareRange hcl.Range
	DeclRange  hcl.Range
}
