assert "customer_ids_unique" {
  on     = source.customers
  unique = [customer_id]
}

assert "usage_has_a_customer" {
  on         = source.usage
  references = source.customers
  column     = customer_id
}

assert "usage_is_fresh" {
  on       = source.usage
  column   = occurred_at
  fresh    = "2 days"
  severity = "warning"
}
