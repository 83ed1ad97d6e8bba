source "customers" {
  description = "One row per customer account, from the CRM."
  table       = "raw.customers"
  file        = "data/customers.csv"
  primary_key = customer_id
  time        = signed_up_at

  column "customer_id"  { type = string }
  column "name"         { type = string }
  column "signed_up_at" { type = timestamp }
  column "acquisition_channel" {
    type        = string
    description = "Marketing channel of the first touch: twitter_paid, google_ads, organic, referral, partner, linkedin, facebook."
  }
  column "plan"    { type = string }
  column "country" { type = string }
  column "company_size" {
    type        = integer
    description = "Employees."
  }
  column "account_status" {
    type        = string
    description = "active_trial, active, churned or free."
  }
  column "last_seen_at" { type = timestamp }
}

source "subscriptions" {
  description = "Subscription periods [started_at, ended_at), from billing. A price change ends one period and starts the next."
  table       = "raw.subscriptions"
  file        = "data/subscriptions.csv"
  primary_key = subscription_id
  entity      = customer

  column "subscription_id" { type = string }
  column "customer_id"     { type = string }
  column "plan"            { type = string }
  column "monthly_amount"  { type = number }
  column "started_at"      { type = date }
  column "ended_at"        { type = date }
}

source "events" {
  description = "Product events."
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

source "tickets" {
  description = "Support tickets."
  table       = "raw.tickets"
  file        = "data/tickets.csv"
  primary_key = ticket_id
  entity      = customer
  time        = opened_at

  column "ticket_id"        { type = string }
  column "customer_id"      { type = string }
  column "opened_at"        { type = timestamp }
  column "priority"         { type = string }
  column "status"           { type = string }
  column "resolution_hours" { type = number }
}

source "nps_responses" {
  description = "Answers to \"How likely are you to recommend us?\" (0-10)."
  table       = "raw.nps_responses"
  file        = "data/nps_responses.csv"
  primary_key = response_id
  entity      = customer
  time        = responded_at

  column "response_id"  { type = string }
  column "customer_id"  { type = string }
  column "responded_at" { type = timestamp }
  column "score"        { type = integer }
}

entity "customer" {
  description = "A customer account, with its metrics and segments as of one day."
  source      = source.customers
  key         = customer_id
  overlap     = true # customer_segment_overlap: every pair of segments
}
