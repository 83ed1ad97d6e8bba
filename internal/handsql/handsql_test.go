package handsql_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/handsql"
	"github.com/strata-analytics/strata/sampledata"
)

const asOf = "2025-06-30"

// build builds the revenue project on generated data in an in-memory DuckDB.
func build(t *testing.T, customers int) *engine.DuckDB {
	t.Helper()
	dir := t.TempDir()
	if _, err := sampledata.Generate(filepath.Join(dir, "data"), sampledata.Options{Customers: customers}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "project.hcl"), []byte(handsql.Project), 0o644); err != nil {
		t.Fatal(err)
	}
	_, plan, diags := compiler.Load([]compiler.File{{Name: "project.hcl", Bytes: []byte(handsql.Project)}}, compiler.Options{AsOf: compiler.MustAsOf(asOf)})
	if plan == nil {
		t.Fatal(diags)
	}
	d, _ := dialects.Lookup("duckdb")
	compiled, diags := compiler.Render(plan, d)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	wh, err := engine.OpenDuckDB("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	ctx := context.Background()
	if _, err := wh.Build(ctx, engine.BuildInput{Project: plan.Project, ProjectDir: dir, Compiled: compiled, LoadSeeds: true}); err != nil {
		t.Fatal(err)
	}
	return wh
}

func query(t *testing.T, wh engine.Warehouse, sql string) [][]string {
	t.Helper()
	rows, err := wh.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	var out [][]string
	for _, r := range rows.Values {
		var row []string
		for _, v := range r {
			switch x := v.(type) {
			case float64:
				// Sums of amounts may differ in the last bits between
				// formulations; cents are what a user reads.
				row = append(row, fmt.Sprintf("%.6f", math.Round(x*1e6)/1e6))
			default:
				row = append(row, fmt.Sprint(v))
			}
		}
		out = append(out, row)
	}
	return out
}

// TestViewsMatchHandWrittenSQL compares monthly MRR, the MRR movements and
// the cohort matrix with queries written independently by hand.
func TestViewsMatchHandWrittenSQL(t *testing.T) {
	wh := build(t, 3000)
	for _, v := range handsql.Views {
		t.Run(v.View, func(t *testing.T) {
			got := query(t, wh, "SELECT "+v.Columns+" FROM analytics."+v.View+" ORDER BY "+v.Columns)
			want := query(t, wh, "SELECT "+v.Columns+" FROM ("+handsql.At(v.Query, asOf)+") AS hand ORDER BY "+v.Columns)
			if len(got) == 0 {
				t.Fatal("the view is empty")
			}
			if len(got) != len(want) {
				t.Fatalf("%d rows, hand-written SQL has %d", len(got), len(want))
			}
			for i := range got {
				if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
					t.Fatalf("row %d: got %v, hand-written SQL %v", i, got[i], want[i])
				}
			}
			t.Logf("%d rows equal", len(got))
		})
	}
}

// TestMovementsAddUp checks the movement summary's invariant in every
// period: opening + new + expansion + contraction + churn + reactivation =
// closing, closing = MRR, and each opening is the previous closing.
func TestMovementsAddUp(t *testing.T) {
	wh := build(t, 3000)
	rows := query(t, wh, `
SELECT s.period,
       round(s.opening + s.new + s.expansion + s.contraction + s.churn + s.reactivation - s.closing, 6) AS off,
       round(s.closing - m.value, 6) AS off_mrr,
       round(s.opening - COALESCE(LAG(s.closing) OVER (ORDER BY s.period), 0), 6) AS off_previous,
       s.new > 0 AND s.churn < 0 AS moving
FROM analytics.mrr_movements_summary AS s
JOIN analytics.metric_mrr AS m ON m.period = s.period
ORDER BY s.period`)
	if len(rows) < 12 {
		t.Fatalf("only %d periods", len(rows))
	}
	moving := 0
	for _, r := range rows {
		if r[1] != "0.000000" || r[2] != "0.000000" || r[3] != "0.000000" {
			t.Errorf("period %s does not add up: movements off by %s, closing - MRR %s, opening - previous closing %s", r[0], r[1], r[2], r[3])
		}
		if r[4] == "true" {
			moving++
		}
	}
	if moving < len(rows)/2 {
		t.Errorf("only %d of %d periods have both new business and churn: the data does not exercise the movements", moving, len(rows))
	}
}

// buildExample builds the example project (examples/saas) on generated
// data in an in-memory DuckDB.
func buildExample(t *testing.T, customers int, extra ...compiler.File) *engine.DuckDB {
	t.Helper()
	dir := t.TempDir()
	if _, err := sampledata.Generate(filepath.Join(dir, "data"), sampledata.Options{Customers: customers}); err != nil {
		t.Fatal(err)
	}
	var files []compiler.File
	paths, _ := filepath.Glob("../../examples/saas/*.hcl")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, compiler.File{Name: filepath.Base(p), Bytes: b})
	}
	files = append(files, extra...)
	_, plan, diags := compiler.Load(files, compiler.Options{AsOf: compiler.MustAsOf(asOf)})
	if plan == nil {
		t.Fatal(diags)
	}
	d, _ := dialects.Lookup("duckdb")
	compiled, diags := compiler.Render(plan, d)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	wh, err := engine.OpenDuckDB("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	if _, err := wh.Build(context.Background(), engine.BuildInput{Project: plan.Project, ProjectDir: dir, Compiled: compiled, LoadSeeds: true}); err != nil {
		t.Fatal(err)
	}
	return wh
}

// TestProfileAndSegmentsMatchHandWrittenSQL compares the example's
// profile, every column of it, and each segment's members with queries
// written independently by hand.
func TestProfileAndSegmentsMatchHandWrittenSQL(t *testing.T) {
	wh := buildExample(t, 3000)
	cols := "customer_id, name, signed_up_at, acquisition_channel, plan, country, company_size, account_status, last_seen_at, " +
		"mrr, arr, active_subscriptions, logins_30d, features_used_30d, features_used, tenure_days, tickets_90d, " +
		"urgent_ticket_share, avg_resolution_hours, nps, avg_nps_score, health_score, monthly_profit, " +
		"twitter_trials, at_risk, not_onboarded, high_maintenance_low_value, least_profitable, advocates, enterprise_europe, touch_model"
	got := query(t, wh, "SELECT "+cols+" FROM analytics.customer_profile ORDER BY customer_id")
	want := query(t, wh, "SELECT "+cols+" FROM ("+handsql.At(handsql.Profile, asOf)+") AS hand ORDER BY customer_id")
	if len(got) < 2000 || len(got) != len(want) {
		t.Fatalf("%d profile rows, hand-written SQL has %d", len(got), len(want))
	}
	for i := range got {
		if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
			t.Fatalf("profile row %d:\n got %v\nwant %v", i, got[i], want[i])
		}
	}
	t.Run("segment overlap", func(t *testing.T) {
		// Each pair counted from the two segment views, themselves checked
		// against hand-written SQL below.
		var names []string
		for _, s := range handsql.Segments {
			names = append(names, s.Segment)
		}
		var pairs []string
		for i, a := range names {
			for _, b := range names[i+1:] {
				pairs = append(pairs, fmt.Sprintf(`SELECT '%[1]s' AS a, '%[2]s' AS b,
				  (SELECT count(*) FROM analytics.segment_%[1]s) AS na, (SELECT count(*) FROM analytics.segment_%[2]s) AS nb,
				  (SELECT count(*) FROM analytics.segment_%[1]s JOIN analytics.segment_%[2]s USING (customer_id)) AS nab`, a, b))
			}
		}
		hand := "SELECT a, b, na, nb, nab, na - nab, nb - nab, round(nab / nullif(na + nb - nab, 0), 9) FROM (" +
			strings.Join(pairs, " UNION ALL ") + ") AS p ORDER BY a, b"
		got := query(t, wh, "SELECT segment_a, segment_b, members_a, members_b, in_both, only_a, only_b, round(jaccard, 9) FROM analytics.customer_segment_overlap ORDER BY 1, 2")
		want := query(t, wh, hand)
		if len(got) != len(names)*(len(names)-1)/2 || len(got) != len(want) {
			t.Fatalf("%d pairs, hand-written SQL has %d, %d segments", len(got), len(want), len(names))
		}
		for i := range got {
			if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
				t.Fatalf("pair %d: got %v, hand-written SQL %v", i, got[i], want[i])
			}
		}
	})
	for _, h := range []struct {
		view, columns, hand string
		minRows             int
	}{
		{"segment_touch_model_history", "period, customer_id, tier", handsql.TouchModelHistory, 20000},
		{"segment_advocates_history", "period, customer_id", handsql.AdvocatesHistory, 300},
		{"segment_at_risk_history", "period, customer_id", handsql.AtRiskHistory, 300},
	} {
		t.Run(h.view, func(t *testing.T) {
			got := query(t, wh, "SELECT "+h.columns+" FROM analytics."+h.view+" ORDER BY 1, 2")
			want := query(t, wh, "SELECT "+h.columns+" FROM ("+h.hand+") AS hand ORDER BY 1, 2")
			if len(got) < h.minRows || len(got) != len(want) {
				t.Fatalf("%d rows, hand-written SQL has %d", len(got), len(want))
			}
			for i := range got {
				if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
					t.Fatalf("row %d: got %v, hand-written SQL %v", i, got[i], want[i])
				}
			}
			t.Logf("%d rows equal", len(got))
		})
	}
	for _, s := range handsql.Segments {
		t.Run(s.Segment, func(t *testing.T) {
			key := "customer_id"
			if s.Segment == "touch_model" || s.Segment == "at_risk_outreach" {
				key = "customer_id, tier"
			}
			got := query(t, wh, "SELECT "+key+" FROM analytics.segment_"+s.Segment+" ORDER BY 1")
			want := query(t, wh, "SELECT "+key+" FROM ("+s.Query+") AS hand ORDER BY 1")
			if len(got) == 0 || len(got) != len(want) {
				t.Fatalf("%d members, hand-written SQL has %d", len(got), len(want))
			}
			for i := range got {
				if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
					t.Fatalf("member %d: got %v, hand-written SQL %v", i, got[i], want[i])
				}
			}
		})
	}
}

// ranks are the example with Pareto and top-N columns over its tickets
// and MRR, which tie often (many customers have 0, 1 or 2 tickets).
const ranks = `
metric "ticket_rank" {
  value = rank(metric.tickets_90d)
}

metric "ticket_decile" {
  value = ntile(metric.tickets_90d, 10)
}

metric "ticket_share" {
  value = cumulative_share(metric.tickets_90d)
}

metric "mrr_share" {
  value = cumulative_share(metric.mrr)
}

segment "support_heavy" {
  where = cumulative_share(metric.tickets_90d) <= 0.8
}
`

// TestRanksMatchHandWrittenSQL checks rank, ntile and cumulative_share
// against their definitions written as counts and sums over the other
// customers (no window functions), on 3,000 generated customers.
func TestRanksMatchHandWrittenSQL(t *testing.T) {
	wh := buildExample(t, 3000, compiler.File{Name: "ranks.hcl", Bytes: []byte(ranks)})
	const profile = "analytics.customer_profile"
	rank := func(x string) string {
		return "CASE WHEN p." + x + " IS NOT NULL THEN 1 + (SELECT count(*) FROM " + profile + " q WHERE q." + x + " > p." + x + ") END"
	}
	ntile := func(x string, n int) string {
		return fmt.Sprintf("CASE WHEN p.%[1]s IS NOT NULL THEN 1 + CAST(floor(%[2]d * (SELECT count(*) FROM %[3]s q WHERE q.%[1]s < p.%[1]s) / (SELECT count(%[1]s) FROM %[3]s)) AS BIGINT) END", x, n, profile)
	}
	share := func(x string) string {
		return "CASE WHEN p." + x + " IS NOT NULL THEN (SELECT sum(q." + x + ") FROM " + profile + " q WHERE q." + x + " >= p." + x + ") / (SELECT sum(" + x + ") FROM " + profile + ") END"
	}
	got := query(t, wh, "SELECT customer_id, ticket_rank, ticket_decile, ticket_share, mrr_share, support_heavy FROM "+profile+" ORDER BY customer_id")
	want := query(t, wh, "SELECT customer_id, "+rank("tickets_90d")+", "+ntile("tickets_90d", 10)+", "+share("tickets_90d")+", "+share("mrr")+
		", coalesce("+share("tickets_90d")+" <= 0.8, false) FROM "+profile+" p ORDER BY customer_id")
	if len(got) != 3000 {
		t.Fatalf("%d customers in the profile", len(got))
	}
	differ := 0
	for i := range got {
		if strings.Join(got[i], " | ") != strings.Join(want[i], " | ") {
			if differ++; differ <= 5 {
				t.Errorf("customer %s: view %v, by hand %v", got[i][0], got[i][1:], want[i][1:])
			}
		}
	}
	// The data ties: the test means something only if ranks are shared.
	ties := query(t, wh, "SELECT count(*) - count(DISTINCT ticket_rank), count(DISTINCT ticket_decile), sum(CASE WHEN support_heavy THEN 1 ELSE 0 END) FROM "+profile)
	t.Logf("ranks shared by %s customers, %s deciles, %s customers hold 80%% of tickets", ties[0][0], ties[0][1], ties[0][2])
	if ties[0][0] == "0" || ties[0][2] == "0" {
		t.Errorf("no ties or an empty Pareto segment: %v", ties[0])
	}
	members := query(t, wh, "SELECT count(*) FROM analytics.segment_support_heavy")
	if members[0][0] != ties[0][2] {
		t.Errorf("segment_support_heavy has %s members, the profile %s", members[0][0], ties[0][2])
	}
}

// TestBreakdownByAttributeMatchesHandWrittenSQL checks MRR per marketing
// channel (metric_mrr_by_acquisition_channel, a breakdown by an attribute)
// against a grouped join written by hand: each month's last day (as_of
// for the current one), the subscriptions valid that day, of customers
// who had signed up, by their channel.
func TestBreakdownByAttributeMatchesHandWrittenSQL(t *testing.T) {
	wh := buildExample(t, 3000)
	got := query(t, wh, `SELECT period, acquisition_channel, value FROM analytics.metric_mrr_by_acquisition_channel WHERE value <> 0 ORDER BY 1, 2`)
	want := query(t, wh, `
WITH months AS (
  SELECT CAST(m AS DATE) AS period, LEAST(CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), DATE '`+asOf+`') AS day
  FROM generate_series(DATE '2000-01-01', DATE '`+asOf+`', INTERVAL 1 MONTH) AS g(m)
)
SELECT m.period, c.acquisition_channel, sum(s.monthly_amount)
FROM months m
JOIN raw.subscriptions s ON s.started_at <= m.day AND (s.ended_at IS NULL OR s.ended_at > m.day)
JOIN raw.customers c ON c.customer_id = s.customer_id AND (c.signed_up_at IS NULL OR c.signed_up_at < m.day + 1)
WHERE c.acquisition_channel IS NOT NULL
GROUP BY 1, 2
HAVING sum(s.monthly_amount) <> 0
ORDER BY 1, 2`)
	if len(got) < 20 {
		t.Fatalf("only %d rows of MRR per channel", len(got))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		for i := 0; i < len(got) && i < len(want); i++ {
			if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
				t.Fatalf("%d rows by the view, %d by hand; first difference at row %d: %v against %v", len(got), len(want), i, got[i], want[i])
			}
		}
		t.Fatalf("%d rows by the view, %d by hand", len(got), len(want))
	}
	// Summed over channels, the breakdown is metric_mrr where every
	// customer has a channel.
	missing := query(t, wh, `SELECT count(*) FROM raw.customers WHERE acquisition_channel IS NULL`)
	total := query(t, wh, `SELECT count(*) FROM analytics.metric_mrr m JOIN (SELECT period, sum(value) AS v FROM analytics.metric_mrr_by_acquisition_channel GROUP BY 1) b
	  ON b.period = m.period WHERE abs(b.v - m.value) > 0.001`)
	if missing[0][0] == "0" && total[0][0] != "0" {
		t.Errorf("%s months where MRR per channel does not add up to MRR", total[0][0])
	}
	t.Logf("%d month-channel rows equal the hand-written SQL; customers without a channel: %s", len(got), missing[0][0])
}
