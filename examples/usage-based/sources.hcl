source "customers" {
  description = "One row per customer account."
  table       = "raw.customers"
  file        = "data/customers.csv"
  primary_key = customer_id
  time        = signed_up_at

  column "customer_id"         { type = string }
  column "name"                { type = string }
  column "signed_up_at"        { type = timestamp }
  column "acquisition_channel" { type = string }
  column "plan"                { type = string }
  column "country"             { type = string }
  column "company_size"        { type = integer }
  column "account_status"      { type = string }
  column "last_seen_at"        { type = timestamp }
}

# Every product event is one metered unit.
source "usage" {
  description = "Metered usage: one row per billable event."
  table       = "raw.events"
  file        = "data/events.csv"
  primary_key = event_id
  entity      = customer
  time        = occurred_at

  column "event_id"    { type = string }
  column "customer_id" { type = string }
  column "name"        { type = string }
  column "occurred_at" { type = timestamp }
}

entity "customer" {
  source = source.customers
  key    = customer_id
}
