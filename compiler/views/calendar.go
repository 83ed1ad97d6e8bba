package views

import (
	"strconv"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// Period arithmetic. A period is named by its first day; every period
// expression goes through these functions, so weeks and fiscal years start
// where the project says, and a dialect that cannot truncate to a grain is
// reported against the range that asked for it.

// periodStart is the first day of the period of grain g that contains x.
func (p *planner) periodStart(g models.Grain, x sqltree.Expr, rng hcl.Range) sqltree.Expr {
	s := p
	cal := p.m.Project.Calendar
	shifted := func(trunc string, days, months int) sqltree.Expr {
		if days != 0 {
			x = s.portable("add_days", rng, x, sqltree.Num(strconv.Itoa(-days)))
		}
		if months != 0 {
			x = s.portable("add_months", rng, x, sqltree.Num(strconv.Itoa(-months)))
		}
		start := s.portable(trunc, rng, x)
		if days != 0 {
			start = s.portable("add_days", rng, start, sqltree.Num(strconv.Itoa(days)))
		}
		if months != 0 {
			start = s.portable("add_months", rng, start, sqltree.Num(strconv.Itoa(months)))
		}
		return start
	}
	fiscalShift := int(cal.FiscalYearStart) - 1
	switch g {
	case models.GrainWeek:
		// trunc_week starts weeks on Monday; move the date so that the
		// project's first weekday lands on a Monday, truncate, move back.
		return shifted("trunc_week", (int(cal.WeekStart)+6)%7, 0)
	case models.GrainMonth:
		return shifted("trunc_month", 0, 0)
	case models.GrainQuarter:
		return shifted("trunc_quarter", 0, fiscalShift%3)
	case models.GrainYear:
		return shifted("trunc_year", 0, fiscalShift)
	}
	return sqltree.Cast{X: x, Type: sqltree.Date}
}

// nextPeriod is the first day of the period after the one starting on p.
func (p *planner) nextPeriod(g models.Grain, start sqltree.Expr, rng hcl.Range) sqltree.Expr {
	switch g {
	case models.GrainWeek:
		return p.portable("add_days", rng, start, sqltree.Num("7"))
	case models.GrainMonth:
		return p.portable("add_months", rng, start, sqltree.Num("1"))
	case models.GrainQuarter:
		return p.portable("add_months", rng, start, sqltree.Num("3"))
	case models.GrainYear:
		return p.portable("add_months", rng, start, sqltree.Num("12"))
	}
	return p.portable("add_days", rng, start, sqltree.Num("1"))
}

// grainSteps is each grain's step between period starts, and the most
// periods a spine of MaxSpanYears can have.
var grainSteps = map[models.Grain]struct {
	step    int
	unit    sqltree.DateUnit
	maxRows int
}{
	models.GrainDay:     {1, sqltree.Day, 366*MaxSpanYears + 1},
	models.GrainWeek:    {7, sqltree.Day, 53*MaxSpanYears + 1},
	models.GrainMonth:   {1, sqltree.Month, 12*MaxSpanYears + 1},
	models.GrainQuarter: {3, sqltree.Month, 4*MaxSpanYears + 1},
	models.GrainYear:    {1, sqltree.Year, MaxSpanYears + 1},
}

// Columns of a spine: one row per period, from the period of the first
// row read to the period that contains as_of.
const (
	spineCTE    = "strata_spine"
	spinePeriod = "period"      // first day
	spineNext   = "next_period" // first day of the next period
	spineAt     = "as_of"       // the period's last day, or as_of if earlier
	spineDone   = "complete"    // false for the period that contains as_of
	spineIndex  = "n"           // 0, 1, 2, ... in period order
)

// earliest is the earliest of several first days, skipping the NULL of a
// source without rows: MIN over their union. LEAST would do it in DuckDB,
// PostgreSQL, Spark and ClickHouse, but gives NULL for any NULL argument
// in Snowflake, BigQuery and Trino, which would drop every period before
// as_of's.
func earliest(firsts []sqltree.Expr) sqltree.Expr {
	const alias, column = "strata_firsts", "first_day"
	union := &sqltree.Select{Columns: []sqltree.SelectItem{{X: firsts[0], Alias: column}}, UnionAll: true}
	for _, f := range firsts[1:] {
		union.Union = append(union.Union, &sqltree.Select{Columns: []sqltree.SelectItem{{X: f, Alias: column}}})
	}
	return sqltree.Subquery{Query: &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "MIN", Args: []sqltree.Expr{sqltree.Column{Table: alias, Name: column}}}}},
		From:    sqltree.Derived{Query: union, Alias: alias},
	}}
}

// spine plans the spine of periods of grain g, from the period of the
// earliest of firsts (but no more than MaxSpanYears back) to the period
// of as_of.
func (p *planner) spine(g models.Grain, firsts []sqltree.Expr, rng hcl.Range) sqltree.CTE {
	asOf := p.date(check.AsOf{Range: p.m.Project.DeclRange}, binding{})
	// With no rows at all the series still has as_of's period.
	var first sqltree.Expr = asOf
	switch len(firsts) {
	case 0:
	case 1:
		first = sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{firsts[0], asOf}}
	default:
		first = sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{earliest(firsts), asOf}}
	}
	// However old the data, the spine starts at most MaxSpanYears before as_of.
	first = sqltree.Call{Name: "GREATEST", Args: []sqltree.Expr{first, p.date(check.AsOf{Months: -12 * MaxSpanYears, Range: rng}, binding{})}}
	const series = "strata_series"
	period := sqltree.Cast{X: sqltree.Column{Table: series, Name: "start"}, Type: sqltree.Date}
	next := p.nextPeriod(g, period, rng)
	dayAfterAsOf := p.date(check.AsOf{Days: 1, Range: rng}, binding{})
	step := grainSteps[g]
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: period, Alias: spinePeriod},
			{X: next, Alias: spineNext},
			{X: sqltree.Call{Name: "LEAST", Args: []sqltree.Expr{p.portable("add_days", rng, next, sqltree.Num("-1")), asOf}}, Alias: spineAt},
			{X: sqltree.Binary{Op: "<=", Left: next, Right: dayAfterAsOf}, Alias: spineDone},
			{X: sqltree.Binary{Op: "-", Left: sqltree.Window{Call: sqltree.Call{Name: "ROW_NUMBER"},
				OrderBy: []sqltree.OrderItem{{X: period}}}, Right: sqltree.Num("1")}, Alias: spineIndex},
		},
		From: sqltree.DateSeries{
			From:    p.periodStart(g, first, rng),
			Through: p.periodStart(g, asOf, rng),
			Step:    step.step, Unit: step.unit, MaxRows: step.maxRows,
			Alias: series, Column: "start",
		},
	}
	return sqltree.CTE{Name: spineCTE, Query: q}
}

// MaxSpanYears bounds every view over time: its periods start no earlier
// than this many years before as_of, however old the data, so that a far
// as_of or a stray old row cannot make a spine of millions of periods.
const MaxSpanYears = 100
