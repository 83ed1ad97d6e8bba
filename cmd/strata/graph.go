package main

import (
	"fmt"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/compiler/diag"
)

// runGraph prints the project's lineage: every source, model, entity,
// metric, segment, cohort and view, and what reads what.
func runGraph(e *env, args []string) int {
	fs := newFlagSet("graph", e)
	format := fs.String("format", "dot", "dot (Graphviz), mermaid or json")
	upstream := fs.String("upstream", "", "only this node and what it reads, transitively (segment.at_risk, metric.mrr, or a view's name)")
	downstream := fs.String("downstream", "", "only this node and what reads it, transitively")
	if _, err := parseCommand(fs, args); err != nil {
		return e.flagError(err)
	}
	if e.json {
		*format = "json"
	}
	if *format != "dot" && *format != "mermaid" && *format != "json" {
		return e.fail(exitUsage, "graph: --format %q: use dot, mermaid or json", *format)
	}
	if *upstream != "" && *downstream != "" && *upstream != *downstream {
		return e.fail(exitUsage, "graph: --upstream and --downstream name one node (give both the same name for both directions)")
	}
	l, code := e.readProject()
	if l == nil {
		return code
	}
	g := compiler.BuildLineage(l.plan)
	if around := *upstream + *downstream; around != "" {
		if *upstream != "" && *downstream != "" {
			around = *upstream
		}
		id := g.LineageID(around)
		if !g.Has(id) {
			return e.fail(exitUsage, "graph: no node %q in the project.%s", around, diag.DidYouMean(id, g.NodeIDs()))
		}
		g = g.Around(id, *upstream != "", *downstream != "")
	}
	var out string
	switch *format {
	case "dot":
		out = g.DOT()
	case "mermaid":
		out = g.Mermaid()
	default:
		out = string(g.JSON())
	}
	if _, err := fmt.Fprint(e.stdout, out); err != nil {
		return exitInternal
	}
	return exitOK
}
