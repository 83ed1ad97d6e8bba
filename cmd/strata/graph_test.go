package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestGraph(t *testing.T) {
	const project = "../../examples/saas"
	code, stdout, stderr := strata(t, "--project", project, "graph", "--upstream", "segment_twitter_trials")
	want := `digraph strata {
  rankdir=LR;
  node [fontname="Helvetica"];
  "source.customers" [label="source\ncustomers", shape=cylinder];
  "entity.customer" [label="entity\ncustomer", shape=box3d];
  "segment.twitter_trials" [label="segment\ntwitter_trials", shape=hexagon];
  "view.segment_twitter_trials" [label="view\nsegment_twitter_trials", shape=note];
  "source.customers" -> "entity.customer";
  "source.customers" -> "view.segment_twitter_trials";
  "entity.customer" -> "segment.twitter_trials";
  "segment.twitter_trials" -> "view.segment_twitter_trials";
}
`
	if code != exitOK || stdout != want {
		t.Errorf("graph --upstream segment_twitter_trials: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = strata(t, "--project", project, "--json", "graph", "--downstream", "metric.last_seen")
	var g struct {
		Nodes []struct{ ID, Kind, File string }
		Edges []struct{ From, To string }
	}
	if err := json.Unmarshal([]byte(stdout), &g); err != nil || code != exitOK || len(g.Nodes) < 5 || g.Nodes[0].ID != "metric.last_seen" || !strings.HasSuffix(g.Nodes[0].File, "metrics.hcl") {
		t.Errorf("--json graph --downstream metric.last_seen: exit %d, %v\n%s", code, err, stdout)
	}
	if code, stdout, _ := strata(t, "--project", project, "graph", "--format", "mermaid"); code != exitOK || !strings.HasPrefix(stdout, "flowchart LR\n") {
		t.Errorf("graph --format mermaid: exit %d\n%.200s", code, stdout)
	}
	if code, _, stderr := strata(t, "--project", project, "graph", "--upstream", "segment.at_rsik"); code != exitUsage || !strings.Contains(stderr, `Did you mean "segment.at_risk"?`) {
		t.Errorf("graph --upstream of an unknown node: exit %d\n%s", code, stderr)
	}
	if code, _, _ := strata(t, "--project", project, "graph", "--format", "svg"); code != exitUsage {
		t.Errorf("graph --format svg: exit %d", code)
	}
}
