# Rules about the data, checked on a target's tables and views by
# `strata test --target local`: each names how many rows break it, with
# a few of them.

assert "customer_ids_unique" {
  description = "A repeated customer id would count one customer twice in every view."
  on          = source.customers
  unique      = [customer_id]
}

assert "subscriptions_have_a_customer" {
  on         = source.subscriptions
  references = source.customers
  column     = customer_id
}

assert "known_plans" {
  on              = source.customers
  column          = plan
  accepted_values = ["free", "starter", "growth", "enterprise"]
}

assert "amounts_not_negative" {
  on        = source.subscriptions
  condition = monthly_amount >= 0 && (ended_at == null || ended_at >= started_at)
}

assert "events_are_fresh" {
  description = "The product events stopped arriving if the latest is older than two days."
  on          = source.events
  column      = occurred_at
  fresh       = "2 days"
  severity    = "warning"
}

assert "at_risk_is_one_row_per_customer" {
  view   = "segment_at_risk"
  unique = [customer_id]
}

assert "some_customers" {
  on       = source.customers
  min_rows = 1
}
