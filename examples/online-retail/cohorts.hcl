# Customers by the month of their first purchase, and in each month since
# how many bought again (logo retention, as Amplitude's "on" retention).
cohort "buyers" {
  description = "Customers by month of first purchase; active in a month with a purchase."
  joined      = first(source.purchases)
  active      = event(source.purchases)
  grain       = month
  periods     = 12
}

# The same customers counted while they still come back: active in a
# month when they buy then or later ("on or after" retention).
cohort "returning_buyers" {
  description = "As buyers, active in a month when the customer buys in it or later."
  joined      = first(source.purchases)
  active      = event(source.purchases)
  grain       = month
  periods     = 12
  retention   = "on_or_after"
}
