package views

import (
	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// Balances of a metric that reads every row up to each period's end
// (no window, no validity) with MIN, MAX, COUNT or SUM: each row is
// aggregated once, in its own period, and the value runs on from period
// to period (a running MIN, MAX or SUM), instead of joining every row to
// every later period. last_seen = max(occurred_at) over 38M events and 24
// months is 38M aggregated rows this way, not some 450M.

// rowPeriod is the period of a row that counts from it on.
const rowPeriod = "strata_row_period"

// runningAggregates maps an aggregate to the window function that runs
// its per-period values on.
var runningAggregates = map[string]string{"MIN": "MIN", "MAX": "MAX", "COUNT": "SUM", "SUM": "SUM"}

// runningAggregate returns the aggregate of metric m's value when its
// balances can run on from period to period, else "".
func (sp *seriesPlan) runningAggregate(m *check.Metric) string {
	if m.Rel == nil || m.Rel.Time == nil || m.Decl.Window != nil || m.Decl.Valid != nil {
		return ""
	}
	value := m.Value
	if c, ok := value.(sqltree.Cast); ok {
		value = c.X
	}
	call, ok := value.(sqltree.Call)
	if !ok || call.Distinct || runningAggregates[call.Name] == "" {
		return ""
	}
	// Neither the value nor the filter may read the day itself
	// (count_if(days_since(x) > 3) changes with it).
	probe := sqltree.Column{Table: "strata_probe", Name: "day"}
	readsDay := func(e sqltree.Expr) bool {
		return e != nil && sqltree.Any(sp.p.bind(e, binding{at: probe}), func(x sqltree.Expr) bool {
			c, ok := x.(sqltree.Column)
			return ok && c.Table == probe.Table
		})
	}
	if readsDay(m.Value) || readsDay(m.Where) {
		return ""
	}
	return call.Name
}

// runningBalances plans balances (key, period, value, index, next) of m
// as running values: see above.
func (sp *seriesPlan) runningBalances(m *check.Metric, aggregate string) string {
	sp.noteFirst(m)
	// Every row up to as_of (the last period's day), each in its period;
	// a row before the spine (a century ago) counts in its first period.
	value, filters := sp.rowsAt(m, nil)
	key := sqltree.Column{Table: check.RowAlias, Name: m.Rel.EntityKey}
	firstPeriod := sqltree.Subquery{Query: &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "MIN", Args: []sqltree.Expr{sqltree.Column{Name: spinePeriod}}}}},
		From:    sqltree.Table{Path: []string{spineCTE}},
	}}
	period := sqltree.Call{Name: "GREATEST", Args: []sqltree.Expr{
		sp.p.periodStart(sp.grain, sqltree.Column{Table: check.RowAlias, Name: m.Rel.Time.Name}, sp.rng), firstPeriod}}
	// The rows with their period, under the rows' alias, so that the
	// value reads their columns as it would the table's; grouping by a
	// column, not by an expression with a subquery, which BigQuery's
	// analyser does not match to the select list.
	rows := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Star{Table: check.RowAlias}}, {X: period, Alias: rowPeriod}},
		From:    sqltree.Table{Path: m.Rel.Path, Alias: check.RowAlias},
		Where:   andAll(filters),
	}
	own := sp.add(sp.cteName("own"), &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: key, Alias: keyCol}, {X: col(check.RowAlias, rowPeriod), Alias: spinePeriod}, {X: value, Alias: valueCol}},
		From:    sqltree.Derived{Query: rows, Alias: check.RowAlias},
		GroupBy: []sqltree.Expr{key, col(check.RowAlias, rowPeriod)},
	})
	// Every period from the key's first on, its own value or none.
	firsts := sp.add(sp.cteName("firsts"), &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: keyCol}, Alias: keyCol},
			{X: sqltree.Call{Name: "MIN", Args: []sqltree.Expr{sqltree.Column{Name: spinePeriod}}}, Alias: "first_period"}},
		From:    sqltree.Table{Path: []string{own}},
		GroupBy: []sqltree.Expr{sqltree.Column{Name: keyCol}},
	})
	// Strings run on by their bytes, as min() and max() compare them.
	var ownValue sqltree.Expr = col("o", valueCol)
	if m.Type == models.TypeString {
		ownValue = sqltree.BinaryOrder{X: ownValue}
	}
	running := sqltree.Window{
		Call:        sqltree.Call{Name: runningAggregates[aggregate], Args: []sqltree.Expr{ownValue}},
		PartitionBy: []sqltree.Expr{col("k", keyCol)},
		OrderBy:     []sqltree.OrderItem{{X: col(seriesAlias, spinePeriod)}},
		Unbounded:   true,
	}
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: col("k", keyCol), Alias: keyCol},
			{X: col(seriesAlias, spinePeriod), Alias: spinePeriod},
			{X: castTo(running, m.Type), Alias: valueCol},
			{X: col(seriesAlias, spineIndex), Alias: spineIndex},
			{X: col(seriesAlias, spineNext), Alias: spineNext},
		},
		From: sqltree.Table{Path: []string{firsts}, Alias: "k"},
		Joins: []sqltree.Join{
			{Kind: "JOIN", Right: sqltree.Table{Path: []string{spineCTE}, Alias: seriesAlias},
				On: sqltree.Binary{Op: ">=", Left: col(seriesAlias, spinePeriod), Right: col("k", "first_period")}},
			{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{own}, Alias: "o"},
				On: and(eq(col("o", keyCol), col("k", keyCol)), eq(col("o", spinePeriod), col(seriesAlias, spinePeriod)))},
		},
	}
	return sp.add(sp.cteName("balance"), q)
}
