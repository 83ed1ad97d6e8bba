# The few customers who bring most of the revenue (a Pareto cut): ranked
# by revenue, those whose running share of it reaches 80%.
segment "vip" {
  description = "The best customers, who together bring 80% of revenue."
  where       = cumulative_share(metric.revenue) <= 0.8
}

segment "one_time_buyers" {
  description = "Customers with one order."
  where       = metric.orders == 1
}

# Repeat buyers quiet for a quarter: candidates for a win-back campaign.
segment "lapsed" {
  description = "Bought at least twice, but not in the last 90 days."
  where       = metric.orders >= 2 && metric.days_since_last_order > 90
}
