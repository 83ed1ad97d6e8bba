metric "purchase_days" {
  description = "Days with a purchase, up to as_of."
  from        = source.purchases
  value       = count()
  grain       = month
}

metric "last_purchase" {
  description = "The customer's latest purchase day."
  from        = source.purchases
  value       = max(InvoiceDate)
}

metric "days_since_purchase" {
  value = days_since(metric.last_purchase)
}
