package check

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-analytics/strata/models"
)

// graphNode is a declaration that can depend on others: a metric, a
// segment or a model, keyed "metric.mrr".
type graphNode struct {
	key  string
	rng  hcl.Range
	deps []graphEdge

	// Set by dependencyOrder: the declared nodes it depends on, and where
	// the walk stands.
	after []*graphNode
	state visitState
}

type graphEdge struct {
	to  string
	rng hcl.Range // where the reference is written
}

type visitState uint8

const (
	unvisited visitState = iota
	visiting
	done
	broken
)

// dependencyOrder returns nodes with every node after the nodes it depends
// on, keeping declaration order otherwise. Each cycle is reported once,
// with its path; the nodes on a cycle are left out.
func (c *checker) dependencyOrder(nodes []*graphNode) []*graphNode {
	byKey := make(map[string]*graphNode, len(nodes))
	for _, n := range nodes {
		byKey[n.key] = n
	}
	for _, n := range nodes {
		for _, e := range n.deps {
			if dep, found := byKey[e.to]; found {
				n.after = append(n.after, dep)
			}
		}
	}
	var order, stack []*graphNode
	var visit func(n *graphNode) bool
	visit = func(n *graphNode) bool {
		switch n.state {
		case done:
			return true
		case broken:
			return false
		case visiting:
			start := 0
			for i, k := range stack {
				if k == n {
					start = i
				}
			}
			var cycle []string
			for _, k := range stack[start:] {
				cycle = append(cycle, k.key)
			}
			cycle = append(cycle, n.key)
			c.errorf(n.rng, "Dependency cycle",
				"%s depends on itself: %s. Break the cycle by removing one of these references.",
				n.key, strings.Join(cycle, " -> "))
			for _, k := range stack[start:] {
				k.state = broken
			}
			return false
		}
		n.state = visiting
		stack = append(stack, n)
		ok := true
		for _, dep := range n.after {
			if !visit(dep) {
				ok = false
			}
		}
		stack = stack[:len(stack)-1]
		if !ok || n.state == broken {
			n.state = broken
			return false
		}
		n.state = done
		order = append(order, n)
		return true
	}
	for _, n := range nodes {
		visit(n)
	}
	return order
}

// metricReferences and segmentReferences are the metrics and segments a
// definition's expressions name.
func metricReferences(m *models.Metric) []graphEdge {
	return append(referencedKeys(m.Value), referencedKeys(m.Where)...)
}

func segmentReferences(s *models.Segment) []graphEdge {
	deps := append(referencedKeys(s.Where), referencedKeys(s.Split)...)
	for _, t := range s.Tiers {
		deps = append(deps, referencedKeys(t.Where)...)
	}
	return deps
}

// Reads lists the metrics and segments a metric or segment reads, by key
// ("metric.mrr"), each once, in the order written: the lineage of
// definitions. It walks the expressions again, so that checking, which
// does so once, keeps nothing for the few commands that draw lineage.
func (m *Metric) Reads() []string { return uniqueKeys(metricReferences(m.Decl)) }

// Reads is Metric.Reads for a segment.
func (s *Segment) Reads() []string { return uniqueKeys(segmentReferences(s.Decl)) }

func uniqueKeys(edges []graphEdge) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range edges {
		if !seen[e.to] {
			seen[e.to] = true
			out = append(out, e.to)
		}
	}
	return out
}

// referencedKeys lists the metric.x and segment.x references in an expression.
func referencedKeys(expr hcl.Expression) []graphEdge {
	var edges []graphEdge
	traversals(expr, func(t hcl.Traversal) {
		if len(t) < 2 {
			return
		}
		root := t.RootName()
		if root != "metric" && root != "segment" {
			return
		}
		if name, ok := traversalName(t[:2]); ok {
			edges = append(edges, graphEdge{to: root + "." + name, rng: t.SourceRange()})
		}
	})
	return edges
}

// traversals calls visit for each variable an expression reads, in the
// order expr.Variables() lists them. It walks the common expression kinds
// itself: hclsyntax's generic walker allocates at every node, and on a
// project of 100,000 definitions it was a tenth of checking. Other kinds
// (for expressions, splats, object keys) ask the expression.
func traversals(expr hcl.Expression, visit func(hcl.Traversal)) {
	switch e := expr.(type) {
	case nil:
	case *hclsyntax.LiteralValueExpr:
	case *hclsyntax.ScopeTraversalExpr:
		visit(e.Traversal)
	case *hclsyntax.RelativeTraversalExpr:
		traversals(e.Source, visit)
	case *hclsyntax.BinaryOpExpr:
		traversals(e.LHS, visit)
		traversals(e.RHS, visit)
	case *hclsyntax.UnaryOpExpr:
		traversals(e.Val, visit)
	case *hclsyntax.ParenthesesExpr:
		traversals(e.Expression, visit)
	case *hclsyntax.ConditionalExpr:
		traversals(e.Condition, visit)
		traversals(e.TrueResult, visit)
		traversals(e.FalseResult, visit)
	case *hclsyntax.FunctionCallExpr:
		for _, a := range e.Args {
			traversals(a, visit)
		}
	case *hclsyntax.TupleConsExpr:
		for _, x := range e.Exprs {
			traversals(x, visit)
		}
	case *hclsyntax.IndexExpr:
		traversals(e.Collection, visit)
		traversals(e.Key, visit)
	case *hclsyntax.TemplateExpr:
		for _, p := range e.Parts {
			traversals(p, visit)
		}
	case *hclsyntax.TemplateWrapExpr:
		traversals(e.Wrapped, visit)
	default:
		for _, t := range expr.Variables() {
			visit(t)
		}
	}
}
