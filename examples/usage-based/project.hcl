# A usage-based business: customers pay for what they use (each product
# event is a metered unit), so revenue follows usage, and the accounts to
# watch are those whose usage shrinks. `strata init --template usage`
# writes it with generated data (data/customers.csv, data/events.csv).

project "usage_demo" {
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
