package handsql

// The example project's customer profile and segments (examples/saas),
// written by hand against the raw tables: each metric aggregated once per
// customer in its own subquery, then joined. The tests compare them with
// Strata's views row by row; `make bench` times both. The SQL is
// DuckDB's; {as_of} is 2025-06-30 in the windows' literal bounds.

// profileBase holds every column of the example's customer profile.
const profileBase = `base AS (
  SELECT c.customer_id, c.name, c.signed_up_at, c.acquisition_channel, c.plan, c.country,
         c.company_size, c.account_status, c.last_seen_at,
         COALESCE(s.mrr, 0) AS mrr,
         COALESCE(s.mrr, 0) * 12 AS arr,
         COALESCE(s.active_subscriptions, 0) AS active_subscriptions,
         COALESCE(e.logins_30d, 0) AS logins_30d,
         COALESCE(e.features_used_30d, 0) AS features_used_30d,
         COALESCE(e.features_used, 0) AS features_used,
         date_diff('day', CAST(c.signed_up_at AS DATE), DATE '2025-06-30') AS tenure_days,
         COALESCE(t.tickets_90d, 0) AS tickets_90d,
         t.urgent_ticket_share,
         t.avg_resolution_hours,
         n.nps, n.avg_nps_score
  FROM raw.customers AS c
  LEFT JOIN (
    SELECT customer_id, SUM(monthly_amount) AS mrr, COUNT(*) AS active_subscriptions
    FROM raw.subscriptions
    WHERE started_at <= DATE '2025-06-30' AND (ended_at IS NULL OR ended_at > DATE '2025-06-30')
    GROUP BY customer_id
  ) AS s ON s.customer_id = c.customer_id
  LEFT JOIN (
    SELECT customer_id,
           COUNT(*) FILTER (WHERE name = 'login' AND occurred_at >= DATE '2025-06-01') AS logins_30d,
           COUNT(*) FILTER (WHERE name IN ('feature_used', 'report_created') AND occurred_at >= DATE '2025-06-01') AS features_used_30d,
           COUNT(*) FILTER (WHERE name = 'feature_used') AS features_used
    FROM raw.events
    WHERE occurred_at < DATE '2025-07-01'
    GROUP BY customer_id
  ) AS e ON e.customer_id = c.customer_id
  LEFT JOIN (
    SELECT customer_id,
           COUNT(*) FILTER (WHERE opened_at >= DATE '2025-04-02') AS tickets_90d,
           COUNT(*) FILTER (WHERE opened_at >= DATE '2025-04-02' AND priority IN ('high', 'urgent'))
             / NULLIF(COUNT(*) FILTER (WHERE opened_at >= DATE '2025-04-02'), 0) AS urgent_ticket_share,
           AVG(resolution_hours) FILTER (WHERE status = 'solved') AS avg_resolution_hours
    FROM raw.tickets
    WHERE opened_at < DATE '2025-07-01'
    GROUP BY customer_id
  ) AS t ON t.customer_id = c.customer_id
  LEFT JOIN (
    SELECT customer_id,
           100.0 * (COUNT(*) FILTER (WHERE score >= 9) - COUNT(*) FILTER (WHERE score <= 6)) / COUNT(*) AS nps,
           AVG(score) AS avg_nps_score
    FROM raw.nps_responses
    WHERE responded_at >= DATE '2024-07-01' AND responded_at < DATE '2025-07-01'
    GROUP BY customer_id
  ) AS n ON n.customer_id = c.customer_id
  WHERE c.signed_up_at IS NULL OR c.signed_up_at < DATE '2025-07-01'
),
scored AS (
  SELECT *,
         0.4 * CASE WHEN logins_30d >= 20 THEN 100 ELSE logins_30d * 5 END
           + 0.3 * CASE WHEN tickets_90d >= 10 THEN 0 ELSE 100 - tickets_90d * 10 END
           + 0.3 * COALESCE(avg_nps_score * 10, 50) AS health_score,
         mrr - 40.0 * tickets_90d / 3 AS monthly_profit
  FROM base
)`

// Profile is the whole customer profile: attributes, metrics, segments.
const Profile = `WITH ` + profileBase + `
SELECT *,
       acquisition_channel = 'twitter_paid' AND account_status = 'active_trial' AS twitter_trials,
       mrr > 0 AND (last_seen_at IS NULL OR CAST(last_seen_at AS DATE) < DATE '2025-06-23' OR health_score < 40) AS at_risk,
       COALESCE(tenure_days <= 30, FALSE) AND features_used = 0 AS not_onboarded,
       tickets_90d > 0 AND PERCENT_RANK() OVER (ORDER BY tickets_90d) >= 0.8 AND PERCENT_RANK() OVER (ORDER BY mrr) <= 0.5 AS high_maintenance_low_value,
       mrr > 0 AND PERCENT_RANK() OVER (ORDER BY monthly_profit) <= 0.1 AS least_profitable,
       mrr > 0 AND COALESCE(avg_nps_score >= 9, FALSE) AND logins_30d >= 8 AS advocates,
       country IN ('DE', 'FR', 'NL', 'GB') AND COALESCE(company_size >= 1000, FALSE) AS enterprise_europe,
       CASE WHEN arr >= 24000 THEN 'high'
            WHEN arr >= 6000 OR (mrr > 0 AND COALESCE(company_size >= 500, FALSE)) THEN 'medium'
            ELSE 'tech' END AS touch_model
FROM scored`

// Segments are the example's segments: the members' keys, each query
// reading only what its rule needs, as an analyst would write it.
var Segments = []struct{ Segment, Query string }{
	{"twitter_trials", `SELECT customer_id FROM raw.customers
WHERE acquisition_channel = 'twitter_paid' AND account_status = 'active_trial'
  AND (signed_up_at IS NULL OR signed_up_at < DATE '2025-07-01')`},
	{"at_risk", `WITH ` + profileBase + `
SELECT customer_id FROM scored
WHERE mrr > 0 AND (last_seen_at IS NULL OR CAST(last_seen_at AS DATE) < DATE '2025-06-23' OR health_score < 40)`},
	// The holdout split: the first 8 hex digits of md5(salt/key) below
	// 90% of 2^32 (e6666666) are contacted.
	{"at_risk_outreach", `WITH ` + profileBase + `
SELECT customer_id, CASE WHEN substr(md5('at-risk-outreach-2025/' || customer_id), 1, 8) < 'e6666666' THEN 'contacted' ELSE 'holdout' END AS tier
FROM scored
WHERE mrr > 0 AND (last_seen_at IS NULL OR CAST(last_seen_at AS DATE) < DATE '2025-06-23' OR health_score < 40)`},
	{"not_onboarded", `SELECT c.customer_id FROM raw.customers AS c
WHERE (c.signed_up_at IS NULL OR c.signed_up_at < DATE '2025-07-01')
  AND date_diff('day', CAST(c.signed_up_at AS DATE), DATE '2025-06-30') <= 30
  AND NOT EXISTS (SELECT 1 FROM raw.events AS e WHERE e.customer_id = c.customer_id AND e.name = 'feature_used' AND e.occurred_at < DATE '2025-07-01')`},
	{"high_maintenance_low_value", `WITH m AS (
  SELECT c.customer_id, COALESCE(t.n, 0) AS tickets, COALESCE(s.mrr, 0) AS mrr
  FROM raw.customers AS c
  LEFT JOIN (SELECT customer_id, COUNT(*) AS n FROM raw.tickets WHERE opened_at >= DATE '2025-04-02' AND opened_at < DATE '2025-07-01' GROUP BY customer_id) AS t ON t.customer_id = c.customer_id
  LEFT JOIN (SELECT customer_id, SUM(monthly_amount) AS mrr FROM raw.subscriptions WHERE started_at <= DATE '2025-06-30' AND (ended_at IS NULL OR ended_at > DATE '2025-06-30') GROUP BY customer_id) AS s ON s.customer_id = c.customer_id
  WHERE c.signed_up_at IS NULL OR c.signed_up_at < DATE '2025-07-01'
), r AS (SELECT *, PERCENT_RANK() OVER (ORDER BY tickets) AS rt, PERCENT_RANK() OVER (ORDER BY mrr) AS rm FROM m)
SELECT customer_id FROM r WHERE tickets > 0 AND rt >= 0.8 AND rm <= 0.5`},
	{"least_profitable", `WITH m AS (
  SELECT c.customer_id, COALESCE(s.mrr, 0) AS mrr, COALESCE(s.mrr, 0) - 40.0 * COALESCE(t.n, 0) / 3 AS profit
  FROM raw.customers AS c
  LEFT JOIN (SELECT customer_id, COUNT(*) AS n FROM raw.tickets WHERE opened_at >= DATE '2025-04-02' AND opened_at < DATE '2025-07-01' GROUP BY customer_id) AS t ON t.customer_id = c.customer_id
  LEFT JOIN (SELECT customer_id, SUM(monthly_amount) AS mrr FROM raw.subscriptions WHERE started_at <= DATE '2025-06-30' AND (ended_at IS NULL OR ended_at > DATE '2025-06-30') GROUP BY customer_id) AS s ON s.customer_id = c.customer_id
  WHERE c.signed_up_at IS NULL OR c.signed_up_at < DATE '2025-07-01'
), r AS (SELECT *, PERCENT_RANK() OVER (ORDER BY profit) AS rp FROM m)
SELECT customer_id FROM r WHERE mrr > 0 AND rp <= 0.1`},
	{"advocates", `WITH n AS (
  SELECT customer_id FROM raw.nps_responses
  WHERE responded_at >= DATE '2024-07-01' AND responded_at < DATE '2025-07-01'
  GROUP BY customer_id HAVING AVG(score) >= 9
), l AS (
  SELECT customer_id FROM raw.events
  WHERE name = 'login' AND occurred_at >= DATE '2025-06-01' AND occurred_at < DATE '2025-07-01'
  GROUP BY customer_id HAVING COUNT(*) >= 8
), p AS (
  SELECT customer_id FROM raw.subscriptions
  WHERE started_at <= DATE '2025-06-30' AND (ended_at IS NULL OR ended_at > DATE '2025-06-30')
  GROUP BY customer_id HAVING SUM(monthly_amount) > 0
)
SELECT c.customer_id FROM raw.customers AS c
JOIN n ON n.customer_id = c.customer_id JOIN l ON l.customer_id = c.customer_id JOIN p ON p.customer_id = c.customer_id
WHERE c.signed_up_at IS NULL OR c.signed_up_at < DATE '2025-07-01'`},
	{"enterprise_europe", `SELECT customer_id FROM raw.customers
WHERE country IN ('DE', 'FR', 'NL', 'GB') AND company_size >= 1000
  AND (signed_up_at IS NULL OR signed_up_at < DATE '2025-07-01')`},
	{"touch_model", `WITH m AS (
  SELECT c.customer_id, c.company_size, COALESCE(s.mrr, 0) AS mrr
  FROM raw.customers AS c
  LEFT JOIN (SELECT customer_id, SUM(monthly_amount) AS mrr FROM raw.subscriptions WHERE started_at <= DATE '2025-06-30' AND (ended_at IS NULL OR ended_at > DATE '2025-06-30') GROUP BY customer_id) AS s ON s.customer_id = c.customer_id
  WHERE c.signed_up_at IS NULL OR c.signed_up_at < DATE '2025-07-01'
)
SELECT customer_id, CASE WHEN mrr * 12 >= 24000 THEN 'high'
                         WHEN mrr * 12 >= 6000 OR (mrr > 0 AND company_size >= 500) THEN 'medium'
                         ELSE 'tech' END AS tier
FROM m`},
}
