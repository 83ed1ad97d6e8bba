metric "orders" {
  description = "Orders, and orders per month."
  from        = source.orders
  value       = count()
  grain       = month
  by          = [channel]
}

metric "revenue" {
  description = "Revenue, and revenue per month and channel."
  from        = source.orders
  value       = sum(amount)
  grain       = month
  by          = [channel]
}

metric "revenue_90d" {
  description = "Revenue of the last 90 days."
  from        = source.orders
  value       = sum(amount)
  window      = "90 days"
}

metric "average_order_value" {
  value = metric.revenue / metric.orders
}

metric "last_order" {
  from  = source.orders
  value = max(ordered_at)
}

metric "first_channel" {
  description = "The channel of the customer's first order."
  from        = source.orders
  value       = first(channel, ordered_at)
}

metric "days_since_last_order" {
  value = days_since(metric.last_order)
}
