package views

import (
	"strings"
	"testing"
	"time"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/compiler/decode"
	"github.com/strata-analytics/strata/dialects/duckdb"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// addMonths must clamp as SQL engines do, so a pinned as_of and a live one
// give the same window.
func TestAddMonthsClamps(t *testing.T) {
	for from, want := range map[string]string{
		"2025-03-31": "2025-02-28",
		"2024-03-31": "2024-02-29",
		"2025-07-01": "2025-06-01",
		"2025-01-15": "2024-12-15",
	} {
		day, _ := time.Parse(time.DateOnly, from)
		if got := addMonths(day, -1).Format(time.DateOnly); got != want {
			t.Errorf("addMonths(%s, -1) = %s, want %s", from, got, want)
		}
	}
}

// The evaluation date binds to a literal with a pinned as_of, to
// CURRENT_DATE when live, and to a frame's column over time, recording
// that the frame reads it.
func TestBindDates(t *testing.T) {
	hole := sqltree.Hole{Value: check.AsOf{Days: 1, Months: -3}}
	pinned := &planner{m: &check.Model{Project: &models.Project{}, AsOf: time.Date(2025, 3, 30, 0, 0, 0, 0, time.UTC)}}
	live := &planner{m: &check.Model{Project: &models.Project{}}}
	used := false
	frame := binding{at: sqltree.Column{Name: "strata_as_of"}, atUsed: &used}
	d := duckdb.New()
	for _, c := range []struct {
		p    *planner
		b    binding
		want string
	}{
		{pinned, binding{}, `CAST('2024-12-31' AS DATE)`},
		{live, binding{}, `CAST(CAST(CAST(CAST(CURRENT_DATE AS DATE) + CAST(1 AS INTEGER) AS DATE) AS DATE) + to_months(CAST((-3) AS INTEGER)) AS DATE)`},
		{pinned, frame, `CAST(CAST(CAST(CAST("strata_as_of" AS DATE) + CAST(1 AS INTEGER) AS DATE) AS DATE) + to_months(CAST((-3) AS INTEGER)) AS DATE)`},
	} {
		got, err := sqltree.RenderExpr(c.p.bind(hole, c.b), d)
		if err != nil || got != c.want {
			t.Errorf("got %s (%v), want %s", got, err, c.want)
		}
	}
	if !used {
		t.Error("the frame was not told that the expression reads its date")
	}
}

// A cohort view has the columns the checker named for it, in order.
func TestCohortColumnsMatchTheChecker(t *testing.T) {
	src := `
project "p" {}
source "customers" {
  table = "raw.customers"
  column "id"           { type = string }
  column "signed_up_at" { type = timestamp }
}
source "subscriptions" {
  table  = "raw.subscriptions"
  entity = customer
  column "id"         { type = string }
  column "amount"     { type = number }
  column "started_at" { type = date }
  column "ended_at"   { type = date }
}
entity "customer" {
  source = source.customers
  key    = id
}
metric "mrr" {
  from  = source.subscriptions
  value = sum(amount)
  valid = [started_at, ended_at]
}
segment "paying" { where = metric.mrr > 0 }
cohort "signups" {
  joined   = signed_up_at
  active   = metric.mrr > 0
  measures = [metric.mrr]
  by       = segment.paying
}
`
	parsed, diags := decode.Files([]decode.File{{Name: "p.hcl", Bytes: []byte(src)}})
	m, more := check.Check(parsed.Project, check.Options{})
	if diags.HasErrors() || more.HasErrors() {
		t.Fatal(diags, more)
	}
	plan := New(m)
	out := plan.Outputs[len(plan.Outputs)-1]
	var got []string
	for _, c := range out.Columns {
		got = append(got, c.Name)
	}
	if want := check.CohortColumns(m.Cohorts[0]); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("planned %v, checked %v", got, want)
	}
}
