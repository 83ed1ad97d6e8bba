// Package handsql holds SQL written by hand, independently of the
// compiler, for the example project's revenue views: monthly MRR, MRR
// movements and a monthly cohort matrix over raw.customers and
// raw.subscriptions. The tests compare Strata's views with it row by
// row, and `make bench` times both on the same DuckDB.
//
// The formulations differ on purpose from the compiler's: movements come
// from LAG and LEAD over each customer's paying months instead of a full
// join of consecutive periods, and the cohort matrix counts paying months
// directly. The SQL is DuckDB's.
package handsql

import "strings"

// months lists every month from the first subscription's to as_of's, with
// the day each is evaluated on: its last day, or as_of for the last month.
const months = `months AS (
  SELECT CAST(g.m AS DATE) AS month,
         LEAST(CAST(g.m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), DATE '{as_of}') AS day
  FROM (SELECT date_trunc('month', MIN(started_at)) AS first FROM raw.subscriptions) AS b,
       generate_series(b.first, date_trunc('month', DATE '{as_of}'), INTERVAL 1 MONTH) AS g(m)
)`

// paying is each customer's MRR at the end of each month it was positive.
const paying = `paying AS (
  SELECT s.customer_id, m.month, SUM(s.monthly_amount) AS mrr
  FROM months AS m
  JOIN raw.subscriptions AS s
    ON s.started_at <= m.day AND COALESCE(s.ended_at, DATE '9999-12-31') > m.day
  GROUP BY s.customer_id, m.month
  HAVING SUM(s.monthly_amount) > 0
)`

// MonthlyMRR is (period, value): total MRR at each month's end.
const MonthlyMRR = `WITH ` + months + `
SELECT m.month AS period, COALESCE(SUM(s.monthly_amount), 0) AS value
FROM months AS m
LEFT JOIN raw.subscriptions AS s
  ON s.started_at <= m.day AND (s.ended_at IS NULL OR s.ended_at > m.day)
GROUP BY m.month
ORDER BY m.month`

// Movements is (period, customer_id, movement, amount).
const Movements = `WITH ` + months + `, ` + paying + `,
runs AS (
  SELECT customer_id, month, mrr,
         LAG(month) OVER w AS prev_month,
         LAG(mrr) OVER w AS prev_mrr,
         LEAD(month) OVER w AS next_month,
         ROW_NUMBER() OVER w AS nth
  FROM paying
  WINDOW w AS (PARTITION BY customer_id ORDER BY month)
)
SELECT month AS period, customer_id,
       CASE WHEN nth = 1 THEN 'new'
            WHEN prev_month < month - INTERVAL 1 MONTH THEN 'reactivation'
            WHEN mrr > prev_mrr THEN 'expansion'
            ELSE 'contraction' END AS movement,
       mrr - CASE WHEN prev_month = month - INTERVAL 1 MONTH THEN prev_mrr ELSE 0 END AS amount
FROM runs
WHERE nth = 1 OR prev_month < month - INTERVAL 1 MONTH OR mrr <> prev_mrr
UNION ALL
SELECT CAST(month + INTERVAL 1 MONTH AS DATE), customer_id, 'churn', -mrr
FROM runs
WHERE (next_month IS NULL OR next_month > month + INTERVAL 1 MONTH)
  AND month < date_trunc('month', DATE '{as_of}')
ORDER BY 1, 2`

// Cohorts is the monthly sign-up cohort matrix over periods 0..24:
// (cohort, period, cohort_size, active, mrr).
const Cohorts = `WITH ` + months + `, ` + paying + `,
members AS (
  SELECT customer_id, CAST(date_trunc('month', signed_up_at) AS DATE) AS cohort
  FROM raw.customers
  WHERE signed_up_at < DATE '{as_of}' + INTERVAL 1 DAY
),
sizes AS (SELECT cohort, COUNT(*) AS cohort_size FROM members GROUP BY cohort),
kept AS (
  SELECT mb.cohort, p.month, COUNT(*) AS active, SUM(p.mrr) AS mrr
  FROM members AS mb JOIN paying AS p ON p.customer_id = mb.customer_id AND p.month >= mb.cohort
  GROUP BY mb.cohort, p.month
)
SELECT z.cohort, CAST(date_diff('month', z.cohort, m.month) AS BIGINT) AS period, z.cohort_size,
       COALESCE(k.active, 0) AS active, COALESCE(k.mrr, 0) AS mrr
FROM sizes AS z
JOIN months AS m ON m.month >= z.cohort AND m.month <= z.cohort + INTERVAL 24 MONTH
LEFT JOIN kept AS k ON k.cohort = z.cohort AND k.month = m.month
ORDER BY 1, 2`

// At fills in as_of ("2025-06-30") in one of the queries.
func At(query, asOf string) string { return strings.ReplaceAll(query, "{as_of}", asOf) }

// Project is the Strata project whose views the queries above mirror: the
// example's customers and subscriptions with monthly MRR, its movements
// and a 24-month sign-up cohort. Its seeds are the sample-data files in
// data/ (strata sample-data).
const Project = `project "revenue" {
  schema         = "analytics"
  default_target = "local"
}

target "local" {
  dialect = "duckdb"
  path    = "revenue.duckdb"
}

source "customers" {
  table       = "raw.customers"
  file        = "data/customers.csv"
  primary_key = customer_id
  time        = signed_up_at
  column "customer_id"  { type = string }
  column "signed_up_at" { type = timestamp }
}

source "subscriptions" {
  table       = "raw.subscriptions"
  file        = "data/subscriptions.csv"
  primary_key = subscription_id
  entity      = customer
  column "subscription_id" { type = string }
  column "customer_id"     { type = string }
  column "monthly_amount"  { type = number }
  column "started_at"      { type = date }
  column "ended_at"        { type = date }
}

entity "customer" {
  source = source.customers
  key    = customer_id
}

metric "mrr" {
  from      = source.subscriptions
  value     = sum(monthly_amount)
  valid     = [started_at, ended_at]
  grain     = month
  movements = true
}

cohort "signups" {
  joined   = signed_up_at
  grain    = month
  periods  = 24
  active   = metric.mrr > 0
  measures = [metric.mrr]
}
`

// Views pairs each of the project's views with the hand-written query
// that must return the same rows, and the columns compared.
var Views = []struct {
	View, Query, Columns string
}{
	{"metric_mrr", MonthlyMRR, "period, value"},
	{"mrr_movements", Movements, "period, customer_id, movement, amount"},
	{"cohort_signups", Cohorts, "cohort, period, cohort_size, active, mrr"},
}
