source "telco" {
  description = "One row per customer of the telecom company, with the services taken and whether the customer left."
  table       = "raw.telco"
  file        = "data/Telco-Customer-Churn.csv"
  primary_key = customerID

  column "customerID" {
    type        = string
    description = "The customer's id."
  }
  column "gender" { type = string }
  column "SeniorCitizen" {
    type        = integer
    description = "1 for a customer aged 65 or more."
  }
  column "Partner"    { type = string }
  column "Dependents" { type = string }
  column "tenure" {
    type        = integer
    description = "Months the customer has been (or was) a customer."
  }
  column "PhoneService"  { type = string }
  column "MultipleLines" { type = string }
  column "InternetService" {
    type        = string
    description = "DSL, Fiber optic or No."
  }
  column "OnlineSecurity"   { type = string }
  column "OnlineBackup"     { type = string }
  column "DeviceProtection" { type = string }
  column "TechSupport"      { type = string }
  column "StreamingTV"      { type = string }
  column "StreamingMovies"  { type = string }
  column "Contract" {
    type        = string
    description = "Month-to-month, One year or Two year."
  }
  column "PaperlessBilling" { type = string }
  column "PaymentMethod"    { type = string }
  column "MonthlyCharges" {
    type        = number
    description = "What the customer pays per month, in dollars."
  }
  column "TotalCharges" {
    type        = string
    description = "What the customer paid in all; blank (a single space) for the 11 customers with a tenure of 0."
  }
  column "Churn" {
    type        = string
    description = "Yes for a customer who left in the last month."
  }
}

entity "customer" {
  source = source.telco
  key    = customerID
}
