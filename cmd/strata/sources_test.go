package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/internal/dbtest"
)

// TestSourcesReportQuirks counts what a real export does to the numbers
// without an error: the online retailer's purchases without a customer id
// and those after as_of (counted here from the CSV itself), and, on a
// small table, a customer id that repeats and so doubles a profile row.
// build prints the same, and strata sources --json gives the counts.
func TestSourcesReportQuirks(t *testing.T) {
	shared, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared", "datasets", "online-retail-cohorts", "online_cohorts.csv"))
	if _, err := os.Stat(shared); err != nil {
		dbtest.Missing(t, "no real datasets beside the repository: "+err.Error())
	}
	const asOf = "2011-06-20"
	f, err := os.Open(shared)
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var rows, blank, after int64
	for _, r := range records[1:] {
		rows++
		if r[0] == "" {
			blank++
		}
		if r[1] > asOf {
			after++
		}
	}

	dir := t.TempDir()
	writeFile(t, dir, "customers.csv", "customer_id,name\nc1,Ann\nc2,Bob\nc2,Bob again\nc3,\n")
	writeFile(t, dir, "project.hcl", `project "quirks" {
  schema         = "analytics"
  default_target = "local"
}

target "local" {
  dialect = "duckdb"
  path    = "quirks.duckdb"
}

source "purchases" {
  table      = "raw.online_cohorts"
  file       = `+strconv.Quote(filepath.ToSlash(shared))+`
  entity     = buyer
  entity_key = CustomerID
  time       = InvoiceDate
  column "CustomerID"  { type = integer }
  column "InvoiceDate" { type = date }
}

model "buyers" {
  sql = "SELECT DISTINCT \"CustomerID\" AS customer_id FROM ${source.purchases} WHERE \"CustomerID\" IS NOT NULL"
  column "customer_id" { type = integer }
}

entity "buyer" {
  source = model.buyers
  key    = customer_id
}

metric "purchase_days" {
  of    = buyer
  from  = source.purchases
  value = count()
}

source "customers" {
  table = "raw.customers"
  file  = "customers.csv"
  column "customer_id" { type = string }
  column "name"        { type = string }
}

entity "customer" {
  source = source.customers
  key    = customer_id
}
`)
	code, stdout, stderr := strata(t, "--project", dir, "--as-of", asOf, "build", "--quiet")
	if code != exitOK {
		t.Fatalf("build: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{
		formatCount(blank) + " of " + formatCount(rows) + " rows have no CustomerID: they belong to no entity",
		formatCount(after) + " of " + formatCount(rows) + " rows are dated (InvoiceDate) after as_of, " + asOf,
		"1 of 4 rows repeat a customer_id another row has: customer_profile has a row per repeat",
		"empty (NULL) cells: name 1.",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("build does not say %q:\n%s", want, stdout)
		}
	}
	if blank != 277 {
		t.Errorf("the export has %d purchases without a customer id; its README says 277", blank)
	}

	code, stdout, stderr = strata(t, "--project", dir, "--as-of", asOf, "--json", "sources")
	if code != exitOK {
		t.Fatalf("sources: exit %d\n%s", code, stderr)
	}
	var out struct {
		Sources []sourceReport `json:"sources"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if len(out.Sources) != 2 {
		t.Fatalf("%d sources reported, want purchases and customers:\n%s", len(out.Sources), stdout)
	}
	p, c := out.Sources[0], out.Sources[1]
	if p.Rows != rows || p.WithoutKey == nil || p.WithoutKey.Rows != blank || p.AfterAsOf == nil || p.AfterAsOf.Rows != after || p.DuplicateKey != nil {
		t.Errorf("purchases: %+v; want %d rows, %d without CustomerID, %d after as_of, no key to repeat", p, rows, blank, after)
	}
	if c.Rows != 4 || c.DuplicateKey == nil || c.DuplicateKey.Rows != 1 || c.WithoutKey == nil || c.WithoutKey.Rows != 0 || c.EntityOf != "customer" || len(c.Empty) != 1 || c.Empty[0].Column != "name" {
		t.Errorf("customers: %+v", c)
	}
	// The repeat is what the profile shows: c2 twice.
	code, stdout, _ = strata(t, "--project", dir, "--as-of", asOf, "--json", "show", "customer_profile")
	if code != exitOK || strings.Count(stdout, `"c2"`) != 2 {
		t.Errorf("customer_profile should hold c2 twice, as the report warns:\n%s", stdout)
	}
}
