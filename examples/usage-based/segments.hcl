segment "heavy_users" {
  description = "The top tenth of customers by the last 30 days' usage."
  where       = metric.units_30d > 0 && ntile(metric.units_30d, 10) == 10
}

segment "shrinking" {
  description = "Still using, but the last 30 days under half of the 30 days before: revenue about to fall."
  where       = metric.units_30d > 0 && metric.units_prior_30d >= 10 && metric.units_30d < metric.units_prior_30d / 2
}

segment "dormant" {
  description = "Used the product before, but not in the last 30 days."
  where       = metric.units_30d == 0 && metric.units_prior_30d > 0
}
