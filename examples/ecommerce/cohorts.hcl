# Customers by the month of their first order, and how many order again
# in each month after.
cohort "buyers" {
  description = "Customers by month of first order; active in a month with an order."
  joined      = first(source.orders)
  active      = event(source.orders)
  grain       = month
  periods     = 12
}
