cohort "signup_month" {
  description = "Customers by sign-up month: who still pays, and how much."
  joined      = signed_up_at
  grain       = month
  periods     = 24
  active      = metric.mrr > 0
  measures    = [metric.mrr]
}
