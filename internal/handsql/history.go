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

// AtRiskHistory is segment_at_risk_history written by hand: for each
// month's last day (as_of for June 2025), the customers who had signed up
// by then and paid (MRR above 0), and were last seen more than 7 days
// before it (or never), or had a health score under 40 then: 40% logins
// over its last 30 days, 30% tickets over its last 90, 30% the average
// NPS score over its last year (50 without one). The last event is each
// month's latest, the latest of all months up to the day.
const AtRiskHistory = `WITH months AS (
  SELECT CAST(m AS DATE) AS period,
         LEAST(CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), DATE '2025-06-30') AS day
  FROM range(CAST(date_trunc('month', (SELECT MIN(started_at) FROM raw.subscriptions)) AS TIMESTAMP),
             TIMESTAMP '2025-07-01', INTERVAL 1 MONTH) AS t(m)
),
paying AS (
  SELECT months.period, months.day, s.customer_id
  FROM months JOIN raw.subscriptions AS s
    ON s.started_at <= months.day AND (s.ended_at IS NULL OR s.ended_at > months.day)
  GROUP BY months.period, months.day, s.customer_id
  HAVING SUM(s.monthly_amount) > 0
),
monthly_last AS (
  SELECT customer_id, CAST(date_trunc('month', occurred_at) AS DATE) AS period, MAX(occurred_at) AS last_event
  FROM raw.events WHERE occurred_at < TIMESTAMP '2025-07-01'
  GROUP BY 1, 2
),
last_seen AS (
  SELECT p.period, p.customer_id, MAX(m.last_event) AS last_seen
  FROM paying AS p JOIN monthly_last AS m ON m.customer_id = p.customer_id AND m.period <= p.period
  GROUP BY 1, 2
),
logins AS (
  SELECT p.period, p.customer_id, COUNT(*) AS n
  FROM paying AS p JOIN raw.events AS e
    ON e.customer_id = p.customer_id AND e.name = 'login'
   AND e.occurred_at >= p.day - INTERVAL 29 DAY AND e.occurred_at < p.day + INTERVAL 1 DAY
  GROUP BY 1, 2
),
tickets AS (
  SELECT p.period, p.customer_id, COUNT(*) AS n
  FROM paying AS p JOIN raw.tickets AS t
    ON t.customer_id = p.customer_id
   AND t.opened_at >= p.day - INTERVAL 89 DAY AND t.opened_at < p.day + INTERVAL 1 DAY
  GROUP BY 1, 2
),
nps AS (
  SELECT p.period, p.customer_id, AVG(r.score) AS score
  FROM paying AS p JOIN raw.nps_responses AS r
    ON r.customer_id = p.customer_id
   AND r.responded_at >= p.day + INTERVAL 1 DAY - INTERVAL 1 YEAR AND r.responded_at < p.day + INTERVAL 1 DAY
  GROUP BY 1, 2
)
SELECT p.period, p.customer_id
FROM paying AS p
JOIN raw.customers AS c ON c.customer_id = p.customer_id
LEFT JOIN last_seen AS ls ON ls.period = p.period AND ls.customer_id = p.customer_id
LEFT JOIN logins AS l ON l.period = p.period AND l.customer_id = p.customer_id
LEFT JOIN tickets AS tk ON tk.period = p.period AND tk.customer_id = p.customer_id
LEFT JOIN nps AS n ON n.period = p.period AND n.customer_id = p.customer_id
WHERE (c.signed_up_at IS NULL OR CAST(c.signed_up_at AS DATE) <= p.day)
  AND (ls.last_seen IS NULL OR p.day - CAST(ls.last_seen AS DATE) > 7
       OR 0.4 * CASE WHEN COALESCE(l.n, 0) >= 20 THEN 100 ELSE COALESCE(l.n, 0) * 5 END
        + 0.3 * CASE WHEN COALESCE(tk.n, 0) >= 10 THEN 0 ELSE 100 - COALESCE(tk.n, 0) * 10 END
        + 0.3 * COALESCE(n.score * 10, 50) < 40)`
