package check

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// graphNode is a declaration that can depend on others: a metric, a
// segment or a model, keyed "metric.mrr".
type graphNode struct {
	key  string
	rng  hcl.Range
	deps []graphEdge
}

type graphEdge struct {
	to  string
	rng hcl.Range // where the reference is written
}

// dependencyOrder returns the keys of nodes with every node after the nodes
// it depends on, keeping declaration order otherwise. Each cycle is
// reported once, with its path; the nodes on a cycle are left out.
func (c *checker) dependencyOrder(nodes []*graphNode) []string {
	byKey := make(map[string]*graphNode, len(nodes))
	for _, n := range nodes {
		byKey[n.key] = n
	}
	const (
		unvisited = iota
		visiting
		done
		broken
	)
	state := make(map[string]int, len(nodes))
	var order, stack []string
	var visit func(n *graphNode) bool
	visit = func(n *graphNode) bool {
		switch state[n.key] {
		case done:
			return true
		case broken:
			return false
		case visiting:
			start := 0
			for i, k := range stack {
				if k == n.key {
					start = i
				}
			}
			cycle := append(append([]string{}, stack[start:]...), n.key)
			c.errorf(n.rng, "Dependency cycle",
				"%s depends on itself: %s. Break the cycle by removing one of these references.",
				n.key, strings.Join(cycle, " -> "))
			for _, k := range stack[start:] {
				state[k] = broken
			}
			return false
		}
		state[n.key] = visiting
		stack = append(stack, n.key)
		ok := true
		for _, e := range n.deps {
			if dep, found := byKey[e.to]; found && !visit(dep) {
				ok = false
			}
		}
		stack = stack[:len(stack)-1]
		if !ok || state[n.key] == broken {
			state[n.key] = broken
			return false
		}
		state[n.key] = done
		order = append(order, n.key)
		return true
	}
	for _, n := range nodes {
		visit(n)
	}
	return order
}

// referencedKeys lists the metric.x and segment.x references in an expression.
func referencedKeys(expr hcl.Expression) []graphEdge {
	if expr == nil {
		return nil
	}
	var edges []graphEdge
	for _, t := range expr.Variables() {
		if len(t) < 2 {
			continue
		}
		root := t.RootName()
		if root != "metric" && root != "segment" {
			continue
		}
		if name, ok := traversalName(t[:2]); ok {
			edges = append(edges, graphEdge{to: root + "." + name, rng: t.SourceRange()})
		}
	}
	return edges
}
