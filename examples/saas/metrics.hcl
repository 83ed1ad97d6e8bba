# Revenue

metric "mrr" {
  description = "Monthly recurring revenue: the sum of the subscriptions valid on the day (as_of, or each month's last day)."
  from        = source.subscriptions
  value       = sum(monthly_amount)
  valid       = [started_at, ended_at]
  grain       = month # metric_mrr: MRR at each month's end
  movements   = true  # mrr_movements, mrr_movements_summary
  # metric_mrr_by_touch_model, the at-risk customers contacted against
  # those held out (metric_mrr_by_at_risk_outreach), and MRR per
  # marketing channel (metric_mrr_by_acquisition_channel)
  by = [segment.touch_model, segment.at_risk_outreach, acquisition_channel]
}

metric "arr" {
  description = "Annual recurring revenue: MRR times 12."
  value       = metric.mrr * 12
  grain       = month
}

metric "active_subscriptions" {
  from  = source.subscriptions
  value = count()
  valid = [started_at, ended_at]
}

# Product usage

metric "last_seen" {
  description = "When the customer was last seen: its latest event, as of the day."
  from        = source.events
  value       = max(occurred_at)
}

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

# Revenue rates, month by month (ChartMogul's definitions; docs/metrics.md)

metric "customers" {
  description = "Paying customers at the month's end."
  value       = count_active(metric.mrr)
}

metric "customer_churn_rate" {
  description = "Customers lost in the month over paying customers at its start."
  value       = count_churned(metric.mrr) / count_opening(metric.mrr)
  # Churn of the at-risk customers contacted against those held out, by
  # the group they were in at the month's start.
  by = [segment.at_risk_outreach]
}

metric "gross_mrr_churn_rate" {
  description = "MRR lost to churn and contraction over MRR at the month's start."
  value       = -(churn(metric.mrr) + contraction(metric.mrr)) / opening(metric.mrr)
}

metric "net_mrr_churn_rate" {
  description = "MRR lost less MRR gained from existing customers, over MRR at the month's start (negative when expansion wins)."
  value       = -(churn(metric.mrr) + contraction(metric.mrr) + expansion(metric.mrr) + reactivation(metric.mrr)) / opening(metric.mrr)
}

metric "net_revenue_retention" {
  description = "MRR kept from customers paying at the month's start, expansion included."
  value       = (opening(metric.mrr) + expansion(metric.mrr) + contraction(metric.mrr) + churn(metric.mrr)) / opening(metric.mrr)
}

metric "gross_revenue_retention" {
  description = "MRR kept from customers paying at the month's start, expansion excluded."
  value       = (opening(metric.mrr) + contraction(metric.mrr) + churn(metric.mrr)) / opening(metric.mrr)
}

metric "arpa" {
  description = "Average revenue per paying account."
  value       = metric.mrr / count_active(metric.mrr)
  by          = [segment.touch_model]
}

metric "ltv" {
  description = "Lifetime value: ARPA over the customer churn rate averaged over the six months before this one. No value while churn is zero."
  value       = metric.arpa / trailing_avg(metric.customer_churn_rate, 6, 1)
}

metric "quick_ratio" {
  description = "MRR gained (new, expansion, reactivation) per MRR lost (churn, contraction)."
  value       = (new(metric.mrr) + expansion(metric.mrr) + reactivation(metric.mrr)) / -(churn(metric.mrr) + contraction(metric.mrr))
}

metric "logins" {
  description = "Logins per week."
  from        = source.events
  where       = name == "login"
  value       = count()
  grain       = week
}
