segment "twitter_trials" {
  description = "Acquired through Twitter campaigns, with an active trial."
  where       = acquisition_channel == "twitter_paid" && account_status == "active_trial"
}

segment "at_risk" {
  description = "At risk of churn: paying, but no login for 7 days or a weak health score."
  where = metric.mrr > 0 && (
    metric.last_seen == null || days_since(metric.last_seen) > 7 || metric.health_score < 40
  )
  # Read from events, not the customers table's last_seen_at (today's
  # value only), so its history judges each month by that month's events.
  history = month
}

# Does outreach to at-risk customers work? CSMs contact 90% of them; 10%,
# chosen by a hash of the customer id and the salt (the same customers
# build after build, in every warehouse), are held out to compare with.
segment "at_risk_outreach" {
  description = "At-risk customers split into those the CSM team contacts and a 10% holdout."
  split       = segment.at_risk
  salt        = "at-risk-outreach-2025"
  tier "contacted" { share = 90 }
  tier "holdout"   { share = 10 }
}

segment "not_onboarded" {
  description = "Signed up in the last 30 days and has not used a feature yet."
  where       = metric.tenure_days <= 30 && metric.features_used == 0
}

segment "high_maintenance_low_value" {
  description = "The 20% of customers with the most tickets who bring the least revenue."
  where       = metric.tickets_90d > 0 && percent_rank(metric.tickets_90d) >= 0.8 && percent_rank(metric.mrr) <= 0.5
}

segment "least_profitable" {
  description = "Paying customers in the bottom 10% by monthly profit."
  where       = metric.mrr > 0 && percent_rank(metric.monthly_profit) <= 0.1
}

segment "advocates" {
  description = "Paying promoters who use the product: candidates for case studies and referrals."
  where       = metric.mrr > 0 && metric.avg_nps_score >= 9 && metric.logins_30d >= 8
  # Who became an advocate, and who stopped being one, month by month:
  # segment_advocates_history and segment_advocates_changes; its quality
  # in segment_advocates_quality (strata segments prints it). Floors
  # such as min_size = 20 or expect { retained = 0.5 } would fail the
  # build below them; sample data of a few hundred customers has too few
  # advocates for one.
  history = month
}

segment "enterprise_europe" {
  description = "Large companies in our European markets."
  where       = contains(["DE", "FR", "NL", "GB"], country) && company_size >= 1000
}

segment "touch_model" {
  description = "How customer success engages: high touch for the largest accounts, tech touch for the rest."
  history     = month # who moved between tiers, month by month
  tier "high" {
    description = "A named CSM."
    where       = metric.arr >= 24000
  }
  tier "medium" {
    description = "Pooled CSMs and quarterly reviews."
    where       = metric.arr >= 6000 || (metric.mrr > 0 && company_size >= 500)
  }
  tier "tech" {
    description = "Automated playbooks."
  }
}
