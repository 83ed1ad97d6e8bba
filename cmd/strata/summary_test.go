package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/engine"
)

// The build summary reads each profile once; its figures must equal what
// a user gets by counting each segment view and adding up each profile
// column by hand.
func TestBuildSummaryEqualsTheViews(t *testing.T) {
	dir := newProject(t)
	// One metric's series as a table: the summary counts tables over
	// time, and only those.
	writeFile(t, dir, "tables.hcl", `
metric "paying_customers" {
  from         = source.subscriptions
  value        = count_distinct(customer_id)
  valid        = [started_at, ended_at]
  grain        = month
  materialized = "table"
}
`)
	code, stdout, stderr := strata(t, "--project", dir, "--as-of", asOf, "--json", "build")
	if code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	var out struct {
		Views   int `json:"views"`
		Summary struct {
			Profiles []struct {
				View     string `json:"view"`
				Entities int64  `json:"entities"`
				Segments []struct {
					Name    string           `json:"name"`
					View    string           `json:"view"`
					Members int64            `json:"members"`
					Tiers   map[string]int64 `json:"tiers"`
				} `json:"segments"`
				Metrics []struct {
					Name    string   `json:"name"`
					Total   *float64 `json:"total"`
					Average *float64 `json:"average"`
				} `json:"metrics"`
			} `json:"profiles"`
			TimeViews []struct {
				View   string   `json:"view"`
				Rows   int64    `json:"rows"`
				Latest string   `json:"latest_period"`
				Value  *float64 `json:"latest_value"`
			} `json:"time_views"`
			Uncounted int `json:"uncounted_time_views"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	db, err := engine.OpenDuckDB(filepath.Join(dir, "build", "strata.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	one := func(sql string) any {
		t.Helper()
		rows, err := db.Query(context.Background(), sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return rows.Values[0][0]
	}
	asFloat := func(v any) float64 {
		switch x := v.(type) {
		case float64:
			return x
		case int64:
			return float64(x)
		case *big.Int:
			return float64(x.Int64())
		}
		t.Fatalf("not a number: %T %v", v, v)
		return 0
	}

	if len(out.Summary.Profiles) != 1 {
		t.Fatalf("want one profile, got %+v", out.Summary.Profiles)
	}
	p := out.Summary.Profiles[0]
	if n := one(`SELECT count(*) FROM analytics.customer_profile`); p.Entities != n.(int64) || p.Entities != 300 {
		t.Errorf("entities: summary %d, view %v", p.Entities, n)
	}
	tiered := 0
	for _, seg := range p.Segments {
		if n := one(fmt.Sprintf(`SELECT count(*) FROM analytics.%q`, seg.View)); seg.Members != n.(int64) {
			t.Errorf("segment %s: summary %d members, the view has %v", seg.Name, seg.Members, n)
		}
		for tier, members := range seg.Tiers {
			tiered++
			if n := one(fmt.Sprintf(`SELECT count(*) FROM analytics.%q WHERE tier = '%s'`, seg.View, tier)); members != n.(int64) {
				t.Errorf("segment %s, tier %s: summary %d, the view has %v", seg.Name, tier, members, n)
			}
		}
	}
	if len(p.Segments) < 9 || tiered < 5 {
		t.Errorf("the example has 9 segments, with 5 tiers; the summary shows %d segments and %d tiers", len(p.Segments), tiered)
	}

	// Totals only for what adds up; averages for every numeric metric.
	wantTotal := map[string]bool{"mrr": true, "arr": true, "logins_30d": true, "tickets_90d": true,
		"health_score": false, "urgent_ticket_share": false, "avg_nps_score": false, "tenure_days": false}
	seen := map[string]bool{}
	for _, m := range p.Metrics {
		col := fmt.Sprintf("%q", m.Name)
		avg := one(`SELECT avg(` + col + `) FROM analytics.customer_profile`)
		if m.Average == nil || math.Abs(*m.Average-asFloat(avg)) > 1e-6*math.Max(1, math.Abs(asFloat(avg))) {
			t.Errorf("metric %s: average %v, by hand %v", m.Name, m.Average, avg)
		}
		if want, listed := wantTotal[m.Name]; listed {
			seen[m.Name] = true
			if want != (m.Total != nil) {
				t.Errorf("metric %s: total %v; it should be shown: %v", m.Name, m.Total, want)
			}
		}
		if m.Total != nil {
			sum := asFloat(one(`SELECT sum(` + col + `) FROM analytics.customer_profile`))
			if math.Abs(*m.Total-sum) > 1e-6*math.Max(1, math.Abs(sum)) {
				t.Errorf("metric %s: total %v, by hand %v", m.Name, *m.Total, sum)
			}
		}
	}
	if len(seen) != len(wantTotal) {
		t.Errorf("the summary lacks metrics: saw %v of %v", seen, wantTotal)
	}

	// Time views: the table is counted, the views are not.
	if len(out.Summary.TimeViews) != 1 || out.Summary.TimeViews[0].View != "metric_paying_customers" {
		t.Fatalf("time views counted: %+v; want only the table metric_paying_customers", out.Summary.TimeViews)
	}
	tv := out.Summary.TimeViews[0]
	if n := one(`SELECT count(*) FROM analytics.metric_paying_customers`); tv.Rows != n.(int64) {
		t.Errorf("metric_paying_customers: summary %d rows, the table %v", tv.Rows, n)
	}
	latest := one(`SELECT value FROM analytics.metric_paying_customers ORDER BY period DESC LIMIT 1`)
	if tv.Latest != "2025-06-01" || tv.Value == nil || *tv.Value != asFloat(latest) {
		t.Errorf("latest value: %s %v, the table's last row %v", tv.Latest, tv.Value, latest)
	}
	// 18 series, movement and cohort views; the history, changes and
	// quality of three segments and segment_quality; mrr and churn by the
	// outreach split; two ledgers of mrr by segment; mrr by acquisition
	// channel.
	if out.Summary.Uncounted != 33 {
		t.Errorf("uncounted time views: %d, want the example's 33", out.Summary.Uncounted)
	}

	// --no-summary reads nothing and says so.
	code, stdout, stderr = strata(t, "--project", dir, "--as-of", asOf, "build", "--no-summary", "--quiet")
	if code != exitOK || strings.Contains(stdout, "members") || !strings.Contains(stdout, "Built") {
		t.Errorf("build --no-summary: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = strata(t, "--project", dir, "--as-of", asOf, "--json", "build", "--no-summary")
	if code != exitOK || !strings.Contains(stdout, `"summary": null`) {
		t.Errorf("build --json --no-summary: exit %d\n%s", code, stdout)
	}
}

func TestFormatAmount(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{0, "0"}, {22, "22"}, {97.589, "97.59"}, {1171.07, "1,171.07"}, {2342136, "2,342,136"},
		{-1234.5, "-1,234.50"}, {0.25, "0.25"}, {0.001234, "0.00123"}, {-0.004, "-0.004"}, {0.999, "1"},
		{1234567.995, "1,234,568"}, {math.Inf(1), "+Inf"}, {1e20, "1e+20"},
	} {
		f := jsonNumber(c.in)
		if got := formatAmount(&f); got != c.want {
			t.Errorf("formatAmount(%v) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := formatAmount(nil); got != "NULL" {
		t.Errorf("formatAmount(nil) = %q", got)
	}
}
