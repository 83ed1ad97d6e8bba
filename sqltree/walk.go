package sqltree

// Rewrite returns e with every node that replace chooses to replace:
// replace is called on each node before its children; when it returns ok,
// the node is replaced and its children are not visited. A node whose
// children do not change is kept as it is, so a rewrite that finds
// nothing allocates nothing. Subqueries are not entered.
func Rewrite(e Expr, replace func(Expr) (Expr, bool)) Expr {
	out, _ := rewrite(e, replace)
	return out
}

// Any reports whether some node of e (subqueries not entered) matches.
func Any(e Expr, match func(Expr) bool) bool {
	found := false
	if e != nil {
		rewrite(e, func(x Expr) (Expr, bool) {
			if found || match(x) {
				found = true
				return x, true // kept as it is; its children need no visit
			}
			return nil, false
		})
	}
	return found
}

// Holes calls visit for every hole in e, in the order they are printed.
func Holes(e Expr, visit func(Hole)) {
	rewrite(e, func(x Expr) (Expr, bool) {
		if h, ok := x.(Hole); ok {
			visit(h)
			return x, true
		}
		return nil, false
	})
}

// rewrite is Rewrite that also says whether anything changed.
func rewrite(e Expr, replace func(Expr) (Expr, bool)) (Expr, bool) {
	if e == nil {
		return nil, false
	}
	if r, ok := replace(e); ok {
		return r, true
	}
	// rw is a method value on a named func, not a closure: a closure
	// capturing replace would be allocated at every node.
	rw := rewriter(replace).rewrite
	switch n := e.(type) {
	case Binary:
		l, lc := rw(n.Left)
		r, rc := rw(n.Right)
		if lc || rc {
			return Binary{Op: n.Op, Left: l, Right: r}, true
		}
	case Unary:
		if x, c := rw(n.X); c {
			return Unary{Op: n.Op, X: x}, true
		}
	case Call:
		if args, c := rewriteList(n.Args, rw); c {
			n.Args = args
			return n, true
		}
	case Portable:
		if args, c := rewriteList(n.Args, rw); c {
			n.Args = args
			return n, true
		}
	case Case:
		changed := false
		whens := make([]When, len(n.Whens))
		for i, w := range n.Whens {
			cond, cc := rw(w.Cond)
			then, tc := rw(w.Then)
			changed = changed || cc || tc
			whens[i] = When{Cond: cond, Then: then}
		}
		els, ec := rw(n.Else)
		if changed || ec {
			return Case{Whens: whens, Else: els}, true
		}
	case Cast:
		if x, c := rw(n.X); c {
			n.X = x
			return n, true
		}
	case Collate:
		if x, c := rw(n.X); c {
			n.X = x
			return n, true
		}
	case Grouped:
		if x, c := rw(n.X); c {
			return Grouped{X: x}, true
		}
	case IsNull:
		if x, c := rw(n.X); c {
			return IsNull{X: x, Negate: n.Negate}, true
		}
	case In:
		x, xc := rw(n.X)
		list, lc := rewriteList(n.List, rw)
		if xc || lc {
			return In{X: x, List: list, Negate: n.Negate}, true
		}
	case Like:
		x, xc := rw(n.X)
		p, pc := rw(n.Pattern)
		if xc || pc {
			return Like{X: x, Pattern: p}, true
		}
	case LikeEscape:
		x, xc := rw(n.X)
		p, pc := rw(n.Pattern)
		if xc || pc {
			return LikeEscape{X: x, Pattern: p, Escape: n.Escape}, true
		}
	case BinaryOrder:
		if x, c := rw(n.X); c {
			return BinaryOrder{X: x}, true
		}
	case Window:
		args, ac := rewriteList(n.Call.Args, rw)
		part, pc := rewriteList(n.PartitionBy, rw)
		order, oc := n.OrderBy, false
		for i, o := range n.OrderBy {
			if x, c := rw(o.X); c {
				if !oc {
					order, oc = append([]OrderItem(nil), n.OrderBy...), true
				}
				order[i].X = x
			}
		}
		if ac || pc || oc {
			n.Call.Args, n.PartitionBy, n.OrderBy = args, part, order
			return n, true
		}
	}
	return e, false
}

type rewriter func(Expr) (Expr, bool)

func (r rewriter) rewrite(x Expr) (Expr, bool) { return rewrite(x, r) }

func rewriteList(xs []Expr, rw func(Expr) (Expr, bool)) ([]Expr, bool) {
	var out []Expr
	for i, x := range xs {
		if r, c := rw(x); c {
			if out == nil {
				out = append([]Expr(nil), xs...)
			}
			out[i] = r
		}
	}
	if out == nil {
		return xs, false
	}
	return out, true
}
