metric "units" {
  description = "Metered units, and units per month by meter."
  from        = source.usage
  value       = count()
  grain       = month
  by          = [name, plan]
}

metric "units_30d" {
  from   = source.usage
  value  = count()
  window = "30 days"
}

metric "units_60d" {
  from   = source.usage
  value  = count()
  window = "60 days"
}

metric "units_prior_30d" {
  description = "Units of the 30 days before the last 30."
  value       = metric.units_60d - metric.units_30d
}

# At $0.25 a unit.
metric "usage_revenue_30d" {
  description = "What the last 30 days of usage bill, in dollars."
  value       = 0.25 * metric.units_30d
}

metric "active_customers" {
  description = "Customers with usage in the last 30 days."
  value       = count_if(metric.units_30d > 0)
}
