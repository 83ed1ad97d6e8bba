package compiler_test

import (
	"fmt"
	"regexp"
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

// TestFileNameKeepsItsForm: the loop that makes names safe gives what the
// rule says, each run of characters other than [A-Za-z0-9_-] made one
// '_' (written here as a regular expression), on hostile names.
func TestFileNameKeepsItsForm(t *testing.T) {
	unsafe := regexp.MustCompile(`[^A-Za-z0-9_-]+`)
	names := []string{"segment_at_risk", "a b", "a  b", "_a..b_", "..", "", "é", "aé b", "x\x00\xffy", "\u2028\u2029", "a_/_b", "-", strings.Repeat("ab/", 40), "\"; DROP VIEW x; --"}
	for i := 0; i < 200; i++ {
		var b []byte
		for j := 0; j < i%17; j++ {
			b = append(b, byte(i*31+j*7))
		}
		names = append(names, string(b))
	}
	for i, name := range names {
		safe := unsafe.ReplaceAllString(name, "_")
		if len(safe) > 60 {
			safe = safe[:60]
		}
		want := fmt.Sprintf("%0*d_%s.sql", 4, i+1, safe)
		if got := compiler.FileName(i, 1000, name); got != want {
			t.Errorf("FileName(%d, 1000, %q) = %q, want %q", i, name, got, want)
		}
	}
	if got := compiler.FileName(0, 5, "x"); got != "001_x.sql" {
		t.Errorf("FileName(0, 5, x) = %q, want 001_x.sql", got)
	}
}
