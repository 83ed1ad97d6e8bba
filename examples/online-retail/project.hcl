# Monthly cohorts of an online retailer's customers (data/NOTICE.md says
# where the data comes from): how many of each month's new customers buy
# again 1, 2, ... 12 months later. The file has purchases and no table of
# customers: the customers are made from the purchases' keys. Its data
# ends on 9 December 2011, so build it as of that day:
#
#   strata build --as-of 2011-12-09

project "online_retail" {
  schema         = "analytics"
  default_target = "local"
}

target "local" {
  dialect = "duckdb"
  path    = "build/strata.duckdb"
}

source "purchases" {
  description = "One row per customer and day with an invoice."
  table       = "raw.online_purchases"
  file        = "data/online_cohorts.csv"
  time        = InvoiceDate

  column "CustomerID" {
    type        = integer
    description = "The customer; blank on 277 rows, which belong to no customer."
  }
  column "InvoiceDate" { type = date }
}

# Every CustomerID in the purchases, first seen on its first purchase.
entity "customer" {
  description = "A customer with at least one purchase."
  key         = CustomerID
  keys_from   = [source.purchases]
}
