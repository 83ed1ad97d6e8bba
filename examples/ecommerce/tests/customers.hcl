test "vip_lapsed_and_one_time" {
  description = "A customer with most of the revenue is a VIP; a repeat buyer quiet since March has lapsed; a guest order belongs to no one."
  as_of       = "2025-06-30"

  given {
    source = source.orders
    rows = [
      { order_id = "o1", customer_id = "a", ordered_at = "2025-01-05 10:00:00", channel = "web", items = 3, amount = 300 },
      { order_id = "o2", customer_id = "a", ordered_at = "2025-06-20 11:00:00", channel = "app", items = 2, amount = 200 },
      { order_id = "o3", customer_id = "b", ordered_at = "2025-02-01 09:00:00", channel = "web", items = 1, amount = 40 },
      { order_id = "o4", customer_id = "b", ordered_at = "2025-03-01 09:00:00", channel = "web", items = 1, amount = 60 },
      { order_id = "o5", customer_id = "c", ordered_at = "2025-06-01 12:00:00", channel = "marketplace", items = 1, amount = 25 },
      { order_id = "o6", ordered_at = "2025-06-02 12:00:00", channel = "web", items = 1, amount = 99 },
    ]
  }

  expect {
    segment = segment.vip
    members = ["a"]
  }
  expect {
    segment = segment.lapsed
    members = ["b"]
  }
  expect {
    segment = segment.one_time_buyers
    members = ["c"]
  }
  expect {
    metric = metric.first_channel
    values = { a = "web", b = "web", c = "marketplace" }
  }
  # Each month's new buyers, month by month: a (January) came back in
  # June, b (February) in March, c joined in June.
  expect {
    cohort = cohort.buyers
    rows = [
      { cohort = "2025-01-01", period = 0, active = 1 },
      { cohort = "2025-01-01", period = 1, active = 0 },
      { cohort = "2025-01-01", period = 2, active = 0 },
      { cohort = "2025-01-01", period = 3, active = 0 },
      { cohort = "2025-01-01", period = 4, active = 0 },
      { cohort = "2025-01-01", period = 5, active = 1 },
      { cohort = "2025-02-01", period = 0, active = 1 },
      { cohort = "2025-02-01", period = 1, active = 1 },
      { cohort = "2025-02-01", period = 2, active = 0 },
      { cohort = "2025-02-01", period = 3, active = 0 },
      { cohort = "2025-02-01", period = 4, active = 0 },
      { cohort = "2025-06-01", period = 0, active = 1 },
    ]
  }
}
