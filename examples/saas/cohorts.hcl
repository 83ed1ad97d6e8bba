# Cohorts: customers grouped by the month they joined, followed month by
# month (docs/metrics.md).

cohort "paying" {
  description = "Customers by first paying month: how many still pay, and how much MRR they bring, relative to their first month."
  joined      = first(metric.mrr > 0)
  grain       = month
  periods     = 24
  active      = metric.mrr > 0
  measures    = [metric.mrr]
}

cohort "signup_usage" {
  description = "Customers by sign-up month who logged in that month or any later one, per acquisition tier."
  joined      = signed_up_at
  grain       = month
  periods     = 12
  active      = event(source.events, name == "login")
  retention   = "on_or_after"
  by          = segment.touch_model
}
