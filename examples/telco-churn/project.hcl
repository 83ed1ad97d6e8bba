# Churn by contract type on IBM's telco sample (data/NOTICE.md says where
# the data comes from): which customers leave, and what they have in
# common. The file has no dates at all, so every metric is as of today's
# data, without a grain: breakdowns by attribute, and aggregates over the
# customers. `strata build` in this folder builds it.

project "telco_churn" {
  schema         = "analytics"
  default_target = "local"
}

target "local" {
  dialect = "duckdb"
  path    = "build/strata.duckdb"
}
