segment "one_time_buyers" {
  description = "Customers who bought on one day only."
  where       = metric.purchase_days == 1
}

# Quiet for a quarter: candidates for a win-back campaign.
segment "lapsed" {
  description = "Customers with no purchase in the last 90 days."
  where       = metric.days_since_purchase > 90
}

segment "loyal" {
  description = "Customers who bought on 10 days or more and in the last 90 days."
  where       = metric.purchase_days >= 10 && metric.days_since_purchase <= 90
  history     = month
}
