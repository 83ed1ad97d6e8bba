metric "customers" {
  from  = source.telco
  value = count()
}

metric "churned" {
  from  = source.telco
  value = count_if(Churn == "Yes")
}

# The share of customers who left: 26.5% in all; 42.7% of month-to-month
# contracts against 11.3% of one-year and 2.8% of two-year ones. By
# contract and internet service at once, month-to-month fiber loses more
# than half.
metric "churn_rate" {
  description = "Customers who left in the last month over all customers."
  value       = metric.churned / metric.customers
  by          = [Contract, InternetService, segment.new_customers, [Contract, InternetService]]
}

# How long customers stay: 17.98 months on average for those who left,
# 37.57 for those who stayed.
metric "mean_tenure" {
  description = "Average tenure in months."
  value       = avg(tenure)
  by          = [Churn, Contract]
}

metric "median_monthly_charge" {
  description = "The median monthly charge, in dollars."
  value       = median(MonthlyCharges)
  by          = [Contract]
}

# Revenue at stake: the monthly charges of the customers who left.
metric "monthly_charges_lost" {
  description = "Monthly charges of the customers who left, in dollars."
  value       = sum(MonthlyCharges)
  by          = [Churn]
}
