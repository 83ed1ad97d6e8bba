package handsql

// TouchModelHistory is segment_touch_model_history written by hand: every
// month from the first sign-up or subscription to as_of, each customer who
// had signed up by the month's last day (as_of for June 2025), with the
// tier its MRR on that day and its company size give. It reads the
// subscriptions once per month through a join on the day, where Strata's
// view goes through its profile over time.
const TouchModelHistory = `WITH months AS (
  SELECT CAST(m AS DATE) AS period,
         LEAST(CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), DATE '2025-06-30') AS day
  FROM range(
    CAST(date_trunc('month', LEAST((SELECT MIN(CAST(signed_up_at AS DATE)) FROM raw.customers),
                                   (SELECT MIN(started_at) FROM raw.subscriptions))) AS TIMESTAMP),
    TIMESTAMP '2025-07-01', INTERVAL 1 MONTH) AS t(m)
),
month_end_mrr AS (
  SELECT months.period, s.customer_id, SUM(s.monthly_amount) AS mrr
  FROM months
  JOIN raw.subscriptions AS s
    ON s.started_at <= months.day AND (s.ended_at IS NULL OR s.ended_at > months.day)
  GROUP BY months.period, s.customer_id
)
SELECT months.period, c.customer_id,
       CASE WHEN COALESCE(p.mrr, 0) * 12 >= 24000 THEN 'high'
            WHEN COALESCE(p.mrr, 0) * 12 >= 6000 OR (COALESCE(p.mrr, 0) > 0 AND c.company_size >= 500) THEN 'medium'
            ELSE 'tech' END AS tier
FROM raw.customers AS c
JOIN months ON c.signed_up_at IS NULL OR CAST(c.signed_up_at AS DATE) <= months.day
LEFT JOIN month_end_mrr AS p ON p.customer_id = c.customer_id AND p.period = months.period`

// AdvocatesHistory is segment_advocates_history written by hand: for each
// month's last day (as_of for June 2025), the customers who had signed up
// by then, paid (MRR above 0), gave an average NPS score of 9 or more in
// the year up to the day, and logged in 8 times or more in its last 30
// days. Each condition is one join of the months with its table, grouped.
// The year starts at the day after minus a year (reference: Windows): on
// 28 February 2025 it starts on 1 March 2024, so a response of 29
// February 2024 is out, as 1M generated customers showed.
const AdvocatesHistory = `WITH months AS (
  SELECT CAST(m AS DATE) AS period,
         LEAST(CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), DATE '2025-06-30') AS day
  FROM range(CAST(date_trunc('month', (SELECT MIN(started_at) FROM raw.subscriptions)) AS TIMESTAMP),
             TIMESTAMP '2025-07-01', INTERVAL 1 MONTH) AS t(m)
),
paying AS (
  SELECT months.period, s.customer_id
  FROM months JOIN raw.subscriptions AS s
    ON s.started_at <= months.day AND (s.ended_at IS NULL OR s.ended_at > months.day)
  GROUP BY months.period, s.customer_id
  HAVING SUM(s.monthly_amount) > 0
),
promoters AS (
  SELECT months.period, r.customer_id
  FROM months JOIN raw.nps_responses AS r
    ON r.responded_at >= months.day + INTERVAL 1 DAY - INTERVAL 1 YEAR AND r.responded_at < months.day + INTERVAL 1 DAY
  GROUP BY months.period, r.customer_id
  HAVING AVG(r.score) >= 9
),
active AS (
  SELECT months.period, e.customer_id
  FROM months JOIN raw.events AS e
    ON e.name = 'login' AND e.occurred_at >= months.day - INTERVAL 29 DAY AND e.occurred_at < months.day + INTERVAL 1 DAY
  GROUP BY months.period, e.customer_id
  HAVING COUNT(*) >= 8
)
SELECT paying.period, paying.customer_id
FROM paying
JOIN promoters USING (period, customer_id)
JOIN active USING (period, customer_id)
JOIN months ON months.period = paying.period
JOIN raw.customers AS c ON c.customer_id = paying.customer_id
WHERE c.signed_up_at IS NULL OR CAST(c.signed_up_at AS DATE) <= months.day`
