assert "order_ids_unique" {
  on     = source.orders
  unique = [order_id]
}

# Guest checkouts belong to no customer: they count in revenue, not in
# any customer's profile. A warning keeps an eye on their share.
assert "orders_have_a_customer" {
  on       = source.orders
  not_null = [customer_id]
  severity = "warning"
}

assert "amounts_positive" {
  on        = source.orders
  condition = amount > 0 && items >= 1
}
