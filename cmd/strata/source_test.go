package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-analytics/strata/internal/dbtest"
)

// TestSourceAddDeclaresRealFiles runs `strata source add` on real public
// exports: the blocks it prints validate and build as they are, every
// row of every file loads, and the columns get the types their cells
// have (a telecom TotalCharges with 11 cells of one space is a number
// with NULLs, a retailer's blank CustomerIDs leave it an integer, and
// CDNOW's whitespace-separated file with YYYYMMDD dates and ids with
// leading zeros reads with --delimiter whitespace --date-format %Y%m%d).
func TestSourceAddDeclaresRealFiles(t *testing.T) {
	datasets, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "datasets"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(datasets); err != nil {
		dbtest.Missing(t, "no real datasets at "+datasets)
	}
	files := map[string]int64{
		"telco-churn/Telco-Customer-Churn.csv":     7043,
		"online-retail-cohorts/online_cohorts.csv": 19573,
		"gamelaunch/gamelaunch.csv":                29324,
		"jaffle_shop/raw_customers.csv":            100,
		"jaffle_shop/raw_orders.csv":               99,
		"jaffle_shop/raw_payments.csv":             113,
		"cdnow/cdnow_customers_summary.csv":        -1, // rows not published; counted below
		"mrr-playbook/subscription_periods.csv":    121,
		"foodie-fi/subscriptions.csv":              2650,
		"cdnow/CDNOW_master.txt":                   69659, // whitespace-separated, dates YYYYMMDD
	}
	flags := map[string][]string{"cdnow/CDNOW_master.txt": {"--delimiter", "whitespace", "--date-format", "%Y%m%d"}}
	dir := t.TempDir()
	writeFile(t, dir, "project.hcl", `project "imported" {
  schema         = "analytics"
  default_target = "local"
}

target "local" {
  dialect = "duckdb"
  path    = "imported.duckdb"
}
`)
	var blocks strings.Builder
	types := map[string]string{}
	for rel := range files {
		code, out, stderr := strata(t, append([]string{"--project", dir, "--json", "source", "add", filepath.Join(datasets, rel)}, flags[rel]...)...)
		if code != exitOK {
			t.Fatalf("source add %s: exit %d\n%s", rel, code, stderr)
		}
		var got struct {
			Name    string `json:"name"`
			Rows    int64  `json:"rows"`
			HCL     string `json:"hcl"`
			Columns []struct {
				Name string `json:"name"`
				Type string `json:"type"`
			} `json:"columns"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("source add %s --json: %v\n%s", rel, err, out)
		}
		if want := files[rel]; want >= 0 && got.Rows != want {
			t.Errorf("%s: %d rows, want %d", rel, got.Rows, want)
		}
		files[rel] = got.Rows
		for _, c := range got.Columns {
			types[got.Name+"."+c.Name] = c.Type
		}
		blocks.WriteString(got.HCL + "\n")
	}
	writeFile(t, dir, "sources.hcl", blocks.String())
	for column, want := range map[string]string{
		"telco_customer_churn.TotalCharges": "number", "telco_customer_churn.tenure": "integer",
		"online_cohorts.CustomerID": "integer", "online_cohorts.InvoiceDate": "date",
		"gamelaunch.eventDate": "timestamp", "raw_payments.amount": "integer",
		"cdnow_master.customer_id": "string", "cdnow_master.date": "date", "cdnow_master.dollar_value": "number",
	} {
		if types[column] != want {
			t.Errorf("%s: %s, want %s", column, types[column], want)
		}
	}
	if code, _, stderr := strata(t, "--project", dir, "validate"); code != exitOK {
		t.Fatalf("validate: exit %d\n%s\n%s", code, stderr, blocks.String())
	}
	code, out, stderr := strata(t, "--project", dir, "--json", "build", "--quiet")
	if code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	var built struct {
		Seeds []struct {
			Source string `json:"source"`
			Rows   int64  `json:"rows"`
		} `json:"seeds"`
	}
	if err := json.Unmarshal([]byte(out), &built); err != nil {
		t.Fatalf("build --json: %v\n%s", err, out)
	}
	loaded := map[string]int64{}
	for _, s := range built.Seeds {
		loaded[s.Source] = s.Rows
	}
	for rel, rows := range files {
		if name := sourceName(rel); loaded[name] != rows {
			t.Errorf("build loaded %d rows into %s, the file has %d", loaded[name], name, rows)
		}
	}
}

// TestHCLStringRoundTrips: a column name from a file's header, however
// hostile, reads back from the source block as the same name.
func TestHCLStringRoundTrips(t *testing.T) {
	for _, name := range []string{`plain`, `with "quotes"`, `back\slash`, `${var.x}`, `%{ if true }`, `$${x}`, "tab\there", "new\nline", "bell\x07", `trailing\`, `ünï ☃`} {
		src := "x = " + hclString(name) + "\n"
		f, diags := hclsyntax.ParseConfig([]byte(src), "t.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Errorf("%q: %s does not parse: %v", name, src, diags)
			continue
		}
		attrs, _ := f.Body.JustAttributes()
		v, diags := attrs["x"].Expr.Value(nil)
		if diags.HasErrors() || v.AsString() != name {
			t.Errorf("%q: %s reads back as %#v (%v)", name, src, v, diags)
		}
	}
}
