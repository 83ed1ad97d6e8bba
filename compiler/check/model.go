package check

import (
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// Model is a checked project: every reference resolved, every expression
// typed and translated once into a SQL expression. The planners turn it
// into views; other tools (fmt, test, quality reports, a catalog, plan)
// can read it without planning SQL. A Model is returned only when the
// project has no errors.
type Model struct {
	Project *models.Project
	// AsOf is the pinned evaluation date; zero means the warehouse's
	// current date, so that views stay live.
	AsOf time.Time

	// In declaration order; only declarations without errors.
	Relations []*Relation // sources and raw SQL models
	// SQLModels are the raw SQL models in dependency order: each after
	// the models its SQL reads.
	SQLModels []*Relation
	Entities  []*Entity
	Metrics   []*Metric // every metric, including series-only ones
	Segments  []*Segment
	Cohorts   []*Cohort
	// Assertions are the rules about the data, in declaration order.
	Assertions []*Assertion
	// Order lists the metrics and segments ("metric.mrr", "segment.x") in
	// dependency order: each after the definitions it reads.
	Order []string

	// Features are the portable functions the expressions use, with where,
	// so that a dialect lacking one can say which range asked for it.
	Features []Feature

	relations map[string]*Relation // by "source.x" / "model.x"
	entities  map[string]*Entity
	metrics   map[string]*Metric
	segments  map[string]*Segment
}

// Relation returns the source or model a reference such as "source.x" names.
func (m *Model) Relation(ref string) *Relation { return m.relations[ref] }

// Entity returns the entity called name.
func (m *Model) Entity(name string) *Entity { return m.entities[name] }

// Metric returns the metric called name.
func (m *Model) Metric(name string) *Metric { return m.metrics[name] }

// Segment returns the segment called name.
func (m *Model) Segment(name string) *Segment { return m.segments[name] }

// Feature is a portable function an expression uses, and where.
type Feature struct {
	Function string
	Range    hcl.Range
}

// Relation is a source or a raw SQL model, resolved.
type Relation struct {
	Decl *models.Source
	// Path is where Strata reads the rows: Stored, or for rows that reach
	// their entity through another source, the view that adds the
	// entity's key to them (Through).
	Path []string
	// Stored is where the rows live in the warehouse: the table, or a
	// model's view.
	Stored    []string
	Through   *Through
	Entity    *Entity // the entity the rows belong to, or nil
	EntityKey string  // the column holding the entity's key
	Time      *models.Column
	// ValidFrom and ValidTo bound each row's validity [from, to) when the
	// rows are versions; nil otherwise. ValidTo NULL is still valid.
	ValidFrom, ValidTo *models.Column
}

// Through is how rows reach their entity through another source's rows:
// each row's ForeignKey is the Parent's ParentKey (its primary key, unique
// or the build fails), and the parent's row holds the entity's key.
type Through struct {
	Parent     *Relation
	ForeignKey *models.Column
	ParentKey  *models.Column
}

// ThroughViewSuffix names the view of rows that reach their entity
// through another source: <source>_with_<entity>.
const ThroughViewSuffix = "_with_"

// Ref is "source.x" or "model.x".
func (r *Relation) Ref() string { return string(r.Decl.Kind) + "." + r.Decl.Name }

// Entity is an entity with its base relation and the metrics and segments
// of its profile, in declaration order.
type Entity struct {
	Decl       *models.Entity
	Rel        *Relation
	Key        *models.Column
	Attributes []*models.Column // the base relation's columns but the key
	// KeysFrom are the sources the keys come from, for an entity declared
	// with keys_from; its Rel is then the view <entity>_keys.
	KeysFrom []*KeySource
	Metrics  []*Metric // the profile's metrics (not series-only ones)
	Segments []*Segment
}

// Column returns the attribute or key column called name, or nil.
func (e *Entity) Column(name string) *models.Column {
	if e.Rel == nil {
		return nil
	}
	return e.Rel.Decl.Column(name)
}

// Metric is a checked metric.
type Metric struct {
	Decl   *models.Metric
	Entity *Entity
	Rel    *Relation // nil for a derived metric
	Type   models.Type
	// Value is an aggregate over the rows of Rel (columns qualified by
	// RowAlias) or, for a derived metric, an expression over profile
	// columns. Where it reads the evaluation date, it holds an AsOf hole.
	Value sqltree.Expr
	// Where is the row filter of an aggregate metric, or nil.
	Where sqltree.Expr
	// ZeroWhenEmpty is true for counts and sums: over no rows they are 0.
	ZeroWhenEmpty bool
	// Additive is true when the metric's values add up over entities to a
	// meaningful total: counts and sums, and sums, differences and
	// multiples of them (mrr * 12). Ratios, averages, minimums, scores and
	// dates do not add up.
	Additive bool
	Used     []string // profile columns a derived metric reads
	Level    int      // the profile layer that computes it; 0 for aggregates
	// Periodic is true for a derived metric that reads movements or
	// trailing averages: it exists only as a time series.
	Periodic bool
	// Series is the value over the period totals of a time series, for a
	// derived metric that a series reads: Total, PeriodValue and
	// TrailingAvg holes stand for what the series planner computes.
	Series     sqltree.Expr
	SeriesType models.Type
	// By are the segments the series is broken down by, with where each
	// was asked for.
	By       []*Segment
	ByRanges []hcl.Range
	// OverEntities says the value aggregates per-entity values over the
	// entities of the profile (avg(metric.tenure)): Value reads profile
	// columns, Used lists them, and the metric is Periodic (series only).
	OverEntities bool
	// AsOfOnly says the breakdowns are as of as_of alone, without
	// periods: the metric has no grain and its rows (or those of every
	// metric it reads) have no time to place them in periods.
	AsOfOnly bool
	// ByColumns are the columns the series is broken down by besides
	// segments: attributes of the entity, or columns of the metric's rows.
	ByColumns []ColumnBreakdown
	// ByCombinations are the breakdowns by several dimensions at once.
	ByCombinations []Combination
	Index          int // position in declaration order

	ok bool // false while, or when, the metric has errors
}

// IsBalance reports whether the metric's rows are validity intervals.
func (m *Metric) IsBalance() bool { return m.Decl.Valid != nil && m.Rel != nil }

// Segment is a checked segment.
type Segment struct {
	Decl   *models.Segment
	Entity *Entity
	Type   models.Type // boolean, or string for tiers
	// Rule is the membership: COALESCE(rule, FALSE) for a where rule, the
	// matching tier's name (or NULL) for tiers.
	Rule  sqltree.Expr
	Used  []string // profile columns the rule reads, in order of first use
	Level int
	Index int
	// History is the grain of the segment's membership history, its own
	// or the project's; "" when it has none. HistoryRange is where it was
	// asked for.
	History      models.Grain
	HistoryRange hcl.Range
	// FromSnapshots says the history reads the members `strata snapshot`
	// recorded rather than evaluating the rule on each period's last day.
	FromSnapshots bool
	// Contact are the columns a member is reached by: the segment's own
	// contact, else its entity's. Measured are the entity's metrics the
	// rule reads, in order of first use. Both are for its quality.
	Contact  []*models.Column
	Measured []string

	ok bool
}

// Labels are the values a breakdown by the segment has: its tiers, or
// member and non-member.
func (s *Segment) Labels() []string {
	if s.Type != models.TypeString {
		return []string{MemberLabel, NonMemberLabel}
	}
	var labels []string
	for _, t := range s.Decl.Tiers {
		labels = append(labels, t.Name)
	}
	return labels
}

// The labels of a breakdown by a segment with a where rule.
const (
	MemberLabel    = "member"
	NonMemberLabel = "non-member"
)

// Cohort is a checked cohort.
type Cohort struct {
	Decl       *models.Cohort
	Entity     *Entity
	Grain      models.Grain
	GrainRange hcl.Range // where the grain was asked for
	Split      *Segment  // the segment it is split by, or nil
	Measures   []*Metric
	// MeasureRanges are where each measure was named.
	MeasureRanges []hcl.Range
	Joined        Joined
	Active        Activity
}

// Joined says when an entity joined, in one of three ways.
type Joined struct {
	// Attribute is a date attribute of the entity (signed_up_at).
	Attribute *models.Column
	// Rows, with RowsWhere when given, is first(source.x [, condition]):
	// the first row of the entity.
	Rows      *Relation
	RowsWhere sqltree.Expr
	// Condition, reading the profile columns Used, is first(condition):
	// the first period at whose end the condition holds.
	Condition sqltree.Expr
	Used      []string
}

// Activity says whether a member was active in a period.
type Activity struct {
	// Rows, with RowsWhere when given, is event(source.x [, condition]):
	// active in a period with a row.
	Rows      *Relation
	RowsWhere sqltree.Expr
	// Condition, reading the profile columns Used, holds at the period's
	// end for an active member.
	Condition sqltree.Expr
	Used      []string
}

// RowAlias qualifies the columns of a metric's source rows in Value and
// Where.
const RowAlias = "s"

// The holes the checker leaves in expressions, filled by the planners.

// AsOf is the evaluation date moved by Days days and then Months months:
// as_of itself in the profile, each period's last day over time.
type AsOf struct {
	Days, Months int
	Range        hcl.Range // what asked for it, for a dialect lacking date arithmetic
}

// Total is a metric's total over all entities in a period of a series.
type Total struct{ Metric *Metric }

// PeriodValue is a column of a balance metric's movement summary in a
// period of a series: opening, new, ..., count_active, ...
type PeriodValue struct {
	Metric   *Metric
	Function string // as written: "churn", "count_active"
	Column   string // of the summary
	Range    hcl.Range
}

// ColumnBreakdown is a column a series is broken down by: an attribute
// of the entity (each entity under its value on the period's last day),
// or, OfRows, a column of the metric's own rows (each row under its
// value).
type ColumnBreakdown struct {
	Column *models.Column
	OfRows bool
	Range  hcl.Range
}

// Combination is a breakdown by several dimensions at once, in the
// order written: its view has a column per dimension, named after it.
type Combination struct {
	Dimensions []Dimension
	Range      hcl.Range
}

// Dimension is a segment (Segment set) or a column a breakdown groups by.
type Dimension struct {
	Segment *Segment
	Column  ColumnBreakdown
}

// Name is the dimension's column in its breakdown view: the segment's
// or the column's name.
func (d Dimension) Name() string {
	if d.Segment != nil {
		return d.Segment.Decl.Name
	}
	return d.Column.Column.Name
}

// EntityKey is the entity's key column where a rank is computed: the
// profile's own (Name), or a frame's key column, bound by the planner. It
// breaks ties in a fixed order, so a rank is the same on every engine.
type EntityKey struct{ Name string }

// TrailingAvg is the average of X over N periods that end Skip periods
// before the current one.
type TrailingAvg struct {
	X       sqltree.Expr
	N, Skip int
}
