# An online shop: customers made from the orders' keys, revenue and its
# channels, cohorts of first purchases, and who to win back. `strata init
# --template ecommerce` writes it with generated orders (data/orders.csv).

project "shop" {
  schema         = "analytics"
  default_target = "local"
}

target "local" {
  dialect = "duckdb"
  path    = "build/strata.duckdb"
}

target "warehouse" {
  dialect        = "postgres"
  connection_env = "STRATA_PG_DSN"
}
