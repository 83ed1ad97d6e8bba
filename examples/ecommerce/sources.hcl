source "orders" {
  description = "One row per order, from the shop's export; guest checkouts have no customer_id."
  table       = "raw.orders"
  file        = "data/orders.csv"
  primary_key = order_id
  time        = ordered_at

  column "order_id"    { type = string }
  column "customer_id" { type = string }
  column "ordered_at"  { type = timestamp }
  column "channel"     { type = string }
  column "items"       { type = integer }
  column "amount"      { type = number }
}

# The export has no table of customers: every customer_id of the orders
# is one, first seen on its first order.
entity "customer" {
  description = "A customer with at least one order."
  key         = customer_id
  keys_from   = [source.orders]
}
