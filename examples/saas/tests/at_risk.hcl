# Unit tests: a handful of known rows in, the members and values they
# must give out. `strata test` runs them on an in-memory DuckDB; sources
# a test gives no rows are empty.

test "at_risk_after_a_quiet_week" {
  description = "Paying customers are at risk after 7 days without a login, or with no login at all; a customer who logged in yesterday, or who does not pay, is not."
  as_of       = "2025-06-30"

  given {
    source = source.customers
    rows = [
      { customer_id = "c1", signed_up_at = "2025-01-10 09:00:00", acquisition_channel = "organic", plan = "growth" },
      { customer_id = "c2", signed_up_at = "2025-02-01", acquisition_channel = "twitter_paid", plan = "growth" },
      { customer_id = "c3", signed_up_at = "2025-03-01", acquisition_channel = "organic", plan = "free" },
      { customer_id = "c4", signed_up_at = "2025-04-01", acquisition_channel = "referral", plan = "starter", company_size = 1000000 },
    ]
  }

  given {
    source = source.subscriptions
    rows = [
      { subscription_id = "s1", customer_id = "c1", plan = "growth", monthly_amount = 100, started_at = "2025-01-10" },
      { subscription_id = "s2", customer_id = "c2", plan = "growth", monthly_amount = 250, started_at = "2025-02-01" },
      { subscription_id = "s4", customer_id = "c4", plan = "starter", monthly_amount = 50, started_at = "2025-04-01", ended_at = null },
    ]
  }

  given {
    source = source.events
    rows = [
      { event_id = "e1", customer_id = "c1", name = "login", occurred_at = "2025-06-10 08:00:00" },
      { event_id = "e2", customer_id = "c2", name = "login", occurred_at = "2025-06-29 17:30:00" },
      { event_id = "e3", customer_id = "c3", name = "login", occurred_at = "2025-06-01 12:00:00" },
    ]
  }

  expect {
    segment = segment.at_risk
    members = ["c1", "c4"]
  }

  expect {
    metric = metric.mrr
    values = { c1 = 100, c2 = 250, c3 = 0, c4 = 50 }
  }

  expect {
    view = "metric_mrr"
    rows = [
      { period = "2025-01-01", value = 100 },
      { period = "2025-02-01", value = 350 },
      { period = "2025-03-01", value = 350 },
      { period = "2025-04-01", value = 400 },
      { period = "2025-05-01", value = 400 },
      { period = "2025-06-01", value = 400 },
    ]
  }
}
