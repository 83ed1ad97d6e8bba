package models

import (
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Grain is the length of the periods of a time series or a cohort.
type Grain string

const (
	GrainDay     Grain = "day"
	GrainWeek    Grain = "week"
	GrainMonth   Grain = "month"
	GrainQuarter Grain = "quarter"
	GrainYear    Grain = "year"
)

// Grains lists the grains the language accepts, shortest first.
var Grains = []Grain{GrainDay, GrainWeek, GrainMonth, GrainQuarter, GrainYear}

// GrainSpec is a grain as written, with where it was written.
type GrainSpec struct {
	Grain Grain
	Range hcl.Range
}

// Calendar says where weeks and fiscal years start.
type Calendar struct {
	WeekStart       time.Weekday // Monday unless the project says otherwise
	FiscalYearStart time.Month   // January unless the project says otherwise
}

// Cohort groups entities by the period they joined in and follows each
// group period by period.
type Cohort struct {
	Name        string
	Description string
	Of          Ref
	// Joined dates each entity's joining: an attribute (signed_up_at),
	// first(source.x [, condition]) or first(<condition over metrics>).
	Joined hcl.Expression
	Grain  *GrainSpec // month when absent
	// Periods is how many periods after the joining one are followed.
	Periods      int
	PeriodsRange hcl.Range
	// Active says whether a member was active in a period: a condition at
	// the period's end (metric.mrr > 0) or event(source.x [, condition]).
	Active hcl.Expression
	// Retention is "on" (active in that period) or "on_or_after" (active
	// in that period or any later one).
	Retention      string
	RetentionRange hcl.Range
	Measures       []Ref // metrics summed over the members, per period
	By             Ref   // an optional segment to split the cohorts by
	Materialized   Choice
	DeclRange      hcl.Range
}

// Retention modes of a cohort.
const (
	RetentionOn        = "on"
	RetentionOnOrAfter = "on_or_after"
)

// DefaultCalendar has weeks starting on Monday (ISO 8601) and fiscal years
// on January 1.
var DefaultCalendar = Calendar{WeekStart: time.Monday, FiscalYearStart: time.January}
