package sqltree

import (
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
)

// Render prints a statement for a dialect. The text ends with a newline and
// every statement in it with a semicolon. It fails only when the tree uses a
// portable function the dialect has no template for; the compiler checks
// that earlier and reports it against the source.
func Render(s Statement, d Dialect) (string, error) {
	text, _, err := RenderStatementsAt(s, d, Placement{})
	return text, err
}

// Placement moves the objects of one schema: a name From.x is printed
// To.x (the project's schema in a target's database, catalog or
// dataset). The zero Placement moves nothing.
type Placement struct {
	From string
	To   []string
}

// RenderStatementsAt is Render with the names of one schema moved, and
// the text cut into the statements a driver runs one at a time (a view is
// several where the dialect describes it in statements of their own):
// the statements are slices of the text, so having both costs nothing.
func RenderStatementsAt(s Statement, d Dialect, place Placement) (string, []string, error) {
	// A one-off Renderer, without the caches that pay over many views.
	one := Renderer{p: printer{d: d, place: place}}
	return one.Statements(s)
}

// RenderExpr prints a single expression, for tests and messages.
func RenderExpr(e Expr, d Dialect) (string, error) {
	p := &printer{d: d}
	e.format(p)
	return string(p.b), p.err
}

// RenderQuery prints a query without a trailing semicolon, as used when a
// caller wraps it (show, tests).
func RenderQuery(q Query, d Dialect) (string, error) {
	return RenderQueryAt(q, d, Placement{})
}

// RenderQueryAt is RenderQuery with the names of one schema moved.
func RenderQueryAt(q Query, d Dialect, place Placement) (string, error) {
	p := &printer{d: d, place: place}
	q.formatQuery(p)
	return string(p.b), p.err
}

// A Renderer prints statement after statement for one dialect and
// placement, as RenderStatementsAt does, reusing what it learnt from the
// ones before: its buffer, and how the dialect writes each identifier it
// has met (a project names the same few columns thousands of times, and
// asking the dialect again costs a call through an interface and, for a
// quoted name, a new string). A Renderer is used by one goroutine at a
// time: to render in parallel, give each its own.
type Renderer struct{ p printer }

// NewRenderer returns a Renderer for d that moves the names place says.
func NewRenderer(d Dialect, place Placement) *Renderer {
	return &Renderer{p: printer{d: d, place: place, idents: newQuotedCache(), strs: newQuotedCache()}}
}

// Statements is RenderStatementsAt's text and statements for s.
func (r *Renderer) Statements(s Statement) (string, []string, error) {
	p := &r.p
	parts := []Statement{s}
	if v, ok := s.(*CreateView); ok {
		parts = p.d.ViewStatements(v)
	}
	// The text grows in the buffer kept from statement to statement,
	// then is copied once at its size: growing a new builder for each
	// view would allocate about twice the SQL.
	p.b = p.b[:0]
	p.indent, p.err = 0, nil
	ends := make([]int, len(parts))
	for i, part := range parts {
		if _, again := part.(*CreateView); again {
			return "", nil, fmt.Errorf("sqltree: dialect %s turned a view into a view", p.d.Name())
		}
		part.formatStatement(p)
		if p.err != nil {
			return "", nil, p.err
		}
		ends[i] = len(p.b)
	}
	text := string(p.b)
	out := make([]string, len(parts))
	start := 0
	for i, end := range ends {
		out[i], start = text[start:end], end
	}
	return text, out, nil
}

type printer struct {
	b      []byte // the text so far
	d      Dialect
	place  Placement
	indent int
	err    error
	// idents and strs are identifiers and string literals as the
	// dialect quotes them; a printer for one expression or query has
	// none and asks the dialect every time.
	idents, strs quotedCache
}

// fail records the first error of a rendering.
func (p *printer) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
}

// write appends s to the text. It reslices p.b in place rather than
// assigning append's result: storing the slice's pointer again would
// pass through the garbage collector's write barrier on every call while
// it marks.
func (p *printer) write(s string) {
	n := len(p.b)
	if cap(p.b)-n < len(s) {
		p.b = slices.Grow(p.b, len(s))
	}
	p.b = p.b[:n+len(s)]
	copy(p.b[n:], s)
}

// ident writes an identifier as the dialect quotes it.
func (p *printer) ident(name string) { p.write(p.idents.get(name, p.d.QuoteIdent)) }

// str writes a string literal as the dialect quotes it.
func (p *printer) str(s string) { p.write(p.strs.get(s, p.d.QuoteString)) }

// path writes a dotted name, moved as the printer's placement says.
func (p *printer) path(parts []string) {
	if len(parts) == 2 && p.place.To != nil && parts[0] == p.place.From {
		parts = append(append(make([]string, 0, len(p.place.To)+1), p.place.To...), parts[1])
	} else if len(parts) == 1 && p.place.To != nil && parts[0] == p.place.From {
		parts = p.place.To
	}
	for i, part := range parts {
		if i > 0 {
			p.write(".")
		}
		p.ident(part)
	}
}

// quotedCache remembers how the dialect quoted the texts it was asked
// for last: a project writes the same few names hundreds of thousands of
// times, and asking the dialect again costs a call through an interface
// and, for a quoted name, a new string. Each text has one slot, chosen
// by its hash, so that the cache stays small enough to be fast, and a
// name written once (a view's own) takes at most one slot from the
// others.
type quotedCache struct {
	seed  maphash.Seed
	slots []quotedSlot
}

type quotedSlot struct{ text, quoted string }

// quotedSlots is the number of slots, a power of two: room for the
// names a project repeats, small enough to stay in the processor's cache.
const quotedSlots = 1024

func newQuotedCache() quotedCache {
	return quotedCache{seed: maphash.MakeSeed(), slots: make([]quotedSlot, quotedSlots)}
}

// get is quote(text), from the cache when text was quoted last in its
// slot.
func (c *quotedCache) get(text string, quote func(string) string) string {
	if c.slots == nil {
		return quote(text)
	}
	slot := &c.slots[maphash.String(c.seed, text)&(quotedSlots-1)]
	if slot.quoted == "" || slot.text != text {
		*slot = quotedSlot{text, quote(text)}
	}
	return slot.quoted
}

// newline starts a new line at the current indentation.
func (p *printer) newline() {
	p.write("\n")
	for n := 2 * p.indent; n > 0; n -= len(indentation) {
		p.write(indentation[:min(n, len(indentation))])
	}
}

// indentation is written in slices, so that a new line allocates nothing.
const indentation = "                                                                "

// --- expressions ---

// Precedence levels, loosest first; a child binds at least as tightly as
// its parent or is parenthesised.
const (
	precOr = iota + 1
	precAnd
	precNot
	precCompare
	precAdd
	precMul
	precUnary
	precAtom
)

// binaryPrecedence is how tightly an operator binds. A switch rather
// than a map: it is asked twice for every operator printed.
func binaryPrecedence(op string) int {
	switch op {
	case "OR":
		return precOr
	case "AND":
		return precAnd
	case "=", "<>", "<", "<=", ">", ">=":
		return precCompare
	case "+", "-":
		return precAdd
	case "*", "/", "%":
		return precMul
	}
	return 0
}

func (p *printer) child(e Expr, min int) {
	if e.precedence() < min {
		p.write("(")
		e.format(p)
		p.write(")")
		return
	}
	e.format(p)
}

func (c Column) precedence() int { return precAtom }
func (c Column) format(p *printer) {
	if c.Table != "" {
		p.ident(c.Table)
		p.write(".")
	}
	p.ident(c.Name)
}

func (s Star) precedence() int { return precAtom }
func (s Star) format(p *printer) {
	if s.Table != "" {
		p.ident(s.Table)
		p.write(".")
	}
	p.write("*")
}

func (l Literal) precedence() int {
	if l.Kind == LitNumber && strings.HasPrefix(l.Value, "-") {
		return precUnary
	}
	return precAtom
}
func (l Literal) format(p *printer) {
	switch l.Kind {
	case LitString:
		p.str(l.Value)
	case LitNull:
		p.write("NULL")
	default:
		p.write(l.Value)
	}
}

func (b Binary) precedence() int { return binaryPrecedence(b.Op) }
func (b Binary) format(p *printer) {
	prec := b.precedence()
	left := prec
	if prec == precCompare {
		// Comparisons do not chain: (a IS NULL) = TRUE needs its parentheses.
		left = prec + 1
	}
	p.child(b.Left, left)
	p.write(" ")
	p.write(b.Op)
	p.write(" ")
	// The right operand of a left-associative operator needs parentheses at
	// equal precedence: a - (b - c).
	p.child(b.Right, prec+1)
}

func (u Unary) precedence() int {
	if u.Op == "NOT" {
		return precNot
	}
	return precUnary
}
func (u Unary) format(p *printer) {
	if u.Op == "NOT" {
		p.write("NOT ")
		p.child(u.X, precNot)
		return
	}
	p.write(u.Op)
	p.child(u.X, precAtom)
}

func (c Call) precedence() int { return precAtom }
func (c Call) format(p *printer) {
	p.write(c.Name)
	p.write("(")
	if c.Star {
		p.write("*")
	}
	if c.Distinct {
		p.write("DISTINCT ")
	}
	p.list(c.Args)
	p.write(")")
}

func (p *printer) list(args []Expr) {
	for i, a := range args {
		if i > 0 {
			p.write(", ")
		}
		a.format(p)
	}
}

func (f Portable) precedence() int { return precAtom }
func (f Portable) format(p *printer) {
	tmpl, ok := p.d.Function(f.Name)
	if !ok {
		if p.err == nil {
			p.err = fmt.Errorf("sqltree: dialect %s has no function %q", p.d.Name(), f.Name)
		}
		return
	}
	// Templates are small; a linear scan for {n} keeps them readable.
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] == '{' {
			if j := strings.IndexByte(tmpl[i:], '}'); j > 0 {
				if n, err := strconv.Atoi(tmpl[i+1 : i+j]); err == nil && n < len(f.Args) {
					p.child(f.Args[n], precAtom)
					i += j
					continue
				}
			}
		}
		p.write(tmpl[i : i+1])
	}
}

func (k Keyword) precedence() int   { return precAtom }
func (k Keyword) format(p *printer) { p.write(k.Word) }

func (c Case) precedence() int { return precAtom }
func (c Case) format(p *printer) {
	p.write("CASE")
	for _, w := range c.Whens {
		p.write(" WHEN ")
		w.Cond.format(p)
		p.write(" THEN ")
		w.Then.format(p)
	}
	if c.Else != nil {
		p.write(" ELSE ")
		c.Else.format(p)
	}
	p.write(" END")
}

func (c Cast) precedence() int { return precAtom }

// A collated operand binds like a unary operator; the operand itself is
// an atom or parenthesised, with a collation or without.
func (b BinaryOrder) precedence() int   { return precUnary }
func (b BinaryOrder) format(p *printer) { p.d.OrderBytes(b.X).format(p) }

func (c Collate) precedence() int { return precUnary }
func (c Collate) format(p *printer) {
	p.child(c.X, precAtom)
	p.write(" COLLATE " + c.Name)
}

func (g Grouped) precedence() int   { return precAtom }
func (g Grouped) format(p *printer) { p.child(g.X, precAtom) }

func (w Words) precedence() int { return precAtom }
func (w Words) format(p *printer) {
	for i, x := range w {
		if i > 0 {
			p.write(" ")
		}
		x.format(p)
	}
}

func (n NamedArg) precedence() int { return precAtom }
func (n NamedArg) format(p *printer) {
	p.write(n.Name + " = ")
	n.Value.format(p)
}

func (s StructLit) precedence() int { return precAtom }
func (s StructLit) format(p *printer) {
	p.write("{")
	for i, f := range s.Fields {
		if i > 0 {
			p.write(", ")
		}
		p.str(f.Key)
		p.write(": ")
		f.Value.format(p)
	}
	p.write("}")
}

func (h Hole) precedence() int { return precAtom }
func (h Hole) format(p *printer) {
	if p.err == nil {
		p.err = fmt.Errorf("sqltree: a hole (%T) was left unfilled", h.Value)
	}
}

func (c Cast) format(p *printer) {
	if c.Try {
		p.write("TRY_")
	}
	p.write("CAST(")
	c.X.format(p)
	p.write(" AS ")
	p.write(p.d.TypeName(c.Type))
	p.write(")")
}

func (n IsNull) precedence() int { return precCompare }
func (n IsNull) format(p *printer) {
	p.child(n.X, precCompare+1)
	if n.Negate {
		p.write(" IS NOT NULL")
	} else {
		p.write(" IS NULL")
	}
}

func (in In) precedence() int { return precCompare }
func (in In) format(p *printer) {
	p.child(in.X, precCompare+1)
	if in.Negate {
		p.write(" NOT")
	}
	p.write(" IN (")
	p.list(in.List)
	p.write(")")
}

func (l Like) precedence() int   { return precCompare }
func (l Like) format(p *printer) { p.d.Matches(l).format(p) }

func (l LikeBackslash) precedence() int { return precCompare }
func (l LikeBackslash) format(p *printer) {
	p.child(l.X, precCompare+1)
	p.write(" LIKE ")
	p.child(l.Pattern, precCompare+1)
}

func (l LikeEscape) precedence() int { return precCompare }
func (l LikeEscape) format(p *printer) {
	p.child(l.X, precCompare+1)
	p.write(" LIKE ")
	p.child(l.Pattern, precCompare+1)
	p.write(" ESCAPE ")
	p.str(l.Escape)
}

func (w Window) precedence() int { return precAtom }
func (w Window) format(p *printer) {
	w.Call.format(p)
	p.write(" OVER (")
	if len(w.PartitionBy) > 0 {
		p.write("PARTITION BY ")
		p.list(w.PartitionBy)
		if len(w.OrderBy) > 0 {
			p.write(" ")
		}
	}
	if len(w.OrderBy) > 0 {
		p.write("ORDER BY ")
		p.orderBy(w.OrderBy)
	}
	if w.RowsPreceding > 0 || w.Unbounded {
		if w.Unbounded {
			p.write(" ROWS BETWEEN UNBOUNDED PRECEDING AND ")
		} else {
			p.write(" ROWS BETWEEN " + strconv.Itoa(w.RowsPreceding) + " PRECEDING AND ")
		}
		if w.RowsUntil > 0 {
			p.write(strconv.Itoa(w.RowsUntil) + " PRECEDING")
		} else {
			p.write("CURRENT ROW")
		}
	}
	p.write(")")
}

func (p *printer) orderBy(items []OrderItem) {
	for i, o := range items {
		if i > 0 {
			p.write(", ")
		}
		o.X.format(p)
		if o.Desc {
			p.write(" DESC")
		}
		p.write(" NULLS LAST")
	}
}

func (in InQuery) precedence() int { return precCompare }
func (in InQuery) format(p *printer) {
	p.child(in.X, precCompare+1)
	p.write(" IN ")
	Subquery{Query: in.Query}.format(p)
}

func (e Exists) precedence() int { return precAtom }
func (e Exists) format(p *printer) {
	p.write("EXISTS ")
	Subquery{Query: e.Query}.format(p)
}

func (s Subquery) precedence() int { return precAtom }
func (s Subquery) format(p *printer) {
	p.write("(")
	p.indent++
	p.newline()
	s.Query.formatQuery(p)
	p.indent--
	p.newline()
	p.write(")")
}
