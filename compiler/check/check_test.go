package check

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-analytics/strata/compiler/decode"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

const modelProject = `
project "p" {}
source "customers" {
  table       = "raw.customers"
  primary_key = id
  time        = signed_up_at
  column "id"           { type = string }
  column "plan"         { type = string }
  column "signed_up_at" { type = timestamp }
  column "last_seen_at" { type = timestamp }
}
source "subscriptions" {
  table  = "raw.subscriptions"
  entity = customer
  column "id"         { type = string }
  column "amount"     { type = number }
  column "started_at" { type = date }
  column "ended_at"   { type = date }
}
model "recent" {
  sql = "SELECT * FROM ${model.base}"
}
model "base" {
  sql = "SELECT * FROM ${source.customers}"
}
entity "customer" {
  source = source.customers
  key    = id
}
metric "mrr" {
  from      = source.subscriptions
  value     = sum(amount)
  valid     = [started_at, ended_at]
  grain     = month
  by        = [segment.paying]
  movements = true
}
metric "arr" { value = metric.mrr * 12 }
metric "churn_rate" { value = churn(metric.mrr) / opening(metric.mrr) }
metric "ltv" { value = trailing_avg(metric.churn_rate, 6, 1) }
segment "paying" { where = metric.mrr > 0 }
segment "inactive" {
  where = segment.paying && days_since(last_seen_at) > 7
}
cohort "signups" {
  joined   = signed_up_at
  active   = metric.mrr > 0
  measures = [metric.mrr]
}
`

func checkSource(t *testing.T, src string) (*Model, hcl.Diagnostics) {
	t.Helper()
	parsed, diags := decode.Files([]decode.File{{Name: "p.hcl", Bytes: []byte(src)}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return Check(parsed.Project, Options{AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)})
}

// The checked model is what later tools read: resolved declarations,
// typed expressions with holes where the planner decides, levels and
// dependency order.
func TestCheckedModel(t *testing.T) {
	m, diags := checkSource(t, modelProject)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	ent := m.Entity("customer")
	if ent == nil || ent.Key.Name != "id" || len(ent.Attributes) != 3 || m.Relation("source.subscriptions").Entity != ent {
		t.Fatalf("entity: %+v", ent)
	}
	var profile []string
	for _, x := range ent.Metrics {
		profile = append(profile, x.Decl.Name)
	}
	if strings.Join(profile, ",") != "mrr,arr" {
		t.Errorf("profile metrics %v: series-only metrics (churn_rate, ltv) are not profile columns", profile)
	}
	mrr, arr, churn, ltv := m.Metric("mrr"), m.Metric("arr"), m.Metric("churn_rate"), m.Metric("ltv")
	if mrr.Rel == nil || mrr.Type != models.TypeNumber || !mrr.ZeroWhenEmpty || !mrr.IsBalance() || len(mrr.By) != 1 || mrr.By[0] != m.Segment("paying") {
		t.Errorf("mrr: %+v", mrr)
	}
	if arr.Level != 1 || arr.Used[0] != "mrr" || arr.Periodic {
		t.Errorf("arr: level %d, used %v", arr.Level, arr.Used)
	}
	if !churn.Periodic || churn.Type != models.TypeNumber || !hasHole[PeriodValue](churn.Series) {
		t.Errorf("churn_rate: periodic %v, series %#v", churn.Periodic, churn.Series)
	}
	if !ltv.Periodic || !hasHole[TrailingAvg](ltv.Series) {
		t.Errorf("ltv: periodic %v, series %#v", ltv.Periodic, ltv.Series)
	}
	inactive := m.Segment("inactive")
	if inactive.Level != 2 || !hasHole[AsOf](inactive.Rule) || strings.Join(inactive.Used, ",") != "paying,last_seen_at" {
		t.Errorf("inactive: level %d, used %v, rule %#v", inactive.Level, inactive.Used, inactive.Rule)
	}
	if got := strings.Join(m.Order, " "); !strings.HasPrefix(got, "metric.mrr") || strings.Index(got, "segment.paying") > strings.Index(got, "segment.inactive") {
		t.Errorf("dependency order: %s", got)
	}
	if len(m.SQLModels) != 2 || m.SQLModels[0].Decl.Name != "base" || m.SQLModels[1].Decl.Name != "recent" {
		t.Errorf("models in dependency order: %v", m.SQLModels)
	}
	co := m.Cohorts[0]
	if co.Joined.Attribute == nil || co.Joined.Attribute.Name != "signed_up_at" || co.Active.Condition == nil || co.Active.Used[0] != "mrr" ||
		co.Grain != models.GrainMonth || len(co.Measures) != 1 {
		t.Errorf("cohort: %+v", co)
	}
	if got := strings.Join(CohortColumns(co), ","); got != "cohort,period,complete,cohort_size,active,retention,mrr,mrr_retention" {
		t.Errorf("cohort columns: %s", got)
	}
}

func hasHole[T any](e sqltree.Expr) bool {
	found := false
	sqltree.Holes(e, func(h sqltree.Hole) {
		if _, ok := h.Value.(T); ok {
			found = true
		}
	})
	return found
}

// The problems that used to surface only while views were planned are
// the checker's: every one reported by Check, in one run.
func TestCheckReportsWhatPlanningNeeds(t *testing.T) {
	src := modelProject + `
source "events" {
  table  = "raw.events"
  entity = customer
  column "id"   { type = string }
  column "name" { type = string }
}
metric "undated" {
  from  = source.events
  value = count()
  grain = week
}
metric "not_a_balance" {
  from          = source.subscriptions
  value         = count()
  movements     = true
  allow_overlap = false
}
metric "churn_by_plan" {
  value = churn(metric.mrr)
  by    = [segment.paying]
}
cohort "broken" {
  joined = first(source.events)
  active = event(source.nowhere)
}
segment "arr_rank" { where = percent_rank(metric.arr) > 0.9 }
metric "paying" { value = 1 + 1 }
`
	_, diags := checkSource(t, src)
	got := map[string]bool{}
	for _, d := range diags {
		got[d.Summary] = true
	}
	for _, want := range []string{"Time series without time", "Movements of a non-balance metric", "Overlap check on a non-balance metric",
		"Rows without time", "Unknown source", "Duplicate column of customer_profile"} {
		if !got[want] {
			t.Errorf("no %q among %v", want, diags)
		}
	}
}

// oneLineBlocks unfolds metric "x" { from = a, value = b }: HCL takes one
// argument per line.
var oneLineBlocks = regexp.MustCompile(`\{ from = (\S+), value = (.*) \}`)

// Additive metrics are those whose values add up over entities: the build
// summary shows their total, and only an average for the others.
func TestAdditiveMetrics(t *testing.T) {
	src := `
project "p" {}
source "customers" {
  table = "raw.customers"
  column "id"    { type = string }
  column "seats" { type = integer }
  column "score" { type = number }
}
source "payments" {
  table  = "raw.payments"
  entity = customer
  column "id"     { type = string }
  column "amount" { type = number }
}
entity "customer" {
  source = source.customers
  key    = id
}
metric "paid"        { from = source.payments, value = sum(amount) }
metric "payments"    { from = source.payments, value = count() }
metric "big"         { from = source.payments, value = count_if(amount > 100) }
metric "net"         { from = source.payments, value = sum(amount) - sum(amount) * 0.2 }
metric "largest"     { from = source.payments, value = max(amount) }
metric "average"     { from = source.payments, value = avg(amount) }
metric "per_payment" { from = source.payments, value = sum(amount) / count() }
metric "plus_one"    { from = source.payments, value = count() + 1 }
metric "annual"      { value = metric.paid * 12 }
metric "monthly"     { value = (metric.paid / 12) }
metric "both"        { value = metric.paid + metric.annual - metric.payments }
metric "negative"    { value = -metric.paid }
metric "ratio"       { value = metric.paid / metric.payments }
metric "squared"     { value = metric.paid * metric.paid }
metric "score2"      { value = score * 2 }
metric "seats_paid"  { value = seats > 0 ? metric.paid : 0 }
`
	m, diags := checkSource(t, oneLineBlocks.ReplaceAllString(src, "{\n  from = $1\n  value = $2\n}"))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := map[string]bool{
		"paid": true, "payments": true, "big": true, "net": true, "annual": true, "monthly": true, "both": true, "negative": true,
		"largest": false, "average": false, "per_payment": false, "plus_one": false, "ratio": false, "squared": false, "score2": false, "seats_paid": false,
	}
	for name, additive := range want {
		if got := m.Metric(name).Additive; got != additive {
			t.Errorf("metric %s: Additive = %v, want %v", name, got, additive)
		}
	}
}

// Number literals print as the shortest decimal that denotes them, with
// the fast float64 path and the exact 512-bit path agreeing.
func TestNumberText(t *testing.T) {
	for _, lit := range []string{"0.9", "0.1", "12.5", "1e-7", "123456789.123456789", "0.30000000000000004", "3.141592653589793238462643383279", "1e300", "1.5e400", "-0.25", "7"} {
		f, _, err := big.ParseFloat(lit, 10, 512, big.ToNearestEven)
		if err != nil {
			t.Fatal(err)
		}
		got, want := decimalText(f), f.Text('f', -1)
		if f.IsInt() {
			i, _ := f.Int(nil)
			got, want = integerText(f), i.String()
		}
		if got != want {
			t.Errorf("%s: %s, want %s", lit, got, want)
		}
	}
}

// traversals lists what expr.Variables() lists, in the same order.
func TestTraversalsMatchVariables(t *testing.T) {
	for _, src := range []string{
		`metric.a + segment.b * (c - metric["d e"])`,
		`x ? metric.y : f(segment.z, [metric.w, 1], "s${metric.t}")`,
		`!segment.a && -metric.b > 0`,
		`{ k = metric.v }.k`,
		`[for s in metric.list : s.x if segment.keep]`,
		`metric.a[segment.b].c`,
		`coalesce(metric.a, 0)[0]`,
		`"${metric.a}"`,
		`metric.list[*].x`,
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "x.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", src, diags)
		}
		var got, want []string
		traversals(expr, func(tr hcl.Traversal) { got = append(got, fmt.Sprintf("%s %v", tr.RootName(), tr.SourceRange())) })
		for _, tr := range expr.Variables() {
			want = append(want, fmt.Sprintf("%s %v", tr.RootName(), tr.SourceRange()))
		}
		if strings.Join(got, "; ") != strings.Join(want, "; ") {
			t.Errorf("%s:\n got %v\nwant %v", src, got, want)
		}
	}
}

// A floor on contactable members needs contact columns, on the segment or
// its entity; with them, the segment's own replace the entity's.
func TestQualityContact(t *testing.T) {
	src := modelProject + `
segment "reachable" {
  where   = metric.mrr > 0
  history = month
  expect { contactable = 0.9 }
}
`
	_, diags := checkSource(t, src)
	if len(diags) != 1 || diags[0].Summary != "Contactable without contact" {
		t.Fatalf("diagnostics %v, want one Contactable without contact", diags)
	}
	m, diags := checkSource(t, strings.Replace(src, `history = month`, "history = month\n  contact = [id]", 1))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	sg := m.Entities[0].Segments[len(m.Entities[0].Segments)-1]
	if len(sg.Contact) != 1 || sg.Contact[0].Name != "id" || strings.Join(sg.Measured, ",") != "mrr" {
		t.Errorf("contact %v, measured %v; want [id] and [mrr]", sg.Contact, sg.Measured)
	}
}
