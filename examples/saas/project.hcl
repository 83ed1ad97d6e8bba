# A customer-success project for a B2B SaaS company: who pays, who is at
# risk, who needs a human. `make run` generates its data and builds it.

project "saas_demo" {
  schema         = "analytics"
  default_target = "local"
}

target "local" {
  dialect = "duckdb"
  path    = "build/strata.duckdb"
}

# CI builds the same views in PostgreSQL, over its raw.* tables:
#   export STRATA_PG_DSN=postgres://user@localhost:5432/analytics
#   strata build --target warehouse
# (add --load-seeds only on a scratch database: it replaces raw.* with data/*.csv)
target "warehouse" {
  dialect        = "postgres"
  connection_env = "STRATA_PG_DSN"
}
