package check

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/decode"
)

// limitsProject is a one-entity project to which a test appends definitions.
const limitsProject = `
project "limits" {}
source "customers" {
  table       = "raw.customers"
  primary_key = id
  column "id"   { type = string }
  column "plan" { type = string }
}
entity "customer" {
  source = source.customers
  key    = id
}
metric "m0" {
  from  = source.customers
  value = count()
}
`

func loadLimits(t *testing.T, extra string) hcl.Diagnostics {
	t.Helper()
	parsed, diags := decode.Files([]decode.File{{Name: "p.hcl", Bytes: []byte(limitsProject + extra)}})
	if diags.HasErrors() {
		return diags
	}
	_, diags = Check(parsed.Project, Options{})
	return diags
}

// summaries counts the diagnostics by summary.
func summaries(diags hcl.Diagnostics) map[string]int {
	out := map[string]int{}
	for _, d := range diags {
		out[d.Summary]++
	}
	return out
}

func TestExpressionDepthLimit(t *testing.T) {
	rule := func(n int) string {
		return "segment \"s\" {\n  where = metric.m0" + strings.Repeat(" / 2", n-1) + " > 0\n}\n"
	}
	if diags := loadLimits(t, rule(MaxExpressionDepth-1)); diags.HasErrors() {
		t.Fatalf("an expression at the limit is refused: %v", diags)
	}
	diags := loadLimits(t, rule(MaxExpressionDepth+1)+strings.Replace(rule(MaxExpressionDepth+50), `"s"`, `"t"`, 1))
	if got := summaries(diags); got["Expression too deep"] != 2 || len(diags) != 2 {
		t.Fatalf("want one diagnostic per too deep expression, got %v", diags)
	}
	// Binary chains are not bounded by the parser's nesting limit: 100,000
	// terms parse, and the checker refuses them, quickly.
	diags = loadLimits(t, "metric \"sum\" {\n  value = metric.m0"+strings.Repeat(" + 1", 100000)+"\n}\n")
	if got := summaries(diags); got["Expression too deep"] != 1 {
		t.Fatalf("a 100,000-term chain: %v", diags)
	}
}

func TestChainOfDefinitionsLimit(t *testing.T) {
	chain := func(n int) string {
		var b strings.Builder
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "metric \"m%d\" { value = metric.m%d + 1 }\n", i, i-1)
		}
		return b.String()
	}
	if diags := loadLimits(t, chain(MaxLevels)); diags.HasErrors() {
		t.Fatalf("a chain at the limit is refused: %v", diags)
	}
	// One diagnostic, at the first link past the limit, not one per link.
	diags := loadLimits(t, chain(1000))
	if got := summaries(diags); got["Chain of definitions too long"] != 1 || len(diags) != 1 {
		t.Fatalf("a chain of 1,000: %v", diags)
	}
	if !strings.Contains(diags[0].Detail, fmt.Sprintf("%q", fmt.Sprintf("m%d", MaxLevels+1))) {
		t.Errorf("the diagnostic should name m%d: %s", MaxLevels+1, diags[0].Detail)
	}
}
