package decode

import (
	"strings"
	"testing"
	"time"

	"github.com/strata-analytics/strata/models"
)

// A project with every block kind decodes into the model as written.
func TestDecodeEveryBlock(t *testing.T) {
	src := `
project "acme" {
  schema            = "marts"
  default_target    = "local"
  week_start        = "sunday"
  fiscal_year_start = "april"
}
target "local" {
  dialect = "duckdb"
  path    = "acme.duckdb"
}
source "customers" {
  description = "Customers."
  table       = "raw.customers"
  file        = "data/customers.csv"
  primary_key = customer_id
  time        = signed_up_at
  column "customer_id"  { type = string }
  column "signed_up_at" {
    type        = timestamp
    description = "Sign-up."
  }
}
model "paying" {
  sql    = "SELECT * FROM ${source.customers} WHERE x > 0"
  entity = customer
  dialect "postgres" { sql = "SELECT 1" }
  column "customer_id" { type = string }
}
entity "customer" {
  source = source.customers
  key    = customer_id
}
metric "mrr" {
  from          = source.customers
  value         = sum(amount)
  where         = plan != "free"
  valid         = [started_at, ended_at]
  allow_overlap = false
  grain         = quarter
  by            = [segment.big, segment.tiers]
  movements     = true
}
metric "logins" {
  from   = source.customers
  value  = count()
  window = "3 months"
}
segment "tiers" {
  of = customer
  tier "high" { where = metric.mrr > 100 }
  tier "rest" {}
}
cohort "signups" {
  joined    = signed_up_at
  active    = event(source.customers)
  grain     = week
  periods   = 8
  retention = "on_or_after"
  measures  = [metric.mrr]
  by        = segment.tiers
}
`
	parsed, diags := Files([]File{{Name: "p.hcl", Bytes: []byte(src)}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	p := parsed.Project
	if p.Name != "acme" || p.Schema != "marts" || p.DefaultTarget != "local" || p.Calendar.WeekStart != time.Sunday || p.Calendar.FiscalYearStart != time.April {
		t.Errorf("project: %+v", p)
	}
	if len(p.Targets) != 1 || p.Targets[0].Dialect != "duckdb" || p.Targets[0].Path != "acme.duckdb" {
		t.Errorf("target: %+v", p.Targets)
	}
	src0, model := p.Sources[0], p.Sources[1]
	if src0.Kind != models.KindSource || strings.Join(src0.Table, ".") != "raw.customers" || src0.File != "data/customers.csv" ||
		src0.PrimaryKey.Name != "customer_id" || src0.Time.Name != "signed_up_at" || len(src0.Columns) != 2 ||
		src0.Columns[1].Type != models.TypeTimestamp || src0.Columns[1].Description != "Sign-up." {
		t.Errorf("source: %+v", src0)
	}
	if model.Kind != models.KindModel || len(model.SQL.Parts) != 3 || model.SQL.Parts[1].Ref.String() != "source.customers" ||
		model.DialectSQL["postgres"] == nil || model.Entity.Name != "customer" {
		t.Errorf("model: %+v", model)
	}
	if e := p.Entities[0]; e.Source.String() != "source.customers" || e.Key.Name != "customer_id" {
		t.Errorf("entity: %+v", e)
	}
	mrr, logins := p.Metrics[0], p.Metrics[1]
	if mrr.From.String() != "source.customers" || mrr.Where == nil || mrr.Valid.Start.Name != "started_at" || mrr.Valid.End.Name != "ended_at" ||
		mrr.AllowOverlap || mrr.Grain.Grain != models.GrainQuarter || len(mrr.By) != 2 || mrr.By[1].Name != "tiers" || !mrr.Movements {
		t.Errorf("metric: %+v", mrr)
	}
	if !logins.AllowOverlap || logins.Window.Count != 3 || logins.Window.Unit != "month" {
		t.Errorf("metric with a window: %+v", logins)
	}
	if s := p.Segments[0]; s.Of.Name != "customer" || s.Where != nil || len(s.Tiers) != 2 || s.Tiers[1].Where != nil {
		t.Errorf("segment: %+v", s)
	}
	if c := p.Cohorts[0]; c.Grain.Grain != models.GrainWeek || c.Periods != 8 || c.Retention != models.RetentionOnOrAfter ||
		len(c.Measures) != 1 || c.By.Name != "tiers" || c.Joined == nil || c.Active == nil {
		t.Errorf("cohort: %+v", c)
	}
}

// Each block's own mistakes, every one reported in one run, at the value.
func TestDecodeReportsEveryProblem(t *testing.T) {
	src := `
project "p" {
  week_start = "sundy"
}
target "t" {
  dialect = "duckdb"
}
source "s" {
  nonsense = 1
  table = "raw..x"
  column "c" { type = strng }
}
metric "m" {
  value  = count()
  window = "3 fortnights"
  grain  = mnth
  by     = segment.x
}
segment "both" {
  where = true
  tier "a" {}
}
segment "none" {}
segment "default_first" {
  tier "all" {}
  tier "some" { where = true }
}
cohort "c" {
  joined    = x
  active    = y
  periods   = 0
  retention = "once"
  by        = [segment.x]
}
`
	_, diags := Files([]File{{Name: "p.hcl", Bytes: []byte(src)}})
	want := map[string]int{
		"Unknown weekday": 1, "Unsupported argument": 1, "Invalid table name": 1, "Unknown type": 1,
		"Invalid window": 1, "Unknown grain": 1, "Invalid list": 1,
		"Segment with both where and tiers": 1, "Segment without rule": 1, "Default tier not last": 1,
		"Invalid value": 1, "Invalid retention mode": 1, "Invalid reference": 1,
	}
	got := map[string]int{}
	for _, d := range diags {
		got[d.Summary]++
		if d.Subject == nil {
			t.Errorf("%s has no range", d.Summary)
		}
	}
	for summary, n := range want {
		if got[summary] != n {
			t.Errorf("%q: %d diagnostics, want %d (all: %v)", summary, got[summary], n, diags)
		}
	}
	if len(diags) != 13 {
		t.Errorf("want 13 diagnostics, got %d: %v", len(diags), diags)
	}
}
