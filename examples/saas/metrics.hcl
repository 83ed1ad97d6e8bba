# Revenue

metric "mrr" {
  description = "Monthly recurring revenue on the as-of day: the sum of the subscriptions valid that day."
  from        = source.subscriptions
  value       = sum(monthly_amount)
  valid       = [started_at, ended_at]
}

metric "arr" {
  description = "Annual recurring revenue: MRR times 12."
  value       = metric.mrr * 12
}

metric "active_subscriptions" {
  from  = source.subscriptions
  value = count()
  valid = [started_at, ended_at]
}

# Product usage

metric "logins_30d" {
  description = "Logins in the last 30 days."
  from        = source.events
  where       = name == "login"
  value       = count()
  window      = "30 days"
}

metric "features_used_30d" {
  description = "Feature uses in the last 30 days."
  from        = source.events
  where       = name == "feature_used" || name == "report_created"
  value       = count()
  window      = "30 days"
}

metric "features_used" {
  description = "Feature uses since sign-up."
  from        = source.events
  value       = count_if(name == "feature_used")
}

metric "tenure_days" {
  description = "Days since sign-up."
  value       = days_since(signed_up_at)
}

# Support load

metric "tickets_90d" {
  description = "Support tickets opened in the last 90 days."
  from        = source.tickets
  value       = count()
  window      = "90 days"
}

metric "urgent_ticket_share" {
  description = "Share of the last 90 days' tickets that were high or urgent."
  from        = source.tickets
  value       = count_if(contains(["high", "urgent"], priority)) / count()
  window      = "90 days"
}

metric "avg_resolution_hours" {
  from  = source.tickets
  where = status == "solved"
  value = avg(resolution_hours)
}

# Sentiment

metric "nps" {
  description = "Net Promoter Score of the customer's answers in the last year: % promoters (9-10) minus % detractors (0-6)."
  from        = source.nps_responses
  value       = 100 * (count_if(score >= 9) - count_if(score <= 6)) / count()
  window      = "1 year"
}

metric "avg_nps_score" {
  from   = source.nps_responses
  value  = avg(score)
  window = "1 year"
}

# Health and value

metric "health_score" {
  description = "0-100: 40% usage (logins), 30% support (few tickets), 30% sentiment (NPS answers; 50 when unknown)."
  value = (
    0.4 * (metric.logins_30d >= 20 ? 100 : metric.logins_30d * 5)
    + 0.3 * (metric.tickets_90d >= 10 ? 0 : 100 - metric.tickets_90d * 10)
    + 0.3 * coalesce(metric.avg_nps_score * 10, 50)
  )
}

metric "monthly_profit" {
  description = "MRR less an estimated support cost of $40 per ticket, averaged over 3 months."
  value       = metric.mrr - 40 * metric.tickets_90d / 3
}

# Revenue over time (docs/metrics.md gives the definitions)

metric "mrr_history" {
  description = "MRR at the end of each month."
  from        = source.subscriptions
  value       = sum(monthly_amount)
  valid       = [started_at, ended_at]
  grain       = month
  movements   = true
  by          = [segment.touch_model]
}
