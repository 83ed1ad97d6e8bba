package compiler_test

import (
	"strings"
	"testing"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
)

// withoutFunction is a dialect that lacks one portable function, as a
// warehouse without quarter truncation would.
type withoutFunction struct {
	dialects.Dialect
	missing string
}

func (d withoutFunction) Function(name string) (string, bool) {
	if name == d.missing {
		return "", false
	}
	return d.Dialect.Function(name)
}

func TestGrainTheDialectCannotExpress(t *testing.T) {
	src := `project "p" {}
source "customers" {
  table       = "raw.customers"
  primary_key = customer_id
  column "customer_id" { type = string }
}
source "subscriptions" {
  table  = "raw.subscriptions"
  entity = customer
  column "customer_id"    { type = string }
  column "monthly_amount" { type = number }
  column "started_at"     { type = date }
  column "ended_at"       { type = date }
}
entity "customer" {
  source = source.customers
  key    = customer_id
}
metric "mrr" {
  from  = source.subscriptions
  value = sum(monthly_amount)
  valid = [started_at, ended_at]
  grain = quarter
}
`
	_, plan, diags := compiler.Load([]compiler.File{{Name: "p.hcl", Bytes: []byte(src)}}, compiler.Options{AsOf: compiler.MustAsOf("2025-06-30")})
	if plan == nil {
		t.Fatal(diags)
	}
	duck, _ := dialects.Lookup("duckdb")
	if _, diags := compiler.Render(plan, duck); diags.HasErrors() {
		t.Fatalf("duckdb expresses quarters: %v", diags)
	}
	_, diags = compiler.Render(plan, withoutFunction{Dialect: duck, missing: "trunc_quarter"})
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got %v", diags)
	}
	d := diags[0]
	if d.Subject == nil || d.Subject.Start.Line != 23 || d.Subject.Start.Column != 11 {
		t.Errorf("the diagnostic should point at grain = quarter (p.hcl:23:11), got %v", d.Subject)
	}
	if !strings.Contains(d.Detail, "quarterly periods") {
		t.Errorf("detail does not name the feature: %s", d.Detail)
	}
}

// TestFileStem: a view's file name stays in its directory, and two names
// never share one.
func TestFileStem(t *testing.T) {
	seen := map[string]string{}
	for _, name := range []string{"segment_at_risk", "000_schema", "../../etc/passwd", "a/b", "a_b", "a b", "index", "Index", strings.Repeat("x", 80), strings.Repeat("x", 81), "", "é"} {
		stem := compiler.FileStem(name)
		if stem == "" || strings.ContainsAny(stem, "/\\.") || strings.EqualFold(stem, "index") || stem == "000_schema" || len(stem) > 69 {
			t.Errorf("FileStem(%q) = %q", name, stem)
		}
		if other, dup := seen[stem]; dup {
			t.Errorf("%q and %q share %q", name, other, stem)
		}
		seen[stem] = name
	}
	if compiler.FileStem("segment_at_risk") != "segment_at_risk" {
		t.Errorf("a safe name changed: %q", compiler.FileStem("segment_at_risk"))
	}
}
