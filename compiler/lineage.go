package compiler

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/compiler/views"
	"github.com/strata-analytics/strata/models"
)

// Lineage is the dependency graph of a project: its sources, models,
// entities, metrics, segments, cohorts and the views they give, with an
// edge from each node to every node that reads it.
type Lineage struct {
	Nodes []LineageNode `json:"nodes"`
	Edges []LineageEdge `json:"edges"`

	// readers and reads are the edges by node, built on first use by Around.
	readers, reads map[string][]string
}

// LineageNode is one node: ID is "source.x", "model.x", "entity.x",
// "metric.x", "segment.x", "cohort.x" or "view.x" (a model's view is the
// model's node).
type LineageNode struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// LineageEdge says To reads From.
type LineageEdge struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// BuildLineage is the lineage of a planned project, nodes in declaration
// order (definitions, then views in build order), edges sorted.
func BuildLineage(plan *Plan) *Lineage {
	l := &Lineage{}
	index := map[string]int{}
	node := func(kind, name string, file string, line int) string {
		id := kind + "." + name
		if _, ok := index[id]; !ok {
			index[id] = len(l.Nodes)
			l.Nodes = append(l.Nodes, LineageNode{ID: id, Kind: kind, Name: name, File: file, Line: line})
		}
		return id
	}
	edges := map[LineageEdge]bool{}
	edge := func(from, to string) {
		if from != "" && to != "" && from != to {
			edges[LineageEdge{From: from, To: to}] = true
		}
	}
	m := plan.Model
	for _, r := range m.Relations {
		d := r.Decl
		id := node(string(d.Kind), d.Name, d.DeclRange.Filename, d.DeclRange.Start.Line)
		for _, tmpl := range check.Templates(d) {
			for _, part := range tmpl.Parts {
				if part.Ref != nil {
					edge(part.Ref.String(), id)
				}
			}
		}
		if r.Through != nil {
			edge(r.Through.Parent.Ref(), id)
		}
	}
	for _, ent := range m.Entities {
		d := ent.Decl
		id := node("entity", d.Name, d.DeclRange.Filename, d.DeclRange.Start.Line)
		for _, k := range ent.KeysFrom {
			edge(k.Rel.Ref(), id)
		}
		if len(ent.KeysFrom) == 0 && ent.Rel != nil {
			edge(ent.Rel.Ref(), id)
		}
		// The profile holds every metric and segment of the entity.
		for _, mt := range ent.Metrics {
			edge("metric."+mt.Decl.Name, "view."+check.ProfileView(ent))
		}
		for _, sg := range ent.Segments {
			edge("segment."+sg.Decl.Name, "view."+check.ProfileView(ent))
		}
	}
	for _, mt := range m.Metrics {
		id := node("metric", mt.Decl.Name, mt.Decl.DeclRange.Filename, mt.Decl.DeclRange.Start.Line)
		if mt.Rel != nil {
			edge(mt.Rel.Ref(), id)
		}
		for _, read := range mt.Reads() {
			edge(read, id)
		}
		// Its breakdowns read the segments they break it down by; the
		// metric itself does not.
		for _, sg := range mt.By {
			edge("segment."+sg.Decl.Name, "view."+check.BreakdownView(mt, sg))
			edge("segment."+sg.Decl.Name, "view."+check.LedgerView(mt, sg))
		}
		for _, cb := range mt.ByCombinations {
			for _, d := range cb.Dimensions {
				if d.Segment != nil {
					edge("segment."+d.Segment.Decl.Name, "view."+check.CombinationView(mt, cb))
				}
			}
		}
	}
	for _, sg := range m.Segments {
		id := node("segment", sg.Decl.Name, sg.Decl.DeclRange.Filename, sg.Decl.DeclRange.Start.Line)
		edge("entity."+sg.Entity.Decl.Name, id)
		for _, read := range sg.Reads() {
			edge(read, id)
		}
	}
	for _, co := range m.Cohorts {
		id := node("cohort", co.Decl.Name, co.Decl.DeclRange.Filename, co.Decl.DeclRange.Start.Line)
		edge("entity."+co.Entity.Decl.Name, id)
		if co.Split != nil {
			edge("segment."+co.Split.Decl.Name, id)
		}
		for _, mt := range co.Measures {
			edge("metric."+mt.Decl.Name, id)
		}
		if co.Joined.Rows != nil {
			edge(co.Joined.Rows.Ref(), id)
		}
		if co.Active.Rows != nil {
			edge(co.Active.Rows.Ref(), id)
		}
	}
	owners := m.ViewOwners()
	viewID := map[string]string{}
	for _, o := range plan.Outputs {
		if o.Kind == views.KindModel {
			viewID[o.Name] = "model." + o.Name
			continue
		}
		viewID[o.Name] = node("view", o.Name, o.DeclRange.Filename, o.DeclRange.Start.Line)
	}
	for _, o := range plan.Outputs {
		id := viewID[o.Name]
		edge(owners[o.Name], id)
		for _, dep := range o.DependsOn {
			if v, ok := viewID[dep]; ok {
				edge(v, id)
			} else {
				edge(dep, id)
			}
		}
	}
	for e := range edges {
		// Only edges between nodes of the graph: a reference that is not
		// one (an internal table) is left out.
		if _, ok := index[e.From]; ok {
			if _, ok := index[e.To]; ok {
				l.Edges = append(l.Edges, e)
			}
		}
	}
	sort.Slice(l.Edges, func(i, j int) bool {
		a, b := l.Edges[i], l.Edges[j]
		if a.From != b.From {
			return index[a.From] < index[b.From]
		}
		return index[a.To] < index[b.To]
	})
	return l
}

// Has reports whether the graph has a node of this ID.
func (l *Lineage) Has(id string) bool {
	for _, n := range l.Nodes {
		if n.ID == id {
			return true
		}
	}
	return false
}

// Around is the part of the graph around node id: the node, and the
// nodes it reads (upstream, transitively) and those that read it
// (downstream), as asked.
func (l *Lineage) Around(id string, upstream, downstream bool) *Lineage {
	if l.readers == nil {
		l.readers, l.reads = map[string][]string{}, map[string][]string{}
		for _, e := range l.Edges {
			l.readers[e.From] = append(l.readers[e.From], e.To)
			l.reads[e.To] = append(l.reads[e.To], e.From)
		}
	}
	keep := map[string]bool{id: true}
	walk := func(next map[string][]string) {
		frontier := []string{id}
		for len(frontier) > 0 {
			at := frontier[len(frontier)-1]
			frontier = frontier[:len(frontier)-1]
			for _, n := range next[at] {
				if !keep[n] {
					keep[n] = true
					frontier = append(frontier, n)
				}
			}
		}
	}
	if upstream {
		walk(l.reads)
	}
	if downstream {
		walk(l.readers)
	}
	out := &Lineage{}
	for _, n := range l.Nodes {
		if keep[n.ID] {
			out.Nodes = append(out.Nodes, n)
		}
	}
	for _, e := range l.Edges {
		if keep[e.From] && keep[e.To] {
			out.Edges = append(out.Edges, e)
		}
	}
	return out
}

// NodeIDs lists the nodes' IDs, for suggestions.
func (l *Lineage) NodeIDs() []string {
	ids := make([]string, len(l.Nodes))
	for i, n := range l.Nodes {
		ids[i] = n.ID
	}
	return ids
}

// DOT writes the graph in Graphviz's language: `dot -Tsvg` draws it.
func (l *Lineage) DOT() string {
	var b strings.Builder
	b.WriteString("digraph strata {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n")
	for _, n := range l.Nodes {
		fmt.Fprintf(&b, "  %s [label=%s, shape=%s];\n", dotString(n.ID), dotString(n.Kind+"\n"+n.Name), shapes[n.Kind])
	}
	for _, e := range l.Edges {
		fmt.Fprintf(&b, "  %s -> %s;\n", dotString(e.From), dotString(e.To))
	}
	b.WriteString("}\n")
	return b.String()
}

var shapes = map[string]string{
	"source": "cylinder", "model": "component", "entity": "box3d",
	"metric": "ellipse", "segment": "hexagon", "cohort": "octagon", "view": "note",
}

// dotString quotes s as a DOT string: names may hold any character.
func dotString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// Mermaid writes the graph as a Mermaid flowchart, which GitHub renders
// in Markdown. Node names are numbered (n0, n1, ...) and labelled, since
// Mermaid's identifiers cannot hold every character a name may.
func (l *Lineage) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	ids := map[string]string{}
	for i, n := range l.Nodes {
		ids[n.ID] = fmt.Sprintf("n%d", i)
		fmt.Fprintf(&b, "  %s%s\n", ids[n.ID], mermaidShape(n.Kind, n.Kind+": "+n.Name))
	}
	for _, e := range l.Edges {
		fmt.Fprintf(&b, "  %s --> %s\n", ids[e.From], ids[e.To])
	}
	return b.String()
}

func mermaidShape(kind, label string) string {
	// Mermaid reads entity codes in quoted labels: #quot; for a quote.
	q := `"` + strings.NewReplacer(`"`, "#quot;", "\n", " ").Replace(label) + `"`
	switch kind {
	case "source", "model":
		return "[(" + q + ")]"
	case "metric":
		return "([" + q + "])"
	case "segment":
		return "{{" + q + "}}"
	case "view":
		return "[/" + q + "/]"
	}
	return "[" + q + "]"
}

// JSON is the graph as indented JSON.
func (l *Lineage) JSON() []byte {
	b, _ := json.MarshalIndent(l, "", "  ")
	return append(b, '\n')
}

// lineageKinds are the kinds of node, as IDs begin.
var lineageKinds = []string{string(models.KindSource), string(models.KindModel), "entity", "metric", "segment", "cohort", "view"}

// LineageID reads what a user names a node by: its ID ("segment.at_risk")
// or a view's name alone ("segment_at_risk").
func (l *Lineage) LineageID(name string) string {
	for _, k := range lineageKinds {
		if strings.HasPrefix(name, k+".") {
			return name
		}
	}
	return "view." + name
}
