package check

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
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
