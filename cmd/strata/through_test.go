package main

import (
	"strings"
	"testing"
)

// TestRelationshipThatFansOutFailsTheBuild: payments reach customers
// through orders; an order_id that repeats in orders would join each of
// its payments twice, so the build stops, names the relationship and an
// example key, and leaves the warehouse as it was. Deduplicated orders
// build, and each payment counts once.
func TestRelationshipThatFansOutFailsTheBuild(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "project.hcl", `project "shop" {
  schema         = "analytics"
  default_target = "local"
}

target "local" {
  dialect = "duckdb"
  path    = "shop.duckdb"
}

entity "customer" {
  key       = customer_id
  keys_from = [source.orders]
}

source "orders" {
  table       = "raw.orders"
  file        = "orders.csv"
  primary_key = order_id
  column "order_id"    { type = integer }
  column "customer_id" { type = string }
}

source "payments" {
  table   = "raw.payments"
  file    = "payments.csv"
  through = source.orders
  column "payment_id" { type = string }
  column "order_id"   { type = integer }
  column "amount"     { type = number }
}

metric "paid" {
  from  = source.payments
  value = sum(amount)
}
`)
	writeFile(t, dir, "orders.csv", "order_id,customer_id\n1,c1\n2,c2\n2,c3\n")
	writeFile(t, dir, "payments.csv", "payment_id,order_id,amount\np1,1,10\np2,2,25\n")
	code, _, stderr := strata(t, "--project", dir, "--as-of", "2025-06-30", "build", "--quiet")
	if code != exitInvalid {
		t.Fatalf("build with a repeated order_id: exit %d, want %d\n%s", code, exitInvalid, stderr)
	}
	for _, want := range []string{"Relationship fans out", "project.hcl:27:13", "1 values of order_id repeat in source.orders", "for example 2"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("diagnostic lacks %q:\n%s", want, stderr)
		}
	}
	if code, _, _ := strata(t, "--project", dir, "show", "customer_profile"); code == exitOK {
		t.Errorf("the failed build left customer_profile behind")
	}

	writeFile(t, dir, "orders.csv", "order_id,customer_id\n1,c1\n2,c2\n")
	if code, _, stderr := strata(t, "--project", dir, "--as-of", "2025-06-30", "build", "--quiet"); code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	code, out, stderr := strata(t, "--project", dir, "--json", "show", "customer_profile")
	if code != exitOK {
		t.Fatalf("show: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{`"c1"`, `"c2"`, `10`, `25`} {
		if !strings.Contains(out, want) {
			t.Errorf("customer_profile lacks %s:\n%s", want, out)
		}
	}
}
