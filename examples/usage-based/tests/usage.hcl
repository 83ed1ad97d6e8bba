test "shrinking_and_dormant" {
  description = "A customer whose usage halved is shrinking; one who stopped is dormant; a steady one is neither."
  as_of       = "2025-06-30"

  given {
    source = source.customers
    rows = [
      { customer_id = "steady", signed_up_at = "2025-01-01" },
      { customer_id = "fading", signed_up_at = "2025-01-01" },
      { customer_id = "gone", signed_up_at = "2025-01-01" },
    ]
  }
  given {
    source = source.usage
    file   = "tests/usage.csv"
  }

  expect {
    segment = segment.shrinking
    members = ["fading"]
  }
  expect {
    segment = segment.dormant
    members = ["gone"]
  }
  expect {
    metric = metric.usage_revenue_30d
    values = { steady = 3, fading = 1.25, gone = 0 }
  }
}
