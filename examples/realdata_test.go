package examples_test

// Strata's time series, MRR movements and cohorts, built on real public
// datasets (../../shared/datasets, beside the checkout; never copied into
// the repository) and compared row by row with SQL written here by hand.
// The hand-written SQL is a different formulation from the generated SQL:
// dense entity x period grids with LAG instead of a FULL JOIN of balances,
// "the plan in force on the day" instead of intervals from LEAD, the
// classic first-purchase cohort query instead of Strata's members table.
// Each project is also built on PostgreSQL, where every view must hold the
// same rows as on DuckDB.

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/dbtest"
)

// dataset returns the absolute path of a file of the shared datasets. It
// skips the test when the folder is missing, except under CI.
func dataset(t *testing.T, rel string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "shared", "datasets"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		dbtest.Missing(t, fmt.Sprintf("no real datasets at %s (../shared beside the repository)", dir))
	}
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("dataset file: %v", err)
	}
	return path
}

// realProject is a Strata project written by a test into a temporary
// directory and planned for one as_of day.
type realProject struct {
	dir      string
	plan     *compiler.Plan
	warnings hcl.Diagnostics
}

// hclPath quotes a path as an HCL string.
func hclPath(p string) string { return strconv.Quote(filepath.ToSlash(p)) }

func newRealProject(t *testing.T, asOf, hcl string) realProject {
	t.Helper()
	dir := t.TempDir()
	src := []byte(`project "realdata" {
  schema = "analytics"
}
` + hcl)
	if err := os.WriteFile(filepath.Join(dir, "project.hcl"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	_, plan, diags := compiler.Load([]compiler.File{{Name: "project.hcl", Bytes: src}}, compiler.Options{AsOf: compiler.MustAsOf(asOf)})
	if plan == nil || diags.HasErrors() {
		t.Fatalf("the project is invalid: %v", diags)
	}
	return realProject{dir: dir, plan: plan, warnings: diags}
}

// duckDB builds the project on a fresh in-memory DuckDB.
func (p realProject) duckDB(t *testing.T) engine.Warehouse {
	t.Helper()
	db, err := engine.OpenDuckDB("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	build(t, context.Background(), db, p.dir, p.plan, "duckdb")
	return db
}

// sameRowsOnPostgres builds the project on PostgreSQL and on DuckDB and
// compares every view. It skips without a PostgreSQL server (not on CI).
func (p realProject) sameRowsOnPostgres(t *testing.T) {
	t.Helper()
	dsn := dbtest.Postgres(t)
	ctx := context.Background()
	pg, err := engine.OpenPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	build(t, ctx, pg, p.dir, p.plan, "postgres")
	duck := p.duckDB(t)
	var compared []string
	for _, o := range p.plan.Outputs {
		q := `SELECT * FROM "analytics"."` + o.Name + `"`
		want := query(t, duck, q)
		got := query(t, pg, q)
		if len(want.Values) == 0 {
			t.Errorf("%s is empty on DuckDB: the comparison would prove nothing", o.Name)
		}
		if compareRows(t, o.Name+" (PostgreSQL vs DuckDB)", got, want) {
			compared = append(compared, fmt.Sprintf("%s %d", o.Name, len(got.Values)))
		}
	}
	t.Logf("same rows on PostgreSQL and DuckDB: %s", strings.Join(compared, ", "))
}

func query(t *testing.T, wh engine.Warehouse, sql string) *engine.Rows {
	t.Helper()
	rows, err := wh.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("%v\nin:\n%s", err, sql)
	}
	return rows
}

// check is one comparison of a Strata view with SQL written by hand.
type check struct {
	name    string
	strata  string // a query of Strata's views
	byHand  string // the same columns, from the raw tables only
	minRows int    // fewer rows would make the comparison weak
}

func (c check) run(t *testing.T, wh engine.Warehouse) {
	t.Helper()
	got := query(t, wh, c.strata)
	want := query(t, wh, c.byHand)
	if len(got.Values) < c.minRows {
		t.Errorf("%s: only %d rows from Strata; the data should give at least %d", c.name, len(got.Values), c.minRows)
	}
	if compareRows(t, c.name, got, want) {
		t.Logf("%s: %d rows equal", c.name, len(got.Values))
	}
}

// compareRows compares two results as multisets of rows: numbers within a
// relative 1e-9 (integers and doubles alike), everything else exactly. It
// reports the first mismatching rows and returns whether they were equal.
func compareRows(t reporter, name string, got, want *engine.Rows) bool {
	t.Helper()
	if len(got.Columns) != len(want.Columns) {
		t.Errorf("%s: %d columns %v, want %d %v", name, len(got.Columns), got.Columns, len(want.Columns), want.Columns)
		return false
	}
	g, w := sortedRows(got.Values), sortedRows(want.Values)
	var diffs []string
	for i := 0; i < len(g) || i < len(w); i++ {
		switch {
		case i >= len(g):
			diffs = append(diffs, fmt.Sprintf("row %d: missing; want %s", i, renderRow(w[i])))
		case i >= len(w):
			diffs = append(diffs, fmt.Sprintf("row %d: extra %s", i, renderRow(g[i])))
		case !rowsEqual(g[i], w[i]):
			diffs = append(diffs, fmt.Sprintf("row %d:\n    got  %s\n    want %s", i, renderRow(g[i]), renderRow(w[i])))
		}
		if len(diffs) == 8 {
			break
		}
	}
	if len(diffs) == 0 {
		return true
	}
	t.Errorf("%s: %d rows, want %d (columns %s); first differences (rows sorted):\n  %s",
		name, len(g), len(w), strings.Join(got.Columns, " | "), strings.Join(diffs, "\n  "))
	return false
}

type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// silent is a reporter that reports nothing.
type silent struct{}

func (silent) Helper()               {}
func (silent) Errorf(string, ...any) {}

func sortedRows(values [][]any) [][]any {
	out := append([][]any(nil), values...)
	keys := make(map[int]string, len(out))
	idx := make([]int, len(out))
	for i := range out {
		idx[i] = i
		keys[i] = renderRow(out[i])
	}
	sort.SliceStable(idx, func(a, b int) bool { return keys[idx[a]] < keys[idx[b]] })
	sorted := make([][]any, len(out))
	for i, j := range idx {
		sorted[i] = out[j]
	}
	return sorted
}

// renderRow renders a row for sorting and messages: numbers to 9
// significant digits (so that rows equal within the tolerance sort alike),
// integers zero-padded so that they sort numerically.
func renderRow(r []any) string {
	cells := make([]string, len(r))
	for i, v := range r {
		if f, ok := number(v); ok {
			switch {
			case f == math.Trunc(f) && math.Abs(f) < 1e15 && f >= 0:
				cells[i] = fmt.Sprintf("%016.0f", f)
			case f == math.Trunc(f) && math.Abs(f) < 1e15:
				cells[i] = fmt.Sprintf("-%016.0f", -f)
			default:
				cells[i] = strconv.FormatFloat(f, 'g', 9, 64)
			}
			continue
		}
		cells[i] = renderValue(v)
	}
	return strings.Join(cells, " | ")
}

func renderValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return strconv.Quote(x)
	case []byte:
		return strconv.Quote(string(x))
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.Format("2006-01-02 15:04:05.999999")
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

// number converts the numeric types that DuckDB and pgx return.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case int16:
		return float64(x), true
	case int8:
		return float64(x), true
	case int:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint32:
		return float64(x), true
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, true
	case interface{ Float64() float64 }: // duckdb.Decimal
		return x.Float64(), true
	}
	return 0, false
}

func rowsEqual(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		fa, okA := number(a[i])
		fb, okB := number(b[i])
		if okA && okB {
			if fa != fb && math.Abs(fa-fb) > 1e-9*math.Max(math.Abs(fa), math.Abs(fb)) {
				return false
			}
			continue
		}
		if okA != okB || renderValue(a[i]) != renderValue(b[i]) {
			return false
		}
	}
	return true
}

// queryInt runs a query that returns one integer.
func queryInt(t *testing.T, wh engine.Warehouse, sql string) int64 {
	t.Helper()
	rows := query(t, wh, sql)
	if len(rows.Values) != 1 || len(rows.Values[0]) != 1 {
		t.Fatalf("want one value from:\n%s", sql)
	}
	f, ok := number(rows.Values[0][0])
	if !ok {
		t.Fatalf("not a number: %v", rows.Values[0][0])
	}
	return int64(f)
}

func timed(t *testing.T, name string) func() {
	start := time.Now()
	return func() { t.Logf("%s took %v", name, time.Since(start).Round(time.Millisecond)) }
}

// ---------------------------------------------------------------------
// 1. dbt's MRR playbook: subscription periods [start_date, end_date)

func mrrPlaybookProject(t *testing.T, asOf string) realProject {
	csv := dataset(t, "mrr-playbook/subscription_periods.csv")
	return newRealProject(t, asOf, `
source "subscription_periods" {
  table       = "raw.subscription_periods"
  file        = `+hclPath(csv)+`
  primary_key = subscription_id
  entity      = customer

  column "subscription_id" { type = integer }
  column "customer_id"     { type = integer }
  column "start_date"      { type = date }
  column "end_date"        { type = date }
  column "monthly_amount"  { type = number }
}

# The dataset has no customer table.
model "customers" {
  sql = "SELECT DISTINCT customer_id FROM ${source.subscription_periods}"
  column "customer_id" { type = integer }
}

entity "customer" {
  source = model.customers
  key    = customer_id
}

metric "mrr" {
  from      = source.subscription_periods
  value     = sum(monthly_amount)
  valid     = [start_date, end_date]
  grain     = month
  movements = true
}

metric "customer_churn_rate" {
  value = count_churned(metric.mrr) / count_opening(metric.mrr)
}
`)
}

// mrrGrid is hand-written SQL (DuckDB) for a dense customer x month grid:
// each customer's MRR on each month's last day (as_of for the month in
// progress), the previous month's by LAG, whether it was positive at an
// earlier month end, and the movement it makes. Months run from the first
// start date's month to as_of's.
func mrrGrid(asOf, rawRows string) string {
	return `WITH RECURSIVE months(m) AS (
	    SELECT CAST(date_trunc('month', MIN(start_date)) AS DATE) FROM ` + rawRows + `
	    UNION ALL
	    SELECT CAST(m + INTERVAL 1 MONTH AS DATE) FROM months WHERE m < date_trunc('month', DATE '` + asOf + `')
	  ),
	  days AS (
	    SELECT m, LEAST(CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), DATE '` + asOf + `') AS d FROM months
	  ),
	  grid AS (
	    SELECT c.customer_id, days.m, days.d,
	           (SELECT coalesce(sum(r.monthly_amount), 0) FROM ` + rawRows + ` r
	             WHERE r.customer_id = c.customer_id AND r.start_date <= days.d
	               AND (r.end_date IS NULL OR days.d < r.end_date)) AS cur
	    FROM (SELECT DISTINCT customer_id FROM ` + rawRows + `) c CROSS JOIN days
	  ),
	  lagged AS (
	    SELECT *,
	           coalesce(LAG(cur) OVER (PARTITION BY customer_id ORDER BY m), 0) AS prev,
	           coalesce(bool_or(cur > 0) OVER (PARTITION BY customer_id ORDER BY m
	                                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS paid_before
	    FROM grid
	  ),
	  moves AS (
	    SELECT customer_id, m, prev, cur, cur - prev AS amount,
	           CASE WHEN prev <= 0 AND cur > 0 AND NOT paid_before THEN 'new'
	                WHEN prev <= 0 AND cur > 0 THEN 'reactivation'
	                WHEN prev > 0 AND cur <= 0 THEN 'churn'
	                WHEN cur > prev THEN 'expansion'
	                WHEN cur < prev THEN 'contraction'
	           END AS movement
	    FROM lagged
	  )`
}

// mrrChecks compares metric_mrr, the movements and their summary, and the
// customer churn rate with the grid.
func mrrChecks(asOf, rawRows string) []check {
	grid := mrrGrid(asOf, rawRows)
	return []check{
		{
			name:   "metric_mrr: sum of the periods valid on each month's last day",
			strata: `SELECT period, value FROM analytics.metric_mrr`,
			// Not from the grid: a join of month ends with the rows.
			byHand: grid + `
			  SELECT days.m, coalesce(sum(r.monthly_amount), 0)
			  FROM days LEFT JOIN ` + rawRows + ` r
			    ON days.d BETWEEN r.start_date AND coalesce(r.end_date, DATE '9999-12-31') - 1
			  GROUP BY days.m`,
			minRows: 12,
		},
		{
			name:    "mrr_movements: one row per customer and month that moved",
			strata:  `SELECT period, customer_id, movement, amount FROM analytics.mrr_movements`,
			byHand:  grid + ` SELECT m, customer_id, movement, amount FROM moves WHERE movement IS NOT NULL`,
			minRows: 20,
		},
		{
			name: "mrr_movements_summary: opening, movements and closing per month",
			strata: `SELECT period, opening, new, expansion, contraction, churn, reactivation, closing
			         FROM analytics.mrr_movements_summary`,
			byHand: grid + `
			  SELECT m, sum(prev),
			         sum(CASE WHEN movement = 'new' THEN amount ELSE 0 END),
			         sum(CASE WHEN movement = 'expansion' THEN amount ELSE 0 END),
			         sum(CASE WHEN movement = 'contraction' THEN amount ELSE 0 END),
			         sum(CASE WHEN movement = 'churn' THEN amount ELSE 0 END),
			         sum(CASE WHEN movement = 'reactivation' THEN amount ELSE 0 END),
			         sum(cur)
			  FROM moves GROUP BY m`,
			minRows: 12,
		},
		{
			name:   "customer_churn_rate: churned customers over customers paying at the month's start",
			strata: `SELECT period, value FROM analytics.metric_customer_churn_rate`,
			byHand: grid + `
			  SELECT m, CASE WHEN count(*) FILTER (WHERE prev > 0) = 0 THEN NULL
			                 ELSE CAST(count(*) FILTER (WHERE movement = 'churn') AS DOUBLE)
			                      / count(*) FILTER (WHERE prev > 0) END
			  FROM moves GROUP BY m`,
			minRows: 12,
		},
	}
}

// movementInvariants checks, on Strata's views alone, that the summary
// adds up, that closing is metric_mrr and opening the previous closing,
// and that every kind of movement occurs (or the checks would be weak).
func movementInvariants(t *testing.T, wh engine.Warehouse, metric string, kinds []string) {
	t.Helper()
	if n := queryInt(t, wh, `SELECT count(*) FROM analytics.`+metric+`_movements_summary
	    WHERE abs(opening + new + expansion + contraction + churn + reactivation - closing) > 1e-9 * greatest(1, abs(closing))`); n != 0 {
		t.Errorf("%d periods where opening + movements != closing", n)
	}
	if n := queryInt(t, wh, `SELECT count(*) FROM analytics.`+metric+`_movements_summary s
	    FULL JOIN analytics.metric_`+metric+` m ON m.period = s.period
	    WHERE s.period IS NULL OR m.period IS NULL OR abs(s.closing - m.value) > 1e-9 * greatest(1, abs(m.value))`); n != 0 {
		t.Errorf("%d periods where closing != metric_%s.value (or a period missing from one)", n, metric)
	}
	if n := queryInt(t, wh, `SELECT count(*) FROM (
	      SELECT opening, LAG(closing) OVER (ORDER BY period) AS previous_closing,
	             ROW_NUMBER() OVER (ORDER BY period) AS n
	      FROM analytics.`+metric+`_movements_summary) x
	    WHERE (n = 1 AND opening <> 0) OR (n > 1 AND abs(opening - previous_closing) > 1e-9 * greatest(1, abs(opening)))`); n != 0 {
		t.Errorf("%d periods whose opening is not the previous closing", n)
	}
	if n := queryInt(t, wh, `SELECT count(*) FROM analytics.`+metric+`_movements m
	    JOIN analytics.`+metric+`_movements_summary s ON s.period = m.period`); n == 0 {
		t.Errorf("no movements")
	}
	for _, k := range kinds {
		if n := queryInt(t, wh, `SELECT count(*) FROM analytics.`+metric+`_movements WHERE movement = '`+k+`'`); n == 0 {
			t.Errorf("no %s movement: the comparison is weak", k)
		}
	}
}

// ledgerInvariants checks <metric>_movements_summary_by_<segment>: each
// row balances; summed over the segment's labels every column equals
// the overall <metric>_movements_summary (moved in and out cancel); each
// label's closing equals metric_<metric>_by_<segment>, planned apart;
// with moves, some value moved between labels.
func ledgerInvariants(t *testing.T, wh engine.Warehouse, metric, segment string, moves bool) {
	t.Helper()
	ledger := "analytics." + metric + "_movements_summary_by_" + segment
	if n := queryInt(t, wh, `SELECT count(*) FROM `+ledger+`
	    WHERE abs(opening + new + expansion + contraction + churn + reactivation + moved_in + moved_out - closing) > 1e-9 * greatest(1, abs(closing))`); n != 0 {
		t.Errorf("%s: %d rows where opening + movements + moves != closing", ledger, n)
	}
	if n := queryInt(t, wh, `SELECT count(*) FROM analytics.`+metric+`_movements_summary s
	    FULL JOIN (SELECT period, sum(opening) AS opening, sum(new) AS new, sum(expansion) AS expansion, sum(contraction) AS contraction,
	                      sum(churn) AS churn, sum(reactivation) AS reactivation, sum(moved_in + moved_out) AS moved, sum(closing) AS closing
	               FROM `+ledger+` GROUP BY period) l ON l.period = s.period
	    WHERE (s.opening + s.new + s.expansion + s.contraction + s.churn + s.reactivation + s.closing <> 0 AND l.period IS NULL)
	       OR abs(coalesce(l.opening, 0) - s.opening) > 1e-9 OR abs(coalesce(l.new, 0) - s.new) > 1e-9
	       OR abs(coalesce(l.expansion, 0) - s.expansion) > 1e-9 OR abs(coalesce(l.contraction, 0) - s.contraction) > 1e-9
	       OR abs(coalesce(l.churn, 0) - s.churn) > 1e-9 OR abs(coalesce(l.reactivation, 0) - s.reactivation) > 1e-9
	       OR abs(coalesce(l.moved, 0)) > 1e-9 OR abs(coalesce(l.closing, 0) - s.closing) > 1e-9`); n != 0 {
		t.Errorf("%s: %d periods whose sums over the labels differ from %s_movements_summary", ledger, n, metric)
	}
	if n := queryInt(t, wh, `SELECT count(*) FROM analytics.metric_`+metric+`_by_`+segment+` b
	    LEFT JOIN `+ledger+` l ON l.period = b.period AND l.segment = b.segment
	    WHERE abs(coalesce(l.closing, 0) - b.value) > 1e-9 * greatest(1, abs(b.value))`); n != 0 {
		t.Errorf("%s: %d labels and periods whose closing differs from metric_%s_by_%s", ledger, n, metric, segment)
	}
	if n := queryInt(t, wh, `SELECT count(*) FROM `+ledger+` WHERE moved_in > 0`); moves && n == 0 {
		t.Errorf("%s: nothing moved between labels: the check is weak", ledger)
	}
}

func TestRealDataMRRPlaybook(t *testing.T) {
	// The periods run from 2017-09 to 2020-02 (all ended by 2020-02-01),
	// every date on the first of a month. On 2019-06-01 one period of
	// customer 1 ends and the next starts: the end is exclusive. 2020-02-15
	// is after the last end.
	for _, asOf := range []string{"2019-06-01", "2020-02-15"} {
		t.Run(asOf, func(t *testing.T) {
			defer timed(t, "mrr-playbook "+asOf)()
			p := mrrPlaybookProject(t, asOf)
			t.Run("hand-written SQL", func(t *testing.T) {
				wh := p.duckDB(t)
				for _, c := range mrrChecks(asOf, "raw.subscription_periods") {
					c.run(t, wh)
				}
				movementInvariants(t, wh, "mrr", []string{"new", "expansion", "contraction", "churn", "reactivation"})
			})
			t.Run("PostgreSQL", p.sameRowsOnPostgres)
		})
	}
}

// ---------------------------------------------------------------------
// 2. Foodie-Fi: plan changes (customer_id, plan_id, start_date)

func foodieFiProject(t *testing.T, asOf string) realProject {
	subs := dataset(t, "foodie-fi/subscriptions.csv")
	plans := dataset(t, "foodie-fi/plans.csv") // CRLF line ends; churn has no price
	return newRealProject(t, asOf, `
source "subscriptions" {
  table  = "raw.foodie_subscriptions"
  file   = `+hclPath(subs)+`
  entity = customer

  column "customer_id" { type = integer }
  column "plan_id"     { type = integer }
  column "start_date"  { type = date }
}

source "plans" {
  table       = "raw.foodie_plans"
  file        = `+hclPath(plans)+`
  primary_key = plan_id

  column "plan_id"   { type = integer }
  column "plan_name" { type = string }
  column "price"     { type = number }
}

# Each plan runs until the customer's next change; the churn plan (4) ends
# the subscription; the annual plan (3) is 199 a year.
model "plan_periods" {
  entity = customer
  sql    = <<-SQL
    SELECT customer_id, plan_id, start_date, end_date, monthly_amount
    FROM (
      SELECT s.customer_id, s.plan_id, s.start_date,
             LEAD(s.start_date) OVER (PARTITION BY s.customer_id ORDER BY s.start_date) AS end_date,
             CASE WHEN s.plan_id = 3 THEN p.price / 12 ELSE p.price END AS monthly_amount
      FROM ${source.subscriptions} s
      JOIN ${source.plans} p ON p.plan_id = s.plan_id
    ) periods
    WHERE plan_id <> 4
  SQL
  column "customer_id"    { type = integer }
  column "plan_id"        { type = integer }
  column "start_date"     { type = date }
  column "end_date"       { type = date }
  column "monthly_amount" { type = number }
}

# The dataset has no contact details: an email, missing for every
# seventh customer, lets the quality view count contactable members.
model "customers" {
  sql = "SELECT DISTINCT customer_id, CASE WHEN customer_id % 7 <> 0 THEN 'c' || CAST(customer_id AS VARCHAR) || '@example.com' END AS email FROM ${source.subscriptions}"
  column "customer_id" { type = integer }
  column "email"       { type = string }
}

entity "customer" {
  source  = model.customers
  key     = customer_id
  contact = [email]
}

metric "mrr" {
  from      = model.plan_periods
  value     = sum(monthly_amount)
  valid     = [start_date, end_date]
  grain     = month
  movements = true
  by        = [segment.plan_tier, segment.paying]
}

metric "customer_churn_rate" {
  value = count_churned(metric.mrr) / count_opening(metric.mrr)
  by    = [segment.plan_tier]
}

metric "paying_customers" {
  value = count_active(metric.mrr)
}

metric "net_revenue_retention" {
  value = (opening(metric.mrr) + expansion(metric.mrr) + contraction(metric.mrr) + churn(metric.mrr)) / opening(metric.mrr)
  by    = [segment.plan_tier]
}

# Membership month by month: pro monthly is 19.90, pro annual 199 a year
# (16.58 a month), basic 9.90, the trial 0.
segment "paying" {
  where   = metric.mrr > 0
  history = month
}

segment "plan_tier" {
  tier "pro" { where = metric.mrr >= 15 }
  tier "basic" { where = metric.mrr > 0 }
  history  = month
  min_size = 300
}
`)
}

// foodieDaily is hand-written SQL (DuckDB) for the same customer x month
// grid as mrrGrid, without intervals: a customer's MRR on a day is the
// price of the latest plan change on or before it (0 for the trial and
// after churn, whose price is blank).
func foodieDaily(asOf string) string {
	return `WITH RECURSIVE months(m) AS (
	    SELECT CAST(date_trunc('month', MIN(start_date)) AS DATE) FROM raw.foodie_subscriptions
	    UNION ALL
	    SELECT CAST(m + INTERVAL 1 MONTH AS DATE) FROM months WHERE m < date_trunc('month', DATE '` + asOf + `')
	  ),
	  days AS (
	    SELECT m, LEAST(CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), DATE '` + asOf + `') AS d FROM months
	  ),
	  grid AS (
	    SELECT c.customer_id, days.m,
	           coalesce((SELECT CASE s.plan_id WHEN 3 THEN p.price / 12 ELSE p.price END
	                     FROM raw.foodie_subscriptions s JOIN raw.foodie_plans p USING (plan_id)
	                     WHERE s.customer_id = c.customer_id AND s.start_date <= days.d
	                     ORDER BY s.start_date DESC LIMIT 1), 0) AS cur
	    FROM (SELECT DISTINCT customer_id FROM raw.foodie_subscriptions) c CROSS JOIN days
	  ),
	  lagged AS (
	    SELECT *,
	           coalesce(LAG(cur) OVER w, 0) AS prev,
	           coalesce(max(cur) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) > 0 AS paid_before
	    FROM grid WINDOW w AS (PARTITION BY customer_id ORDER BY m)
	  ),
	  moves AS (
	    SELECT customer_id, m, prev, cur, cur - prev AS amount,
	           CASE WHEN prev <= 0 AND cur > 0 THEN CASE WHEN paid_before THEN 'reactivation' ELSE 'new' END
	                WHEN prev > 0 AND cur <= 0 THEN 'churn'
	                WHEN cur > prev THEN 'expansion'
	                WHEN cur < prev THEN 'contraction'
	           END AS movement
	    FROM lagged
	  )`
}

func TestRealDataFoodieFi(t *testing.T) {
	// Plan changes run from 2020-01-01 to 2021-04-30.
	for _, asOf := range []string{"2020-12-15", "2021-04-30"} {
		t.Run(asOf, func(t *testing.T) {
			defer timed(t, "foodie-fi "+asOf)()
			p := foodieFiProject(t, asOf)
			t.Run("hand-written SQL", func(t *testing.T) {
				wh := p.duckDB(t)
				g := foodieDaily(asOf)
				checks := []check{
					{
						name:    "metric_mrr",
						strata:  `SELECT period, value FROM analytics.metric_mrr`,
						byHand:  g + ` SELECT m, sum(cur) FROM grid GROUP BY m`,
						minRows: 12,
					},
					{
						name:    "mrr_movements",
						strata:  `SELECT period, customer_id, movement, amount FROM analytics.mrr_movements`,
						byHand:  g + ` SELECT m, customer_id, movement, amount FROM moves WHERE movement IS NOT NULL`,
						minRows: 500,
					},
					{
						name: "mrr_movements_summary",
						strata: `SELECT period, opening, new, expansion, contraction, churn, reactivation, closing
						         FROM analytics.mrr_movements_summary`,
						byHand: g + `
						  SELECT m, sum(prev),
						         coalesce(sum(amount) FILTER (WHERE movement = 'new'), 0),
						         coalesce(sum(amount) FILTER (WHERE movement = 'expansion'), 0),
						         coalesce(sum(amount) FILTER (WHERE movement = 'contraction'), 0),
						         coalesce(sum(amount) FILTER (WHERE movement = 'churn'), 0),
						         coalesce(sum(amount) FILTER (WHERE movement = 'reactivation'), 0),
						         sum(cur)
						  FROM moves GROUP BY m`,
						minRows: 12,
					},
					{
						name:   "customer_churn_rate",
						strata: `SELECT period, value FROM analytics.metric_customer_churn_rate`,
						byHand: g + `
						  SELECT m, count(*) FILTER (WHERE prev > 0 AND cur <= 0) / nullif(count(*) FILTER (WHERE prev > 0), 0)
						  FROM moves GROUP BY m`,
						minRows: 12,
					},
					{
						name:    "paying_customers (count_active)",
						strata:  `SELECT period, value FROM analytics.metric_paying_customers`,
						byHand:  g + ` SELECT m, count(*) FILTER (WHERE cur > 0) FROM grid GROUP BY m`,
						minRows: 12,
					},
					{
						name:   "net_revenue_retention",
						strata: `SELECT period, value FROM analytics.metric_net_revenue_retention`,
						byHand: g + `
						  SELECT m, sum(CASE WHEN prev > 0 THEN cur ELSE 0 END) / nullif(sum(prev), 0)
						  FROM moves GROUP BY m`,
						minRows: 12,
					},
				}
				for _, c := range checks {
					c.run(t, wh)
				}
				// Segment history, from the same grid: members at each month's
				// end, and changes as the movements name them (new or
				// reactivation enters, churn exits) or as the tier differs
				// from the month before.
				tiers := g + `, tiers AS (
				    SELECT customer_id, m, CASE WHEN cur >= 15 THEN 'pro' WHEN cur > 0 THEN 'basic' END AS tier FROM grid
				  ),
				  steps AS (
				    SELECT *, LAG(tier) OVER (PARTITION BY customer_id ORDER BY m) AS before FROM tiers
				  )`
				for _, c := range []check{
					{
						name:    "segment_paying_history",
						strata:  `SELECT period, customer_id FROM analytics.segment_paying_history`,
						byHand:  g + ` SELECT m, customer_id FROM grid WHERE cur > 0`,
						minRows: 1000,
					},
					{
						name:   "segment_paying_changes",
						strata: `SELECT period, customer_id, change FROM analytics.segment_paying_changes`,
						byHand: g + ` SELECT m, customer_id, CASE movement WHEN 'churn' THEN 'exited' ELSE 'entered' END
						              FROM moves WHERE movement IN ('new', 'reactivation', 'churn')`,
						minRows: 500,
					},
					{
						name:    "segment_plan_tier_history",
						strata:  `SELECT period, customer_id, tier FROM analytics.segment_plan_tier_history`,
						byHand:  tiers + ` SELECT m, customer_id, tier FROM tiers WHERE tier IS NOT NULL`,
						minRows: 1000,
					},
					{
						name:   "segment_plan_tier_changes",
						strata: `SELECT period, customer_id, change, from_tier, to_tier FROM analytics.segment_plan_tier_changes`,
						byHand: tiers + ` SELECT m, customer_id,
						                   CASE WHEN before IS NULL THEN 'entered' WHEN tier IS NULL THEN 'exited' ELSE 'moved' END,
						                   before, tier
						            FROM steps WHERE tier IS DISTINCT FROM before`,
						minRows: 500,
					},
					{
						// Quality from the same tiers: the run of months in
						// is counted back to the last month out, by
						// correlated subqueries rather than windows.
						name: "segment_plan_tier_quality",
						strata: `SELECT segment, period, members, share, entered, exited, retained, median_periods_in, measured, contactable, too_small
						         FROM analytics.segment_quality WHERE segment = 'plan_tier'`,
						byHand: tiers + `, runs AS (
						    SELECT s.customer_id, s.m,
						           (SELECT count(*) FROM steps x
						            WHERE x.customer_id = s.customer_id AND x.m <= s.m
						              AND x.m > coalesce((SELECT max(y.m) FROM steps y
						                                  WHERE y.customer_id = s.customer_id AND y.m <= s.m AND y.tier IS NULL), DATE '1900-01-01')) AS run
						    FROM steps s WHERE s.tier IS NOT NULL
						  ),
						  medians AS (SELECT m, median(run) AS median_run FROM runs GROUP BY m)
						  SELECT 'plan_tier', s.m, count(s.tier),
						         count(s.tier) / count(*),
						         count(*) FILTER (WHERE s.tier IS NOT NULL AND s.before IS NULL),
						         count(*) FILTER (WHERE s.tier IS NULL AND s.before IS NOT NULL),
						         count(*) FILTER (WHERE s.tier IS NOT NULL AND s.before IS NOT NULL) / nullif(count(s.before), 0),
						         any_value(md.median_run),
						         CASE WHEN count(s.tier) > 0 THEN 1.0 END,
						         count(*) FILTER (WHERE s.tier IS NOT NULL AND s.customer_id % 7 <> 0) / nullif(count(s.tier), 0),
						         count(s.tier) < 300
						  FROM steps s LEFT JOIN medians md ON md.m = s.m
						  GROUP BY s.m`,
						minRows: 12,
					},
				} {
					c.run(t, wh)
				}
				// Nobody comes back after churning in this dataset: no reactivation.
				movementInvariants(t, wh, "mrr", []string{"new", "expansion", "contraction", "churn"})
				// Rates by tier: of the customers in a tier at the end of the
				// month before, how many churned and how much revenue stayed.
				for _, c := range []check{
					{
						name:   "customer_churn_rate by plan_tier",
						strata: `SELECT period, segment, value FROM analytics.metric_customer_churn_rate_by_plan_tier`,
						byHand: tiers + ` , labelled AS (SELECT m.*, s.before AS tier_before FROM moves m JOIN steps s USING (customer_id, m))
						  SELECT l.m, t.tier,
						         count(*) FILTER (WHERE l.tier_before = t.tier AND l.prev > 0 AND l.cur <= 0)
						           / nullif(count(*) FILTER (WHERE l.tier_before = t.tier AND l.prev > 0), 0)
						  FROM labelled l CROSS JOIN (VALUES ('pro'), ('basic')) t(tier)
						  GROUP BY l.m, t.tier`,
						minRows: 24,
					},
					{
						name:   "net_revenue_retention by plan_tier",
						strata: `SELECT period, segment, value FROM analytics.metric_net_revenue_retention_by_plan_tier`,
						byHand: tiers + ` , labelled AS (SELECT m.*, s.before AS tier_before FROM moves m JOIN steps s USING (customer_id, m))
						  SELECT l.m, t.tier,
						         sum(CASE WHEN l.tier_before = t.tier AND l.prev > 0 THEN l.cur ELSE 0 END)
						           / nullif(sum(CASE WHEN l.tier_before = t.tier AND l.prev > 0 THEN l.prev ELSE 0 END), 0)
						  FROM labelled l CROSS JOIN (VALUES ('pro'), ('basic')) t(tier)
						  GROUP BY l.m, t.tier`,
						minRows: 24,
					},
				} {
					c.run(t, wh)
				}
				// Upgrades move customers from basic to pro.
				ledgerInvariants(t, wh, "mrr", "plan_tier", true)
				ledgerInvariants(t, wh, "mrr", "paying", false)
			})
			t.Run("PostgreSQL", p.sameRowsOnPostgres)
		})
	}
}

// TestRealDataFoodieFiVersions reads foodie-fi's plan changes as versions
// of the customer (valid = [valid_from, valid_to] on the entity's model,
// the shape of a dbt snapshot): the profile takes the version of as_of,
// and a segment on the plan attribute has a monthly history that reads
// each month's version, checked against hand-written SQL that finds the
// latest plan change on or before each month's last day.
func TestRealDataFoodieFiVersions(t *testing.T) {
	subs := dataset(t, "foodie-fi/subscriptions.csv")
	for _, asOf := range []string{"2020-12-15", "2021-04-30"} {
		t.Run(asOf, func(t *testing.T) {
			p := newRealProject(t, asOf, `
source "subscriptions" {
  table = "raw.foodie_subscriptions"
  file  = `+hclPath(subs)+`

  column "customer_id" { type = integer }
  column "plan_id"     { type = integer }
  column "start_date"  { type = date }
}

# Each plan change is a version of the customer, valid until the next.
model "customer_versions" {
  sql   = "SELECT customer_id, plan_id, start_date AS valid_from, LEAD(start_date) OVER (PARTITION BY customer_id ORDER BY start_date) AS valid_to FROM ${source.subscriptions}"
  valid = [valid_from, valid_to]

  column "customer_id" { type = integer }
  column "plan_id"     { type = integer }
  column "valid_from"  { type = date }
  column "valid_to"    { type = date }
}

entity "customer" {
  source = model.customer_versions
  key    = customer_id
}

segment "on_pro" {
  where   = plan_id == 2 || plan_id == 3
  history = month
}
`)
			if len(p.warnings) > 0 {
				t.Errorf("a history over versions warned: %v", p.warnings)
			}
			wh := p.duckDB(t)
			grid := `WITH RECURSIVE months(m) AS (
			    SELECT CAST(date_trunc('month', MIN(start_date)) AS DATE) FROM raw.foodie_subscriptions
			    UNION ALL
			    SELECT CAST(m + INTERVAL 1 MONTH AS DATE) FROM months WHERE m < date_trunc('month', DATE '` + asOf + `')
			  ),
			  days AS (SELECT m, LEAST(CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), DATE '` + asOf + `') AS d FROM months),
			  grid AS (
			    SELECT c.customer_id, days.m, days.d,
			           (SELECT s.plan_id FROM raw.foodie_subscriptions s
			            WHERE s.customer_id = c.customer_id AND s.start_date <= days.d
			            ORDER BY s.start_date DESC LIMIT 1) AS plan_id
			    FROM (SELECT DISTINCT customer_id FROM raw.foodie_subscriptions) c CROSS JOIN days
			  )`
			for _, c := range []check{
				{
					name:    "customer_profile: the version of as_of",
					strata:  `SELECT customer_id, plan_id, on_pro FROM analytics.customer_profile`,
					byHand:  grid + ` SELECT customer_id, plan_id, plan_id IN (2, 3) FROM grid WHERE m = date_trunc('month', DATE '` + asOf + `') AND plan_id IS NOT NULL`,
					minRows: 900,
				},
				{
					name:    "segment_on_pro_history: each month's version",
					strata:  `SELECT period, customer_id FROM analytics.segment_on_pro_history`,
					byHand:  grid + ` SELECT m, customer_id FROM grid WHERE plan_id IN (2, 3)`,
					minRows: 1000,
				},
			} {
				c.run(t, wh)
			}
			t.Run("PostgreSQL", p.sameRowsOnPostgres)
		})
	}
}

// ---------------------------------------------------------------------
// 3. Online retail: monthly cohorts of first purchase

func onlineRetailProject(t *testing.T, asOf string) realProject {
	csv := dataset(t, "online-retail-cohorts/online_cohorts.csv") // 277 blank CustomerIDs
	return newRealProject(t, asOf, `
source "purchases" {
  table      = "raw.online_cohorts"
  file       = `+hclPath(csv)+`
  entity     = customer
  entity_key = CustomerID
  time       = InvoiceDate

  column "CustomerID"  { type = integer }
  column "InvoiceDate" { type = date }
}

# Purchases of known customers: a blank CustomerID is nobody.
model "known_purchases" {
  entity     = customer
  entity_key = CustomerID
  time       = InvoiceDate
  sql        = "SELECT \"CustomerID\", \"InvoiceDate\" FROM ${source.purchases} WHERE \"CustomerID\" IS NOT NULL"

  column "CustomerID"  { type = integer }
  column "InvoiceDate" { type = date }
}

model "customers" {
  sql = "SELECT DISTINCT \"CustomerID\" AS customer_id FROM ${model.known_purchases}"
  column "customer_id" { type = integer }
}

entity "customer" {
  source = model.customers
  key    = customer_id
}

cohort "buyers" {
  joined  = first(model.known_purchases)
  active  = event(model.known_purchases)
  grain   = month
  periods = 12
}

cohort "buyers_on_or_after" {
  joined    = first(model.known_purchases)
  active    = event(model.known_purchases)
  grain     = month
  periods   = 12
  retention = "on_or_after"
}

# The same cohort straight from the file, blank CustomerIDs included.
cohort "buyers_from_file" {
  joined  = first(source.purchases)
  active  = event(source.purchases)
  grain   = month
  periods = 12
}
`)
}

// cohortByHand is the classic cohort query (DuckDB): each member's first
// purchase period, the periods since it in which they bought, counted per
// cohort and period; "on or after" counts members whose last purchase is
// in that period or later. unit is month or day; rows is a query giving
// id, ts and any column that joinedWhere and activeWhere read.
func cohortByHand(asOf, unit, rows, joinedWhere, activeWhere string, periods int, onOrAfter bool) string {
	trunc := `CAST(date_trunc('` + unit + `', ts) AS DATE)`
	// the start of period k of a cohort, its end (exclusive), and the
	// number of periods from a cohort's to a later period
	start := func(cohort, k string) string {
		return `CAST(` + cohort + ` + to_months(CAST(` + k + ` AS INTEGER)) AS DATE)`
	}
	since := func(cohort, period string) string { return `datediff('month', ` + cohort + `, ` + period + `)` }
	if unit == "day" {
		start = func(cohort, k string) string { return `CAST(` + cohort + ` + CAST(` + k + ` AS INTEGER) AS DATE)` }
		since = func(cohort, period string) string { return `(` + period + ` - ` + cohort + `)` }
	}
	ks := `range(0, ` + strconv.Itoa(periods+1) + `) ks(k)`
	activity := `SELECT f.cohort, ` + since("f.cohort", "a.period") + ` AS k, count(DISTINCT a.id) AS n
	    FROM firsts f JOIN act a ON a.id = f.id AND a.period >= f.cohort GROUP BY 1, 2`
	if onOrAfter {
		activity = `SELECT f.cohort, ks.k, count(*) AS n
	    FROM firsts f JOIN (SELECT id, max(period) AS last_period FROM act GROUP BY id) l ON l.id = f.id
	    JOIN ` + ks + ` ON ` + since("f.cohort", "l.last_period") + ` >= ks.k
	    GROUP BY 1, 2`
	}
	return `WITH raw_rows AS (
	    SELECT * FROM (` + rows + `) r WHERE id IS NOT NULL AND CAST(ts AS DATE) <= DATE '` + asOf + `'
	  ),
	  firsts AS (
	    SELECT id, min(` + trunc + `) AS cohort FROM raw_rows WHERE ` + joinedWhere + ` GROUP BY id
	  ),
	  act AS (
	    SELECT DISTINCT id, ` + trunc + ` AS period FROM raw_rows WHERE ` + activeWhere + `
	  ),
	  sizes AS (SELECT cohort, count(*) AS cohort_size FROM firsts GROUP BY cohort),
	  activity AS (` + activity + `),
	  cells AS (SELECT s.cohort, ks.k, s.cohort_size FROM sizes s CROSS JOIN ` + ks + `)
	SELECT c.cohort, c.k,
	       ` + start("c.cohort", "c.k + 1") + ` <= DATE '` + asOf + `' + 1 AS complete,
	       c.cohort_size, coalesce(a.n, 0),
	       coalesce(a.n, 0) / c.cohort_size
	FROM cells c LEFT JOIN activity a ON a.cohort = c.cohort AND a.k = c.k
	WHERE ` + start("c.cohort", "c.k") + ` <= DATE '` + asOf + `'`
}

const cohortColumns = `SELECT cohort, period, complete, cohort_size, active, retention FROM analytics.`

func TestRealDataOnlineRetailCohorts(t *testing.T) {
	// Purchases run from 2010-12-01 to 2011-12-09.
	for _, asOf := range []string{"2011-06-20", "2011-12-09"} {
		t.Run(asOf, func(t *testing.T) {
			defer timed(t, "online retail "+asOf)()
			p := onlineRetailProject(t, asOf)
			rows := `SELECT "CustomerID" AS id, "InvoiceDate" AS ts FROM raw.online_cohorts`
			t.Run("hand-written SQL", func(t *testing.T) {
				wh := p.duckDB(t)
				for _, c := range []check{
					{
						name:    "cohort_buyers (on)",
						strata:  cohortColumns + `cohort_buyers`,
						byHand:  cohortByHand(asOf, "month", rows, "true", "true", 12, false),
						minRows: 20,
					},
					{
						name:    "cohort_buyers_on_or_after",
						strata:  cohortColumns + `cohort_buyers_on_or_after`,
						byHand:  cohortByHand(asOf, "month", rows, "true", "true", 12, true),
						minRows: 20,
					},
				} {
					c.run(t, wh)
				}
				// Each customer with a purchase is in exactly one cohort.
				if got, want := queryInt(t, wh, `SELECT sum(cohort_size) FROM analytics.cohort_buyers WHERE period = 0`),
					queryInt(t, wh, `SELECT count(DISTINCT "CustomerID") FROM raw.online_cohorts WHERE "InvoiceDate" <= DATE '`+asOf+`'`); got != want {
					t.Errorf("cohort sizes add up to %d, not the %d customers with a purchase", got, want)
				}
			})
			t.Run("blank CustomerID is no member", func(t *testing.T) {
				wh := p.duckDB(t)
				c := check{
					name:   "cohort_buyers_from_file (source with blank CustomerIDs)",
					strata: cohortColumns + `cohort_buyers_from_file`,
					byHand: cohortByHand(asOf, "month", rows, "true", "true", 12, false),
				}
				// Rows without a key belong to no customer: no phantom member.
				got := query(t, wh, c.strata)
				compareRows(t, c.name, got, query(t, wh, c.byHand))
			})
			t.Run("PostgreSQL", p.sameRowsOnPostgres)
		})
	}
}

// ---------------------------------------------------------------------
// 4. A game launch: daily cohorts of players

func gameLaunchProject(t *testing.T, asOf string) realProject {
	csv := dataset(t, "gamelaunch/gamelaunch.csv")
	return newRealProject(t, asOf, `
source "events" {
  table      = "raw.gamelaunch"
  file       = `+hclPath(csv)+`
  entity     = player
  entity_key = userid
  time       = eventDate

  column "userid"    { type = string }
  column "eventDate" { type = timestamp }
  column "eventName" { type = string }
}

model "players" {
  sql = "SELECT DISTINCT userid FROM ${source.events}"
  column "userid" { type = string }
}

entity "player" {
  source = model.players
  key    = userid
}

cohort "players" {
  joined  = first(source.events)
  active  = event(source.events)
  grain   = day
  periods = 14
}

# 27 players have events before their newPlayer event (or none): those
# events do not count, and players without one are in no cohort.
cohort "new_players" {
  joined    = first(source.events, eventName == "newPlayer")
  active    = event(source.events, eventName == "gameStarted")
  grain     = day
  periods   = 14
  retention = "on_or_after"
}
`)
}

func TestRealDataGameLaunchCohorts(t *testing.T) {
	// Events run from 2016-04-27 to 2016-05-27.
	for _, asOf := range []string{"2016-05-10", "2016-05-27"} {
		t.Run(asOf, func(t *testing.T) {
			defer timed(t, "gamelaunch "+asOf)()
			p := gameLaunchProject(t, asOf)
			t.Run("hand-written SQL", func(t *testing.T) {
				wh := p.duckDB(t)
				rows := `SELECT userid AS id, "eventDate" AS ts, "eventName" AS name FROM raw.gamelaunch`
				for _, c := range []check{
					{
						name:    "cohort_players (on)",
						strata:  cohortColumns + `cohort_players`,
						byHand:  cohortByHand(asOf, "day", rows, "true", "true", 14, false),
						minRows: 100,
					},
					{
						name:    "cohort_new_players (on or after; newPlayer joins, gameStarted is active)",
						strata:  cohortColumns + `cohort_new_players`,
						byHand:  cohortByHand(asOf, "day", rows, "name = 'newPlayer'", "name = 'gameStarted'", 14, true),
						minRows: 100,
					},
				} {
					c.run(t, wh)
				}
			})
			t.Run("PostgreSQL", p.sameRowsOnPostgres)
		})
	}
}

// TestRealDataTelcoChurnByContract breaks the telecom customers' churn
// rate down by contract type, a dataset with no dates at all: the
// breakdowns are as of as_of (no period), and equal the published
// figures (42.7% month-to-month, 11.3% one year, 2.8% two year, 26.5%
// overall) and a GROUP BY written by hand. TotalCharges, whose 11 blank
// cells are a single space, is declared as text.
func TestRealDataTelcoChurnByContract(t *testing.T) {
	csv := dataset(t, "telco-churn/Telco-Customer-Churn.csv")
	columns := []string{"customerID", "gender", "SeniorCitizen", "Partner", "Dependents", "tenure", "PhoneService", "MultipleLines",
		"InternetService", "OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV", "StreamingMovies",
		"Contract", "PaperlessBilling", "PaymentMethod", "MonthlyCharges", "TotalCharges", "Churn"}
	var decl strings.Builder
	for _, c := range columns {
		typ := "string"
		switch c {
		case "SeniorCitizen", "tenure":
			typ = "integer"
		case "MonthlyCharges":
			typ = "number"
		}
		fmt.Fprintf(&decl, "  column %q { type = %s }\n", c, typ)
	}
	p := newRealProject(t, "2024-01-31", `
source "telco" {
  table       = "raw.telco"
  file        = `+hclPath(csv)+`
  primary_key = customerID
`+decl.String()+`}

entity "customer" {
  source = source.telco
  key    = customerID
}

metric "customers" {
  from  = source.telco
  value = count()
}

metric "churned" {
  from  = source.telco
  value = count_if(Churn == "Yes")
}

metric "churn_rate" {
  value = metric.churned / metric.customers
  by    = [Contract, InternetService]
}

# Mean tenure of churned against retained customers: an aggregate over
# the customers of an attribute of each.
metric "mean_tenure" {
  value = avg(tenure)
  by    = [Churn]
}

# The median monthly charge per contract type.
metric "median_monthly_charge" {
  value = median(MonthlyCharges)
  by    = [Contract]
}
`)
	wh := p.duckDB(t)
	rate := `CAST(count(CASE WHEN "Churn" = 'Yes' THEN 1 END) AS DOUBLE) / count(*)`
	for _, c := range []check{
		{name: "churn rate by contract", minRows: 3,
			strata: `SELECT "Contract", value FROM analytics.metric_churn_rate_by_Contract`,
			byHand: `SELECT "Contract", ` + rate + ` FROM raw.telco GROUP BY 1`},
		{name: "churn rate by internet service", minRows: 3,
			strata: `SELECT "InternetService", value FROM analytics.metric_churn_rate_by_InternetService`,
			byHand: `SELECT "InternetService", ` + rate + ` FROM raw.telco GROUP BY 1`},
		{name: "churn rate", minRows: 1,
			strata: `SELECT value FROM analytics.metric_churn_rate`,
			byHand: `SELECT ` + rate + ` FROM raw.telco`},
		{name: "mean tenure by churn", minRows: 2,
			strata: `SELECT "Churn", value FROM analytics.metric_mean_tenure_by_Churn`,
			byHand: `SELECT "Churn", avg(tenure) FROM raw.telco GROUP BY 1`},
		{name: "median monthly charge by contract", minRows: 3,
			strata: `SELECT "Contract", value FROM analytics.metric_median_monthly_charge_by_Contract`,
			byHand: `SELECT "Contract", quantile_cont("MonthlyCharges", 0.5) FROM raw.telco GROUP BY 1`},
	} {
		c.run(t, wh)
	}
	telcoPublishedFigures(t, wh)
	p.sameRowsOnPostgres(t)
}

// telcoPublishedFigures checks the figures IBM's telco sample is known
// for: churn of 42.7% (month to month), 11.3% (one year) and 2.8% (two
// years), and a mean tenure of 17.98 months for the customers who left
// against 37.57 for those who stayed.
func telcoPublishedFigures(t *testing.T, wh engine.Warehouse) {
	t.Helper()
	published := map[string]string{"Month-to-month": "0.427", "One year": "0.113", "Two year": "0.028"}
	for _, r := range query(t, wh, `SELECT "Contract", value FROM analytics.metric_churn_rate_by_Contract`).Values {
		if got := fmt.Sprintf("%.3f", r[1]); got != published[fmt.Sprint(r[0])] {
			t.Errorf("churn rate of %v contracts: %s, published %s", r[0], got, published[fmt.Sprint(r[0])])
		}
	}
	for _, r := range query(t, wh, `SELECT "Churn", value FROM analytics.metric_mean_tenure_by_Churn`).Values {
		want := map[string]string{"Yes": "17.98", "No": "37.57"}[fmt.Sprint(r[0])]
		if got := fmt.Sprintf("%.2f", r[1]); got != want {
			t.Errorf("mean tenure of Churn = %v: %s, published %s", r[0], got, want)
		}
	}
}

// TestRealDataFoodieFiPlanChangesByPlan counts the streaming service's
// plan changes month by month by plan in one metric: a breakdown by a
// column of the metric's own rows (plan_id), against a GROUP BY by hand.
func TestRealDataFoodieFiPlanChangesByPlan(t *testing.T) {
	subs := dataset(t, "foodie-fi/subscriptions.csv")
	const asOf = "2021-04-30"
	p := newRealProject(t, asOf, `
source "subscriptions" {
  table  = "raw.foodie_subscriptions"
  file   = `+hclPath(subs)+`
  entity = customer
  time   = start_date

  column "customer_id" { type = integer }
  column "plan_id"     { type = integer }
  column "start_date"  { type = date }
}

model "customers" {
  sql = "SELECT DISTINCT customer_id FROM ${source.subscriptions}"
  column "customer_id" { type = integer }
}

entity "customer" {
  source = model.customers
  key    = customer_id
}

metric "plan_changes" {
  from  = source.subscriptions
  value = count()
  grain = month
  by    = [plan_id]
}
`)
	wh := p.duckDB(t)
	check{name: "plan changes by month and plan", minRows: 60,
		strata: `SELECT period, plan_id, value FROM analytics.metric_plan_changes_by_plan_id WHERE value > 0`,
		byHand: `SELECT CAST(date_trunc('month', start_date) AS DATE), plan_id, count(*) FROM raw.foodie_subscriptions
		  WHERE start_date <= DATE '` + asOf + `' GROUP BY 1, 2`,
	}.run(t, wh)
	// Every row has a plan, so the plans add up to the metric.
	check{name: "plans add up to plan_changes", minRows: 12,
		strata: `SELECT period, sum(value) FROM analytics.metric_plan_changes_by_plan_id GROUP BY 1`,
		byHand: `SELECT period, value FROM analytics.metric_plan_changes`,
	}.run(t, wh)
	p.sameRowsOnPostgres(t)
}

// TestRealDataFoodieFiFirstAndLastPlans answers two of the case study's
// questions with first() and last(): the plan each customer took right
// after the free trial (published, over all the data: basic monthly 546,
// pro monthly 325, pro annual 37, churn 92 of 1,000), and each customer's
// plan on 31 December 2020 (published: trial 19, basic monthly 224, pro
// monthly 326, pro annual 195, churn 236). Both equal SQL written by hand
// with ROW_NUMBER, customer by customer, as of either day, and the same
// rows on PostgreSQL. The customers are made from the subscriptions'
// keys (keys_from), as the data has no table of them.
func TestRealDataFoodieFiFirstAndLastPlans(t *testing.T) {
	subs := dataset(t, "foodie-fi/subscriptions.csv")
	published := map[string]struct {
		column string
		counts map[string]int64
	}{
		"2020-12-31": {"plan_now", map[string]int64{"0": 19, "1": 224, "2": 326, "3": 195, "4": 236}},
		"2021-04-30": {"plan_after_trial", map[string]int64{"1": 546, "2": 325, "3": 37, "4": 92}}, // the data's last day
	}
	for _, asOf := range []string{"2020-12-31", "2021-04-30"} {
		t.Run(asOf, func(t *testing.T) {
			p := newRealProject(t, asOf, `
source "subscriptions" {
  table  = "raw.foodie_subscriptions"
  file   = `+hclPath(subs)+`
  entity = customer
  time   = start_date

  column "customer_id" { type = integer }
  column "plan_id"     { type = integer }
  column "start_date"  { type = date }
}

# No table of customers: every customer_id in the subscriptions.
entity "customer" {
  key       = customer_id
  keys_from = [source.subscriptions]
}

metric "plan_after_trial" {
  from  = source.subscriptions
  where = plan_id != 0
  value = first(plan_id, start_date)
}

metric "plan_now" {
  from  = source.subscriptions
  value = last(plan_id, start_date)
}
`)
			wh := p.duckDB(t)
			// The rows up to as_of count: the source's time is start_date.
			inOrder := func(order, where string) string {
				return `SELECT customer_id, plan_id FROM (
				  SELECT customer_id, plan_id, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY start_date ` + order + `, plan_id ` + order + `) AS n
				  FROM raw.foodie_subscriptions WHERE start_date <= DATE '` + asOf + `' AND plan_id IS NOT NULL AND ` + where + `) WHERE n = 1`
			}
			check{name: "plan after the trial, customer by customer", minRows: 900,
				strata: `SELECT customer_id, plan_after_trial FROM analytics.customer_profile WHERE plan_after_trial IS NOT NULL`,
				byHand: inOrder("ASC", "plan_id <> 0"),
			}.run(t, wh)
			check{name: "plan as of " + asOf + ", customer by customer", minRows: 1000,
				strata: `SELECT customer_id, plan_now FROM analytics.customer_profile`,
				byHand: inOrder("DESC", "TRUE"),
			}.run(t, wh)

			want := published[asOf]
			got := map[string]int64{}
			for _, r := range query(t, wh, `SELECT `+want.column+`, count(*) FROM analytics.customer_profile GROUP BY 1`).Values {
				got[fmt.Sprint(r[0])] = r[1].(int64)
			}
			for plan, n := range want.counts {
				if got[plan] != n {
					t.Errorf("%s = %s as of %s: %d customers, published %d", want.column, plan, asOf, got[plan], n)
				}
			}
			p.sameRowsOnPostgres(t)
		})
	}
}

// TestRealDataJaffleShopPaymentsThroughOrders reads the dbt demo shop's
// payments per customer with no join written: payments name their order,
// orders their customer (through = source.orders). Each customer's
// lifetime value, payment count and value by payment method equal the
// join of payments, orders and customers written by hand (what dbt's
// customers model computes), and every view the same on PostgreSQL. The
// payments' own id would clash with the customers' key, id: the key
// joins them as customer_id.
func TestRealDataJaffleShopPaymentsThroughOrders(t *testing.T) {
	customers := dataset(t, "jaffle_shop/raw_customers.csv")
	orders := dataset(t, "jaffle_shop/raw_orders.csv")
	payments := dataset(t, "jaffle_shop/raw_payments.csv")
	p := newRealProject(t, "2018-04-09", `
source "customers" {
  table       = "raw.jaffle_customers"
  file        = `+hclPath(customers)+`
  primary_key = id
  column "id"         { type = integer }
  column "first_name" { type = string }
  column "last_name"  { type = string }
}

source "orders" {
  table       = "raw.jaffle_orders"
  file        = `+hclPath(orders)+`
  primary_key = id
  entity      = customer
  entity_key  = user_id
  time        = order_date
  column "id"         { type = integer }
  column "user_id"    { type = integer }
  column "order_date" { type = date }
  column "status"     { type = string }
}

# Amounts in cents; payments name their order.
source "payments" {
  table       = "raw.jaffle_payments"
  file        = `+hclPath(payments)+`
  primary_key = id
  through     = source.orders
  foreign_key = order_id
  column "id"             { type = integer }
  column "order_id"       { type = integer }
  column "payment_method" { type = string }
  column "amount"         { type = integer }
}

entity "customer" {
  source = source.customers
  key    = id
}

metric "lifetime_value" {
  from  = source.payments
  value = sum(amount) / 100
}

metric "payments" {
  from  = source.payments
  value = count()
}

metric "paid_by_card" {
  from  = source.payments
  where = payment_method == "credit_card"
  value = sum(amount)
}
`)
	wh := p.duckDB(t)
	check{name: "lifetime value and payments per customer", minRows: 60,
		strata: `SELECT id, lifetime_value, payments, paid_by_card FROM analytics.customer_profile WHERE payments > 0`,
		byHand: `SELECT c.id, sum(p.amount) / 100.0, count(*), coalesce(sum(CASE WHEN p.payment_method = 'credit_card' THEN p.amount END), 0)
		  FROM raw.jaffle_payments p JOIN raw.jaffle_orders o ON o.id = p.order_id JOIN raw.jaffle_customers c ON c.id = o.user_id
		  GROUP BY c.id`,
	}.run(t, wh)
	if got, want := queryInt(t, wh, `SELECT count(*) FROM analytics.payments_with_customer`),
		queryInt(t, wh, `SELECT count(*) FROM raw.jaffle_payments`); got != want {
		t.Errorf("payments_with_customer has %d rows, the payments %d: the relationship fanned out or lost rows", got, want)
	}
	p.sameRowsOnPostgres(t)
}

// TestRealDataCDNOWAsItComes loads the CDNOW music store's purchases as
// published: whitespace-separated columns with leading spaces, CRLF line
// ends, dates written YYYYMMDD and customer ids with leading zeros, read
// by a format block with no conversion by hand. The 69,659 purchases of
// 23,570 customers load (the figures the dataset is known for), and each
// customer's spend and first purchase equal what Go reads from the file
// itself, line by line.
func TestRealDataCDNOWAsItComes(t *testing.T) {
	file := dataset(t, "cdnow/CDNOW_master.txt")
	p := newRealProject(t, "1998-06-30", `
source "purchases" {
  table = "raw.cdnow"
  file  = `+hclPath(file)+`
  time  = date
  format {
    delimiter   = "whitespace"
    date_format = "%Y%m%d"
  }
  column "customer_id"   { type = string }
  column "date"          { type = date }
  column "number_of_cds" { type = integer }
  column "dollar_value"  { type = number }
}

entity "customer" {
  key       = customer_id
  keys_from = [source.purchases]
}

metric "spend" {
  from  = source.purchases
  value = sum(dollar_value)
}
`)
	wh := p.duckDB(t)
	if got := queryInt(t, wh, `SELECT count(*) FROM raw.cdnow`); got != 69659 {
		t.Errorf("%d purchases loaded, published 69,659", got)
	}
	if got := queryInt(t, wh, `SELECT count(*) FROM analytics.customer_profile`); got != 23570 {
		t.Errorf("%d customers, published 23,570", got)
	}
	// The file read by Go, independently of DuckDB's reader.
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	spend, first := map[string]float64{}, map[string]string{}
	for i, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if i == 0 || len(f) == 0 {
			continue
		}
		v, err := strconv.ParseFloat(f[3], 64)
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		spend[f[0]] += v
		day := f[1][:4] + "-" + f[1][4:6] + "-" + f[1][6:]
		if first[f[0]] == "" || day < first[f[0]] {
			first[f[0]] = day
		}
	}
	rows := query(t, wh, `SELECT customer_id, spend, CAST(first_seen AS VARCHAR) FROM analytics.customer_profile`).Values
	if len(rows) != len(spend) {
		t.Fatalf("%d customers in the profile, %d in the file", len(rows), len(spend))
	}
	for _, r := range rows {
		id := fmt.Sprint(r[0])
		if got, _ := number(r[1]); math.Abs(got-spend[id]) > 1e-6 {
			t.Errorf("customer %s: spend %v, the file says %v", id, got, spend[id])
		}
		if !strings.HasPrefix(fmt.Sprint(r[2]), first[id]) {
			t.Errorf("customer %s: first seen %v, the file says %s", id, r[2], first[id])
		}
	}
	p.sameRowsOnPostgres(t)
}
