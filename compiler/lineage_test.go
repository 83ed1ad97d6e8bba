package compiler_test

import (
	"strings"
	"testing"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/internal/dbtest"
)

// TestLineageOfTheExample checks the example project's graph: what reads
// what, that it has no cycle, and what lies up- and downstream of a
// segment.
func TestLineageOfTheExample(t *testing.T) {
	_, plan, diags := compiler.Load(dbtest.HCLFiles(t, "../examples/saas"), compiler.Options{})
	if plan == nil {
		t.Fatal(diags)
	}
	g := compiler.BuildLineage(plan)
	has := map[compiler.LineageEdge]bool{}
	for _, e := range g.Edges {
		has[e] = true
	}
	for _, e := range []compiler.LineageEdge{
		{From: "source.subscriptions", To: "metric.mrr"},
		{From: "source.customers", To: "entity.customer"},
		{From: "metric.mrr", To: "segment.at_risk"},
		{From: "metric.health_score", To: "segment.at_risk"},
		{From: "segment.at_risk", To: "segment.at_risk_outreach"},
		{From: "segment.at_risk", To: "view.segment_at_risk"},
		{From: "metric.mrr", To: "view.customer_profile"},
		{From: "metric.mrr", To: "view.metric_mrr"},
		{From: "segment.at_risk_outreach", To: "view.metric_mrr_by_at_risk_outreach"},
		{From: "cohort.paying", To: "view.cohort_paying"},
	} {
		if !has[e] {
			t.Errorf("no edge %s -> %s", e.From, e.To)
		}
	}
	// A breakdown reads its segment; the metric itself does not.
	if has[compiler.LineageEdge{From: "segment.at_risk_outreach", To: "metric.mrr"}] {
		t.Error("metric.mrr is drawn as reading segment.at_risk_outreach, which only its breakdown reads")
	}
	// No cycle: every node can be placed after the nodes it reads.
	indegree := map[string]int{}
	for _, e := range g.Edges {
		indegree[e.To]++
	}
	var ready []string
	for _, n := range g.Nodes {
		if indegree[n.ID] == 0 {
			ready = append(ready, n.ID)
		}
	}
	placed := 0
	for len(ready) > 0 {
		at := ready[0]
		ready = ready[1:]
		placed++
		for _, e := range g.Edges {
			if e.From == at {
				if indegree[e.To]--; indegree[e.To] == 0 {
					ready = append(ready, e.To)
				}
			}
		}
	}
	if placed != len(g.Nodes) {
		t.Errorf("the graph has a cycle: %d of %d nodes placed", placed, len(g.Nodes))
	}

	ids := func(l *compiler.Lineage) string { return strings.Join(l.NodeIDs(), " ") }
	if got := ids(g.Around("segment.twitter_trials", true, false)); got != "source.customers entity.customer segment.twitter_trials" {
		t.Errorf("upstream of twitter_trials: %s", got)
	}
	up := ids(g.Around("segment.at_risk", true, false))
	for _, want := range []string{"source.events", "source.tickets", "metric.health_score", "metric.last_seen"} {
		if !strings.Contains(up, want) {
			t.Errorf("upstream of at_risk lacks %s: %s", want, up)
		}
	}
	if strings.Contains(up, "view.") || strings.Contains(up, "source.nps_responses ") && !strings.Contains(up, "avg_nps_score") {
		t.Errorf("upstream of at_risk: %s", up)
	}
	down := ids(g.Around("segment.at_risk", false, true))
	if !strings.Contains(down, "view.segment_at_risk_history") || strings.Contains(down, "metric.") {
		t.Errorf("downstream of at_risk: %s", down)
	}
}

// TestLineageQuotesNames: names with quotes, backslashes and newlines
// stay inside their quotes in DOT and Mermaid.
func TestLineageQuotesNames(t *testing.T) {
	g := &compiler.Lineage{
		Nodes: []compiler.LineageNode{{ID: `source.a"b\c`, Kind: "source", Name: "a\"b\\c\nd"}, {ID: "metric.m", Kind: "metric", Name: "m"}},
		Edges: []compiler.LineageEdge{{From: `source.a"b\c`, To: "metric.m"}},
	}
	dot := g.DOT()
	for _, want := range []string{`"source.a\"b\\c" [label="source\na\"b\\c\nd"`, `"source.a\"b\\c" -> "metric.m";`} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %s:\n%s", want, dot)
		}
	}
	mermaid := g.Mermaid()
	if !strings.Contains(mermaid, `n0[("source: a#quot;b\c d")]`) || !strings.Contains(mermaid, "n0 --> n1") {
		t.Errorf("Mermaid:\n%s", mermaid)
	}
}
