# Customers in their first year, when most of those who leave do.
segment "new_customers" {
  description = "Customers for 12 months or less."
  where       = tenure <= 12
}

# The profile churn analyses keep finding: month to month, on fibre, and
# paying by electronic check.
segment "flight_risk" {
  description = "Month-to-month fibre customers who pay by electronic check and have not left yet."
  where       = Contract == "Month-to-month" && InternetService == "Fiber optic" && PaymentMethod == "Electronic check" && Churn == "No"
}

segment "long_contracts" {
  description = "Customers on a one- or two-year contract."
  where       = contains(["One year", "Two year"], Contract)
}
