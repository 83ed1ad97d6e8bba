package compiler

import (
	"strconv"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// Period arithmetic. A period is named by its first day; every period
// expression goes through these functions, so weeks and fiscal years start
// where the project says, and a dialect that cannot truncate to a grain is
// reported against the range that asked for it.

// periodStart is the first day of the period of grain g that contains x.
func (c *checker) periodStart(g models.Grain, x sqltree.Expr, rng hcl.Range) sqltree.Expr {
	s := &scope{c: c}
	cal := c.project.Calendar
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
func (c *checker) nextPeriod(g models.Grain, p sqltree.Expr, rng hcl.Range) sqltree.Expr {
	s := &scope{c: c}
	switch g {
	case models.GrainWeek:
		return s.portable("add_days", rng, p, sqltree.Num("7"))
	case models.GrainMonth:
		return s.portable("add_months", rng, p, sqltree.Num("1"))
	case models.GrainQuarter:
		return s.portable("add_months", rng, p, sqltree.Num("3"))
	case models.GrainYear:
		return s.portable("add_months", rng, p, sqltree.Num("12"))
	}
	return s.portable("add_days", rng, p, sqltree.Num("1"))
}

var grainSteps = map[models.Grain]string{
	models.GrainDay:     "1 day",
	models.GrainWeek:    "7 days",
	models.GrainMonth:   "1 month",
	models.GrainQuarter: "3 months",
	models.GrainYear:    "1 year",
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

// spine plans the spine of periods of grain g, from the period of the
// earliest of firsts (but no more than MaxSpanYears back) to the period
// of as_of.
func (c *checker) spine(g models.Grain, firsts []sqltree.Expr, rng hcl.Range) sqltree.CTE {
	s := &scope{c: c}
	asOf := s.asOf()
	// With no rows at all the series still has as_of's period.
	var first sqltree.Expr = asOf
	switch len(firsts) {
	case 0:
	case 1:
		first = sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{firsts[0], asOf}}
	default:
		first = sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{sqltree.Call{Name: "LEAST", Args: firsts}, asOf}}
	}
	// However old the data, the spine starts at most MaxSpanYears before as_of.
	first = sqltree.Call{Name: "GREATEST", Args: []sqltree.Expr{first, s.asOfPlus(-12*MaxSpanYears, "month", rng)}}
	const series = "strata_series"
	period := sqltree.Cast{X: sqltree.Column{Table: series, Name: "start"}, Type: sqltree.Date}
	next := c.nextPeriod(g, period, rng)
	dayAfterAsOf := s.asOfPlus(1, "day", rng)
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: period, Alias: spinePeriod},
			{X: next, Alias: spineNext},
			{X: sqltree.Call{Name: "LEAST", Args: []sqltree.Expr{s.portable("add_days", rng, next, sqltree.Num("-1")), asOf}}, Alias: spineAt},
			{X: sqltree.Binary{Op: "<=", Left: next, Right: dayAfterAsOf}, Alias: spineDone},
			{X: sqltree.Binary{Op: "-", Left: sqltree.Window{Call: sqltree.Call{Name: "ROW_NUMBER"},
				OrderBy: []sqltree.OrderItem{{X: period}}}, Right: sqltree.Num("1")}, Alias: spineIndex},
		},
		From: sqltree.TableFunction{
			Name:   c.need("date_series", rng),
			Args:   []sqltree.Expr{c.periodStart(g, first, rng), c.periodStart(g, asOf, rng), sqltree.Str(grainSteps[g])},
			Alias:  series,
			Column: "start",
		},
	}
	return sqltree.CTE{Name: spineCTE, Query: q}
}

// grainOf is a declaration's grain and where it was written, or month
// and fallback when the declaration gives none.
func grainOf(spec *models.GrainSpec, fallback hcl.Range) (models.Grain, hcl.Range) {
	if spec == nil {
		return models.GrainMonth, fallback
	}
	return spec.Grain, spec.Range
}

// openEnd is the end of a [start, end) interval with a NULL end (still
// open) read as the far future, so that the end compares as a plain range.
func openEnd(end sqltree.Expr) sqltree.Expr {
	return sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{end, sqltree.Cast{X: sqltree.Str("9999-12-31"), Type: sqltree.Date}}}
}

// need records that the plan uses a dialect's portable function at rng and
// returns its name.
func (c *checker) need(function string, rng hcl.Range) string {
	c.features = append(c.features, featureUse{function: function, rng: rng})
	return function
}
