package views

import (
	"strconv"
	"time"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// A checked expression holds holes where its value depends on where it is
// planned; binding fills them. The same rule becomes a column of the
// profile (evaluated on as_of) or of the profile over time (on each
// period's last day, ranked within each period), and a derived metric's
// series reads the period totals the series planner computes.

// binding says where an expression is planned.
type binding struct {
	// at is the evaluation date: nil for as_of, else an expression (a
	// column of a frame or the spine) giving each row's date.
	at sqltree.Expr
	// atUsed, when set, is raised when a bound expression reads at.
	atUsed *bool
	// partition, when set, ranks entities within it (a frame's period)
	// instead of over all rows.
	partition []sqltree.Expr
	// series fills the holes of series expressions.
	series *seriesPlan
	// key, when set, is the entity's key column (a frame's), for the
	// tie-breaks of ranks; nil reads the key by its own name.
	key sqltree.Expr
}

// bind fills the holes of a checked expression.
func (p *planner) bind(e sqltree.Expr, b binding) sqltree.Expr {
	return sqltree.Rewrite(e, func(x sqltree.Expr) (sqltree.Expr, bool) {
		switch n := x.(type) {
		case sqltree.Hole:
			switch v := n.Value.(type) {
			case check.AsOf:
				return p.date(v, b), true
			case check.Total:
				return b.series.metricTotal(v.Metric), true
			case check.PeriodValue:
				return b.series.periodValue(v), true
			case check.TrailingAvg:
				return b.series.trailingAvg(p.bind(v.X, b), v.N, v.Skip), true
			case check.EntityKey:
				if b.key != nil {
					return b.key, true
				}
				return sqltree.Column{Name: v.Name}, true
			}
		case sqltree.Window:
			if b.partition == nil {
				return nil, false
			}
			// A rank over the entities of one period (percent_rank).
			w := n
			w.Call.Args = bindAll(p, n.Call.Args, b)
			w.OrderBy = append([]sqltree.OrderItem(nil), n.OrderBy...)
			for i := range w.OrderBy {
				w.OrderBy[i].X = p.bind(w.OrderBy[i].X, b)
			}
			w.PartitionBy = append(append([]sqltree.Expr(nil), b.partition...), bindAll(p, n.PartitionBy, b)...)
			return w, true
		}
		return nil, false
	})
}

func bindAll(p *planner, xs []sqltree.Expr, b binding) []sqltree.Expr {
	if xs == nil {
		return nil
	}
	out := make([]sqltree.Expr, len(xs))
	for i, x := range xs {
		out[i] = p.bind(x, b)
	}
	return out
}

// date is the evaluation date moved by v's days, then months. With a
// pinned as_of the date is computed here, so the SQL holds a plain date
// literal; a live as_of (CURRENT_DATE) and a frame's dates are moved by
// the dialect's date arithmetic.
func (p *planner) date(v check.AsOf, b binding) sqltree.Expr {
	var base sqltree.Expr
	switch {
	case b.at != nil:
		if b.atUsed != nil {
			*b.atUsed = true
		}
		base = b.at
	case !p.m.AsOf.IsZero():
		day := p.m.AsOf.AddDate(0, 0, v.Days)
		if v.Months != 0 {
			day = addMonths(day, v.Months)
		}
		return sqltree.Cast{X: sqltree.Str(day.Format(time.DateOnly)), Type: sqltree.Date}
	default:
		base = sqltree.Keyword{Word: "CURRENT_DATE"}
	}
	if v.Days != 0 {
		base = p.portable("add_days", v.Range, base, sqltree.Num(strconv.Itoa(v.Days)))
	}
	if v.Months != 0 {
		base = p.portable("add_months", v.Range, base, sqltree.Num(strconv.Itoa(v.Months)))
	}
	return base
}

// addMonths moves a date by n months, clamping to the month's last day as
// SQL engines do (2025-03-31 minus one month is 2025-02-28), where Go's
// AddDate would overflow into March.
func addMonths(day time.Time, n int) time.Time {
	first := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(day.Day(), last)-1)
}

// timeFilters keep the rows of metric m that count on the evaluation
// date: valid on that day for interval rows, else dated on or before it
// and, with a window, inside it.
func (p *planner) timeFilters(m *check.Metric, b binding) []sqltree.Expr {
	d, rel := m.Decl, m.Rel
	asOf := p.date(check.AsOf{Range: p.m.Project.DeclRange}, b)
	if d.Valid != nil {
		start := sqltree.Column{Table: check.RowAlias, Name: d.Valid.Start.Name}
		end := sqltree.Column{Table: check.RowAlias, Name: d.Valid.End.Name}
		// A timestamp column is compared with a timestamp (below too).
		startCol, endCol := rel.Decl.Column(d.Valid.Start.Name), rel.Decl.Column(d.Valid.End.Name)
		asOf := asTypeOf(startCol, asOf)
		endOf := asTypeOf(endCol, p.date(check.AsOf{Range: p.m.Project.DeclRange}, b))
		if b.at != nil {
			// Joined to many dates: two plain range conditions let the
			// engine use a range join instead of a nested loop.
			return []sqltree.Expr{
				sqltree.Binary{Op: "<=", Left: start, Right: asOf},
				sqltree.Binary{Op: ">", Left: openEnd(end, endCol), Right: endOf},
			}
		}
		return []sqltree.Expr{
			sqltree.Binary{Op: "<=", Left: start, Right: asOf},
			sqltree.Binary{Op: "OR", Left: sqltree.IsNull{X: end}, Right: sqltree.Binary{Op: ">", Left: end, Right: endOf}},
		}
	}
	if rel.Time == nil {
		return nil
	}
	t := sqltree.Column{Table: check.RowAlias, Name: rel.Time.Name}
	// Rows dated before the day after as_of: as_of is a whole day.
	filters := []sqltree.Expr{sqltree.Binary{Op: "<", Left: t, Right: asTypeOf(rel.Time, p.date(check.AsOf{Days: 1, Range: d.DeclRange}, b))}}
	if w := d.Window; w != nil {
		// The window is the last N units that end with as_of: "7 days" on
		// 2025-06-30 starts on 2025-06-24; "1 month" on 2025-06-01, (as_of
		// + 1 day) - 1 month.
		var start check.AsOf
		switch w.Unit {
		case "day":
			start = check.AsOf{Days: 1 - w.Count}
		case "week":
			start = check.AsOf{Days: 1 - 7*w.Count}
		case "month":
			start = check.AsOf{Days: 1, Months: -w.Count}
		case "year":
			start = check.AsOf{Days: 1, Months: -12 * w.Count}
		}
		start.Range = w.Range
		filters = append(filters, sqltree.Binary{Op: ">=", Left: t, Right: asTypeOf(rel.Time, p.date(start, b))})
	}
	return filters
}

// openEnd is the end of a [start, end) interval with a NULL end (still
// open) read as the far future, so that the end compares as a plain range.
func openEnd(end sqltree.Expr, col *models.Column) sqltree.Expr {
	return sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{end, asTypeOf(col, sqltree.Cast{X: sqltree.Str("9999-12-31"), Type: sqltree.Date})}}
}

// asTypeOf is a date as a value of a column's type, for comparing the
// two: a timestamp column is compared with the timestamp at the start of
// the day. Every engine would convert the date itself, but BigQuery
// refuses to compare a TIMESTAMP with a DATE.
func asTypeOf(col *models.Column, date sqltree.Expr) sqltree.Expr {
	if col == nil || col.Type != models.TypeTimestamp {
		return date
	}
	return sqltree.AtStartOfDay(date)
}
