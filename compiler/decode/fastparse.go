package decode

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// hclsyntax lexes a file into a slice of tokens before it parses, and that
// slice (about 100 bytes per token, grown by doubling) is half of what a
// large project allocates and a third of the time it takes to load. Most of
// a project is plain HCL: blocks, attributes, traversals, calls, operators,
// numbers and quoted strings without templates. fastParse parses that
// subset straight from the bytes, one token of lookahead and no token
// slice, into the very syntax tree hclsyntax.ParseConfig builds: the same
// node types, values and ranges, so that nothing after parsing can tell
// the two apart (FuzzFastParse compares them on arbitrary input).
//
// It parses only what it is sure of: any byte outside printable ASCII,
// tab and newline (where columns would count grapheme clusters and "\r\n"
// is one), a comment block, a template sequence or unusual escape in a
// string, a heredoc, an object, an index or splat, a for expression, a
// namespaced function, and every syntax error make it give up, and the
// caller parses with hclsyntax, which also writes the diagnostics.
func fastParse(src []byte, filename string, start hcl.Pos) (body *hclsyntax.Body, ok bool) {
	for _, c := range src {
		if (c < ' ' && c != '\n' && c != '\t') || c > '~' {
			return nil, false
		}
	}
	defer func() {
		if r := recover(); r != nil {
			if r != errOutsideSubset {
				panic(r)
			}
			body, ok = nil, false
		}
	}()
	p := &fastParser{src: src, filename: filename, base: start.Byte,
		at: scanState{line: start.Line, lineStart: -(start.Column - 1)}}
	return p.body(tokEOF), true
}

// errOutsideSubset is what fastParser panics with when the input leaves
// the subset it parses; fastParse recovers it and reports false.
var errOutsideSubset = &struct{ string }{"outside the subset fastParse parses"}

func giveUp() { panic(errOutsideSubset) }

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokNewline
	tokIdent
	tokNumber
	tokString
	tokLBrace
	tokRBrace
	tokLParen
	tokRParen
	tokLBrack
	tokRBrack
	tokComma
	tokDot
	tokAssign
	tokQuestion
	tokColon
	tokBang
	tokOperator // a binary operator; "-" is also negation
)

// token is one token as hclsyntax would lex it: its kind, its bytes
// (src[from:to]) and the line they start on, for an operator its operation
// and precedence level (the index into binaryLevels), for a string its
// value. Tokens are small and ranges made only for the tokens a node
// keeps: that is most of this parser's advantage.
type token struct {
	kind            tokKind
	level           uint8
	op              *hclsyntax.Operation
	from, to        int
	line, lineStart int
	str             string
}

// binaryLevels are hclsyntax's binary operators from the lowest precedence
// to the highest; operators of one level associate to the left.
const binaryLevels = 6

// scanState is where scanning stands: the byte offset in src, the line,
// and the offset where the line starts (negative for a chunk that starts
// mid-line, so that columns still count from the line's true start).
type scanState struct {
	off, line, lineStart int
}

type fastParser struct {
	src      []byte
	filename string
	base     int // the byte offset of src in its file
	at       scanState

	// ignoreNewlines counts the brackets the parser is inside: there,
	// newlines and line comments are white space, as hclsyntax's peeker
	// treats them.
	ignoreNewlines int

	prev    token // the last token read
	hasPrev bool

	// The last peeked token and the state after it, kept for the read
	// that usually follows.
	peeked      bool
	peekedMode  bool
	peekedFrom  int
	peekedToken token
	peekedAfter scanState
}

func (p *fastParser) pos(s scanState, off int) hcl.Pos {
	return hcl.Pos{Line: s.line, Column: off - s.lineStart + 1, Byte: p.base + off}
}

// rng is the token's range; a newline (or a line comment, which ends in
// one) ends at the start of the next line.
func (p *fastParser) rng(t token) hcl.Range {
	s := scanState{line: t.line, lineStart: t.lineStart}
	end := p.pos(s, t.to)
	if t.kind == tokNewline {
		end = hcl.Pos{Line: t.line + 1, Column: 1, Byte: p.base + t.to}
	}
	return hcl.Range{Filename: p.filename, Start: p.pos(s, t.from), End: end}
}

// inner is the range of a string's contents, between its quotes.
func (p *fastParser) inner(t token) hcl.Range {
	s := scanState{line: t.line, lineStart: t.lineStart}
	return hcl.Range{Filename: p.filename, Start: p.pos(s, t.from+1), End: p.pos(s, t.to-1)}
}

func (p *fastParser) text(t token) []byte { return p.src[t.from:t.to] }

func (s scanState) token(k tokKind, from, to int) token {
	return token{kind: k, from: from, to: to, line: s.line, lineStart: s.lineStart}
}

func (p *fastParser) peek() token {
	mode := p.ignoreNewlines > 0
	if p.peeked && p.peekedMode == mode && p.peekedFrom == p.at.off {
		return p.peekedToken
	}
	t, after := p.scan(p.at, mode)
	p.peeked, p.peekedMode, p.peekedFrom, p.peekedToken, p.peekedAfter = true, mode, p.at.off, t, after
	return t
}

func (p *fastParser) read() token {
	t := p.peek()
	p.at = p.peekedAfter
	p.prev, p.hasPrev = t, true
	return t
}

// expect reads the next token, which must be of kind k.
func (p *fastParser) expect(k tokKind) token {
	if p.peek().kind != k {
		giveUp()
	}
	return p.read()
}

// scan lexes the token at s. Spaces and tabs separate tokens; newlines
// and line comments are tokens unless ignoreNewlines, where they are
// skipped. A line comment is a newline token with the comment's range,
// as hclsyntax's peeker makes it.
func (p *fastParser) scan(s scanState, ignoreNewlines bool) (token, scanState) {
	src := p.src
	for {
		i := s.off
		for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
		s.off = i
		if i == len(src) {
			return s.token(tokEOF, i, i), s
		}
		c := src[i]
		next := byte(0)
		if i+1 < len(src) {
			next = src[i+1]
		}
		simple := func(k tokKind, n int) (token, scanState) {
			t := s.token(k, i, i+n)
			s.off = i + n
			return t, s
		}
		operator := func(op *hclsyntax.Operation, level uint8, n int) (token, scanState) {
			t, s := simple(tokOperator, n)
			t.op, t.level = op, level
			return t, s
		}
		switch {
		case c == '\n' || c == '#' || (c == '/' && next == '/'):
			end := i
			for end < len(src) && src[end] != '\n' {
				end++
			}
			if end == len(src) {
				// A comment at the end without a newline is skipped.
				s.off = end
				continue
			}
			t := s.token(tokNewline, i, end+1)
			s = scanState{off: end + 1, line: s.line + 1, lineStart: end + 1}
			if ignoreNewlines {
				continue
			}
			return t, s
		case c == '/' && next == '*':
			giveUp() // block comments may span lines within a token's run
		case isIdentStart(c):
			end := i + 1
			for end < len(src) && isIdentContinue(src[end]) {
				end++
			}
			return simple(tokIdent, end-i)
		case c >= '0' && c <= '9':
			end := numberEnd(src, i)
			return simple(tokNumber, end-i)
		case c == '"':
			return p.scanString(s)
		case c == '{':
			return simple(tokLBrace, 1)
		case c == '}':
			return simple(tokRBrace, 1)
		case c == '(':
			return simple(tokLParen, 1)
		case c == ')':
			return simple(tokRParen, 1)
		case c == '[':
			return simple(tokLBrack, 1)
		case c == ']':
			return simple(tokRBrack, 1)
		case c == ',':
			return simple(tokComma, 1)
		case c == '?':
			return simple(tokQuestion, 1)
		case c == ':' && next != ':':
			return simple(tokColon, 1)
		case c == '.' && next != '.':
			return simple(tokDot, 1)
		case c == '=' && next == '=':
			return operator(hclsyntax.OpEqual, 2, 2)
		case c == '=' && next != '>':
			return simple(tokAssign, 1)
		case c == '!' && next == '=':
			return operator(hclsyntax.OpNotEqual, 2, 2)
		case c == '!':
			return simple(tokBang, 1)
		case c == '|' && next == '|':
			return operator(hclsyntax.OpLogicalOr, 0, 2)
		case c == '&' && next == '&':
			return operator(hclsyntax.OpLogicalAnd, 1, 2)
		case c == '<' && next == '=':
			return operator(hclsyntax.OpLessThanOrEqual, 3, 2)
		case c == '<' && next != '<':
			return operator(hclsyntax.OpLessThan, 3, 1)
		case c == '>' && next == '=':
			return operator(hclsyntax.OpGreaterThanOrEqual, 3, 2)
		case c == '>':
			return operator(hclsyntax.OpGreaterThan, 3, 1)
		case c == '+':
			return operator(hclsyntax.OpAdd, 4, 1)
		case c == '-':
			return operator(hclsyntax.OpSubtract, 4, 1)
		case c == '*':
			return operator(hclsyntax.OpMultiply, 5, 1)
		case c == '/':
			return operator(hclsyntax.OpDivide, 5, 1)
		case c == '%':
			return operator(hclsyntax.OpModulo, 5, 1)
		}
		giveUp()
	}
}

// Identifiers as hclsyntax reads them, in ASCII: a letter or underscore,
// then letters, digits, underscores and dashes.
func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdentContinue(c byte) bool {
	return isIdentStart(c) || c == '-' || (c >= '0' && c <= '9')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// numberEnd is where the number starting at i ends, lexed as hclsyntax
// does (a digit, then digits, dots and exponents, not ending in a dot);
// unless the number is plain decimal digits with an optional fraction and
// exponent, it gives up: hclsyntax reads "1.2.3" as one bad number, and
// its diagnostic is worth having.
func numberEnd(src []byte, i int) int {
	end := i + 1
	for end < len(src) {
		switch c := src[end]; {
		case isDigit(c) || c == '.':
			end++
		case c == 'e' || c == 'E':
			j := end + 1
			if j < len(src) && (src[j] == '+' || src[j] == '-') {
				j++
			}
			if j < len(src) && isDigit(src[j]) {
				end = j + 1
				continue
			}
			goto done
		default:
			goto done
		}
	}
done:
	for src[end-1] == '.' {
		end--
	}
	// Now check the form: digits, an optional fraction, an optional exponent.
	j := i
	for j < end && isDigit(src[j]) {
		j++
	}
	if j < end && src[j] == '.' {
		j++
		k := j
		for j < end && isDigit(src[j]) {
			j++
		}
		if j == k {
			giveUp()
		}
	}
	if j < end && (src[j] == 'e' || src[j] == 'E') {
		j++
		if src[j] == '+' || src[j] == '-' {
			j++
		}
		for j < end && isDigit(src[j]) {
			j++
		}
	}
	if j != end {
		giveUp()
	}
	return end
}

// scanString lexes a quoted string without template sequences, resolving
// the escapes \n, \r, \t, \" and \\. Anything else gives up.
func (p *fastParser) scanString(s scanState) (token, scanState) {
	src := p.src
	open := s.off
	escaped := false
	end := open + 1
	for ; ; end++ {
		if end == len(src) {
			giveUp()
		}
		c := src[end]
		if c == '"' {
			break
		}
		switch c {
		case '\n':
			giveUp()
		case '\\':
			if end+1 == len(src) {
				giveUp()
			}
			switch src[end+1] {
			case 'n', 'r', 't', '"', '\\':
			default:
				giveUp()
			}
			escaped = true
			end++
		case '$', '%':
			if end+1 < len(src) && src[end+1] == '{' {
				giveUp()
			}
		}
	}
	contents := src[open+1 : end]
	var value string
	if !escaped {
		value = string(contents)
	} else {
		b := make([]byte, 0, len(contents))
		for k := 0; k < len(contents); k++ {
			c := contents[k]
			if c == '\\' {
				k++
				switch contents[k] {
				case 'n':
					c = '\n'
				case 'r':
					c = '\r'
				case 't':
					c = '\t'
				default:
					c = contents[k]
				}
			}
			b = append(b, c)
		}
		value = string(b)
	}
	t := s.token(tokString, open, end+1)
	t.str = value
	s.off = end + 1
	return t, s
}

// body parses items up to the end token (the end of input, or the "}" of
// a block), as hclsyntax's ParseBody does.
func (p *fastParser) body(end tokKind) *hclsyntax.Body {
	attrs := hclsyntax.Attributes{}
	blocks := hclsyntax.Blocks{}
	startRange := p.rng(p.prev)
	if !p.hasPrev {
		startRange = p.rng(p.peek())
	}
	var endRange hcl.Range
	for {
		next := p.peek()
		if next.kind == end {
			endRange = p.rng(p.read())
			break
		}
		switch next.kind {
		case tokNewline:
			p.read()
		case tokIdent:
			ident := p.read()
			switch p.peek().kind {
			case tokAssign:
				attr := p.attribute(ident, false)
				if _, exists := attrs[attr.Name]; exists {
					giveUp()
				}
				attrs[attr.Name] = attr
			case tokString, tokLBrace, tokIdent:
				blocks = append(blocks, p.block(ident))
			default:
				giveUp()
			}
		default:
			giveUp()
		}
	}
	return &hclsyntax.Body{
		Attributes: attrs,
		Blocks:     blocks,
		SrcRange:   hcl.RangeBetween(startRange, endRange),
		EndRange:   hcl.Range{Filename: endRange.Filename, Start: endRange.End, End: endRange.End},
	}
}

func (p *fastParser) attribute(ident token, singleLine bool) *hclsyntax.Attribute {
	identRange := p.rng(ident)
	equals := p.read()
	expr := p.expression()
	endRange := p.rng(p.prev)
	if !singleLine {
		switch p.peek().kind {
		case tokNewline, tokEOF:
			p.read()
		default:
			giveUp()
		}
	}
	return &hclsyntax.Attribute{
		Name:        string(p.text(ident)),
		Expr:        expr,
		SrcRange:    hcl.RangeBetween(identRange, endRange),
		NameRange:   identRange,
		EqualsRange: p.rng(equals),
	}
}

func (p *fastParser) block(ident token) *hclsyntax.Block {
	var labels []string
	var labelRanges []hcl.Range
	var open token
labels:
	for {
		switch t := p.peek(); t.kind {
		case tokLBrace:
			open = p.read()
			break labels
		case tokString:
			p.read()
			labels = append(labels, t.str)
			labelRanges = append(labelRanges, p.rng(t))
		case tokIdent:
			p.read()
			labels = append(labels, string(p.text(t)))
			labelRanges = append(labelRanges, p.rng(t))
		default:
			giveUp()
		}
	}
	var body *hclsyntax.Body
	switch p.peek().kind {
	case tokNewline, tokEOF, tokRBrace:
		body = p.body(tokRBrace)
	default:
		// A block on one line holding one attribute: foo { bar = baz }.
		name := p.expect(tokIdent)
		if p.peek().kind != tokAssign {
			giveUp()
		}
		attr := p.attribute(name, true)
		body = &hclsyntax.Body{
			Attributes: hclsyntax.Attributes{attr.Name: attr},
			SrcRange:   attr.SrcRange,
			EndRange:   hcl.Range{Filename: attr.SrcRange.Filename, Start: attr.SrcRange.End, End: attr.SrcRange.End},
		}
		p.expect(tokRBrace)
	}
	closeRange := p.rng(p.prev)
	switch p.peek().kind {
	case tokNewline, tokEOF:
		p.read()
	default:
		giveUp()
	}
	return &hclsyntax.Block{
		Type:            string(p.text(ident)),
		Labels:          labels,
		Body:            body,
		TypeRange:       p.rng(ident),
		LabelRanges:     labelRanges,
		OpenBraceRange:  p.rng(open),
		CloseBraceRange: closeRange,
	}
}

// expression parses a conditional or what binds tighter.
func (p *fastParser) expression() hclsyntax.Expression {
	startRange := p.rng(p.peek())
	cond := p.binary(0)
	if p.peek().kind != tokQuestion {
		return cond
	}
	p.read()
	whenTrue := p.expression()
	p.expect(tokColon)
	whenFalse := p.expression()
	return &hclsyntax.ConditionalExpr{
		Condition:   cond,
		TrueResult:  whenTrue,
		FalseResult: whenFalse,
		SrcRange:    hcl.RangeBetween(startRange, whenFalse.Range()),
	}
}

// binary parses operands joined by operators of the given precedence
// level, left to right, each operand an expression of the levels above.
func (p *fastParser) binary(level uint8) hclsyntax.Expression {
	if level == binaryLevels {
		return p.termWithTraversals()
	}
	lhs := p.binary(level + 1)
	var op *hclsyntax.Operation
	var rhs hclsyntax.Expression
	for {
		next := p.peek()
		if next.kind != tokOperator || next.level != level {
			break
		}
		if op != nil {
			lhs = &hclsyntax.BinaryOpExpr{LHS: lhs, Op: op, RHS: rhs, SrcRange: hcl.RangeBetween(lhs.Range(), rhs.Range())}
		}
		op = next.op
		p.read()
		rhs = p.binary(level + 1)
	}
	if op == nil {
		return lhs
	}
	return &hclsyntax.BinaryOpExpr{LHS: lhs, Op: op, RHS: rhs, SrcRange: hcl.RangeBetween(lhs.Range(), rhs.Range())}
}

// termWithTraversals parses a term and the attribute steps after it.
func (p *fastParser) termWithTraversals() hclsyntax.Expression {
	term := p.term()
	for {
		switch p.peek().kind {
		case tokDot:
			traversal, ok := term.(*hclsyntax.ScopeTraversalExpr)
			if !ok {
				giveUp()
			}
			dot := p.read()
			name := p.expect(tokIdent)
			rng := hcl.RangeBetween(p.rng(dot), p.rng(name))
			traversal.Traversal = append(traversal.Traversal, hcl.TraverseAttr{Name: string(p.text(name)), SrcRange: rng})
			traversal.SrcRange = hcl.RangeBetween(traversal.SrcRange, rng)
		case tokLBrack:
			giveUp()
		default:
			return term
		}
	}
}

func (p *fastParser) term() hclsyntax.Expression {
	start := p.peek()
	startRange := p.rng(start)
	switch start.kind {
	case tokLParen:
		p.read()
		p.ignoreNewlines++
		inner := p.expression()
		closing := p.expect(tokRParen)
		p.ignoreNewlines--
		return &hclsyntax.ParenthesesExpr{Expression: inner, SrcRange: hcl.RangeBetween(startRange, p.rng(closing))}
	case tokNumber:
		p.read()
		value, err := cty.ParseNumberVal(string(p.text(start)))
		if err != nil {
			giveUp()
		}
		return &hclsyntax.LiteralValueExpr{Val: value, SrcRange: startRange}
	case tokIdent:
		p.read()
		if p.peek().kind == tokLParen {
			return p.call(start)
		}
		switch name := string(p.text(start)); name {
		case "true":
			return &hclsyntax.LiteralValueExpr{Val: cty.True, SrcRange: startRange}
		case "false":
			return &hclsyntax.LiteralValueExpr{Val: cty.False, SrcRange: startRange}
		case "null":
			return &hclsyntax.LiteralValueExpr{Val: cty.NullVal(cty.DynamicPseudoType), SrcRange: startRange}
		default:
			return &hclsyntax.ScopeTraversalExpr{
				Traversal: hcl.Traversal{hcl.TraverseRoot{Name: name, SrcRange: startRange}},
				SrcRange:  startRange,
			}
		}
	case tokString:
		p.read()
		// hclsyntax gives an empty string's one part the empty range just
		// after the closing quote.
		partRange := p.inner(start)
		if partRange.Empty() {
			partRange = hcl.Range{Filename: p.filename, Start: startRange.End, End: startRange.End}
		}
		return &hclsyntax.TemplateExpr{
			Parts:    []hclsyntax.Expression{&hclsyntax.LiteralValueExpr{Val: cty.StringVal(start.str), SrcRange: partRange}},
			SrcRange: startRange,
		}
	case tokOperator, tokBang:
		op := hclsyntax.OpLogicalNot
		if start.kind == tokOperator {
			if start.op != hclsyntax.OpSubtract {
				giveUp()
			}
			op = hclsyntax.OpNegate
		}
		p.read()
		operand := p.termWithTraversals()
		return &hclsyntax.UnaryOpExpr{Op: op, Val: operand, SrcRange: hcl.RangeBetween(startRange, operand.Range()), SymbolRange: startRange}
	case tokLBrack:
		return p.tuple()
	}
	giveUp()
	return nil
}

func (p *fastParser) call(name token) hclsyntax.Expression {
	open := p.read()
	p.ignoreNewlines++
	var args []hclsyntax.Expression
	var closing token
	for {
		if p.peek().kind == tokRParen {
			closing = p.read()
			break
		}
		args = append(args, p.expression())
		sep := p.read()
		if sep.kind == tokRParen {
			closing = sep
			break
		}
		if sep.kind != tokComma {
			giveUp()
		}
	}
	p.ignoreNewlines--
	return &hclsyntax.FunctionCallExpr{
		Name:            string(p.text(name)),
		Args:            args,
		NameRange:       p.rng(name),
		OpenParenRange:  p.rng(open),
		CloseParenRange: p.rng(closing),
	}
}

func (p *fastParser) tuple() hclsyntax.Expression {
	open := p.read()
	p.ignoreNewlines++
	if t := p.peek(); t.kind == tokIdent && string(p.text(t)) == "for" {
		giveUp()
	}
	var items []hclsyntax.Expression
	var closing token
	for {
		if p.peek().kind == tokRBrack {
			closing = p.read()
			break
		}
		items = append(items, p.expression())
		if p.peek().kind == tokRBrack {
			closing = p.read()
			break
		}
		p.expect(tokComma)
	}
	p.ignoreNewlines--
	return &hclsyntax.TupleConsExpr{Exprs: items, SrcRange: hcl.RangeBetween(p.rng(open), p.rng(closing)), OpenRange: p.rng(open)}
}
