// Package examples embeds the example projects that `strata init` writes
// into a new directory: its templates. The projects themselves are plain
// directories of HCL (with their unit tests under tests/); their data is
// generated (see package sampledata).
package examples

import "embed"

// Templates holds the projects init offers, each under its directory:
// saas/ (a B2B SaaS company: subscriptions, health, churn), usage-based/
// (customers billed by metered usage) and ecommerce/ (an online shop's
// orders, without a customer table).
//
//go:embed saas/*.hcl saas/tests/*.hcl saas/.gitignore
//go:embed usage-based/*.hcl usage-based/tests/*.hcl usage-based/tests/*.csv usage-based/.gitignore
//go:embed ecommerce/*.hcl ecommerce/tests/*.hcl ecommerce/.gitignore
var Templates embed.FS

// Template is one project init can write.
type Template struct {
	Name        string // as --template names it
	Dir         string // its directory in Templates
	Description string
	// Orders says the template's data is a shop's orders
	// (sampledata.GenerateOrders), not the SaaS data set.
	Orders bool
}

// TemplateList is every template, the default first.
var TemplateList = []Template{
	{Name: "saas", Dir: "saas", Description: "a B2B SaaS company: MRR and its movements, health, churn risk, cohorts"},
	{Name: "usage", Dir: "usage-based", Description: "customers billed by metered usage: units, usage revenue, shrinking and dormant accounts"},
	{Name: "ecommerce", Dir: "ecommerce", Description: "an online shop's orders: customers from the orders' keys, revenue by channel, VIPs, lapsed buyers, cohorts", Orders: true},
}
