package check

import (
	"fmt"
	"github.com/strata-analytics/strata/compiler/diag"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// MaxExpressionDepth is how deeply one expression may nest operators and
// calls. Each level becomes at most two levels of SQL, which keeps every
// expression well inside DuckDB's limit of 1,000.
const MaxExpressionDepth = 250

// typed is a translated expression with its type.
type typed struct {
	sql sqltree.Expr
	typ models.Type // TypeUnknown after an error, so errors do not cascade
	// aggregate is true when the expression contains an aggregate call.
	aggregate bool
	// zeroWhenEmpty is true for counts and sums: over no rows they are 0, not NULL.
	zeroWhenEmpty bool
	// additive is true for what adds up over entities: counts and sums,
	// their sums and differences, and their multiples by a literal.
	additive bool
	isNull   bool    // the literal null
	literal  *string // the text of a string literal, for date comparisons
	rng      hcl.Range
}

// scope says what names an expression can see.
type scope struct {
	c *checker
	// rel is set for expressions over the rows of a metric's source: bare
	// names are its columns.
	rel *Relation
	// ent is set for expressions over the entity profile: bare names are
	// attributes; metric.x and segment.x are the entity's metrics and segments.
	ent             *Entity
	allowAggregates bool
	inAggregate     bool
	allowWindows    bool
	used            []string // profile columns read, in order of first use

	// series is set for expressions over the period totals of a time
	// series (derived metrics with a grain): metric.x is x's total.
	series     bool
	inTrailing bool
}

func (s *scope) use(name string) {
	for _, u := range s.used {
		if u == name {
			return
		}
	}
	s.used = append(s.used, name)
}

func (s *scope) fail(rng hcl.Range, summary, format string, args ...any) typed {
	s.c.errorf(rng, summary, format, args...)
	return typed{sql: sqltree.Null(), typ: models.TypeUnknown, rng: rng}
}

// translate turns an HCL expression into a typed SQL expression.
func (s *scope) translate(expr hcl.Expression) typed {
	e, ok := expr.(hclsyntax.Expression)
	if !ok {
		return s.fail(expr.Range(), "Unsupported expression", "This expression cannot be translated to SQL.")
	}
	c := s.c
	c.depth++
	defer func() {
		if c.depth--; c.depth == 0 {
			c.depthReported = false
		}
	}()
	if c.depth > MaxExpressionDepth {
		// Warehouses refuse deeply nested expressions (DuckDB at 1,000
		// levels): refuse them here, once per expression, not at build.
		if !c.depthReported {
			c.depthReported = true
			s.fail(e.Range(), "Expression too deep",
				"This expression nests more than %d levels of operators and calls; warehouses refuse SQL nested that deeply. Split it into metrics or segments that read each other.", MaxExpressionDepth)
		}
		return typed{sql: sqltree.Null(), typ: models.TypeUnknown, rng: e.Range()}
	}
	t := s.translateSyntax(e)
	t.rng = e.Range()
	return t
}

func (s *scope) translateSyntax(e hclsyntax.Expression) typed {
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return s.literal(e.Val, e.Range())
	case *hclsyntax.TemplateExpr:
		if e.IsStringLiteral() || len(e.Parts) == 0 {
			v, _ := e.Value(nil)
			return s.literal(v, e.Range())
		}
		return s.fail(e.Range(), "Unsupported string template",
			"Rules cannot build strings with ${...}. Compare with a plain string, or use strcontains(), startswith() or endswith().")
	case *hclsyntax.TemplateWrapExpr:
		return s.translate(e.Wrapped)
	case *hclsyntax.ParenthesesExpr:
		return s.translate(e.Expression)
	case *hclsyntax.ScopeTraversalExpr:
		return s.traversal(e.Traversal, e.Range())
	case *hclsyntax.BinaryOpExpr:
		return s.binary(e)
	case *hclsyntax.UnaryOpExpr:
		return s.unary(e)
	case *hclsyntax.ConditionalExpr:
		return s.conditional(e)
	case *hclsyntax.FunctionCallExpr:
		return s.call(e)
	case *hclsyntax.TupleConsExpr:
		return s.fail(e.Range(), "Unsupported list",
			"A list is only allowed as the first argument of contains(), as in contains([\"a\", \"b\"], plan).")
	}
	return s.fail(e.Range(), "Unsupported expression",
		"This kind of expression has no SQL translation. Rules can use names, metric.x and segment.x references, literals, operators, conditionals (a ? b : c) and the functions of the language reference.")
}

func (s *scope) literal(v cty.Value, rng hcl.Range) typed {
	switch {
	case v.IsNull():
		return typed{sql: sqltree.Null(), isNull: true}
	case v.Type().Equals(cty.Bool):
		return typed{sql: sqltree.Bool(v.True()), typ: models.TypeBoolean}
	case v.Type().Equals(cty.String):
		str := v.AsString()
		return typed{sql: sqltree.Str(str), typ: models.TypeString, literal: &str}
	case v.Type().Equals(cty.Number):
		f := v.AsBigFloat()
		if f.IsInt() {
			return typed{sql: sqltree.Num(integerText(f)), typ: models.TypeInteger}
		}
		return typed{sql: sqltree.Num(decimalText(f)), typ: models.TypeNumber}
	}
	return s.fail(rng, "Unsupported value", "Only strings, numbers, true, false and null can be written literally.")
}

func (s *scope) traversal(t hcl.Traversal, rng hcl.Range) typed {
	root := t.RootName()
	if len(t) == 1 {
		return s.column(root, rng)
	}
	name, ok := traversalName(t)
	if !ok {
		return s.fail(rng, "Unsupported reference",
			"Write a column as name (or column[\"odd name\"]), and a reference as metric.name or segment.name (or metric[\"odd name\"]).")
	}
	switch root {
	case "metric":
		return s.metricRef(name, rng)
	case "segment":
		return s.segmentRef(name, rng)
	case "column":
		return s.column(name, rng)
	}
	return s.fail(rng, "Unknown reference",
		"%q is not something a rule can read. Use a column name, metric.name or segment.name.%s",
		root+"."+name, diag.DidYouMean(root, []string{"metric", "segment", "column"}))
}

// traversalName reads the name of a two-step reference: metric.mrr, or
// metric["odd name"] for names that are not HCL identifiers.
func traversalName(t hcl.Traversal) (string, bool) {
	if len(t) != 2 {
		return "", false
	}
	switch step := t[1].(type) {
	case hcl.TraverseAttr:
		return step.Name, true
	case hcl.TraverseIndex:
		if step.Key.Type().Equals(cty.String) && !step.Key.IsNull() {
			return step.Key.AsString(), true
		}
	}
	return "", false
}

func (s *scope) column(name string, rng hcl.Range) typed {
	if s.series {
		return s.fail(rng, "Attribute in a time series",
			"A time series adds up all entities, so it cannot read the attribute %q of each. Put the attribute in a metric that reads rows (from), or break the series down by a segment.", name)
	}
	if s.rel != nil {
		if col := s.rel.Decl.Column(name); col != nil {
			return typed{sql: sqltree.Column{Table: RowAlias, Name: name}, typ: col.Type}
		}
		return s.unknownColumn(name, rng, s.rel.Decl, "")
	}
	if s.ent != nil {
		if col := s.ent.Column(name); col != nil {
			s.use(name)
			return typed{sql: sqltree.Column{Name: name}, typ: col.Type}
		}
		if s.ent.Rel != nil {
			return s.unknownColumn(name, rng, s.ent.Rel.Decl, fmt.Sprintf(" of entity %q", s.ent.Decl.Name))
		}
	}
	return typed{sql: sqltree.Null(), rng: rng}
}

func (s *scope) unknownColumn(name string, rng hcl.Range, src *models.Source, whose string) typed {
	var names []string
	for _, col := range src.Columns {
		names = append(names, col.Name)
	}
	hint := diag.DidYouMean(name, names)
	if _, isMetric := s.c.model.metrics[name]; isMetric && hint == "" {
		hint = fmt.Sprintf(" There is a metric named %q: write metric.%s.", name, name)
	}
	return s.fail(rng, "Unknown column",
		"%s %q%s has no column named %q.%s", src.Kind, src.Name, whose, name, hint)
}

// lookupMetric finds a declared metric, reporting an unknown name.
func (c *checker) lookupMetric(name string, rng hcl.Range) *Metric {
	m, ok := c.model.metrics[name]
	if !ok {
		var names []string
		for _, m := range c.project.Metrics {
			names = append(names, m.Name)
		}
		c.errorf(rng, "Unknown metric", "No metric named %q is declared.%s", name, diag.DidYouMean(name, names))
		return nil
	}
	return m
}

func (s *scope) metricRef(name string, rng hcl.Range) typed {
	if s.ent == nil && !s.series {
		return s.fail(rng, "Metric reference in a row expression",
			"A metric with from aggregates the rows of its source and cannot read other metrics. Write a derived metric (without from) to combine metrics.")
	}
	m := s.c.lookupMetric(name, rng)
	if m == nil || !m.ok {
		return typed{sql: sqltree.Null(), rng: rng} // its own errors are reported
	}
	if s.series {
		// Its period total, which the series planner computes; a derived
		// metric's total combines the totals it reads, checked here.
		if m.Rel == nil {
			s.c.translateSeries(m)
		}
		return typed{sql: sqltree.Hole{Value: Total{Metric: m}}, typ: m.Type}
	}
	if m.Periodic {
		return s.fail(rng, "Time-series metric in a per-entity rule",
			"Metric %q reads movements or trailing averages of all entities, so it exists only as a time series (metric_%s); a per-entity rule cannot read it.", name, name)
	}
	if m.Entity != s.ent {
		return s.fail(rng, "Metric of another entity",
			"Metric %q measures entity %q, but this expression is about entity %q.", name, m.Entity.Decl.Name, s.ent.Decl.Name)
	}
	s.use(name)
	return typed{sql: sqltree.Column{Name: name}, typ: m.Type, additive: m.Additive}
}

func (s *scope) segmentRef(name string, rng hcl.Range) typed {
	if s.series {
		return s.fail(rng, "Segment in a time series",
			"A time series adds up all entities, so it cannot read segment %q per entity. Break the series down with by = [segment.%s] instead.", name, name)
	}
	if s.ent == nil {
		return s.fail(rng, "Segment reference in a row expression", "Only segments and derived metrics can read segments.")
	}
	seg := s.c.lookupSegment(name, rng)
	if seg == nil || !seg.ok {
		return typed{sql: sqltree.Null(), rng: rng}
	}
	if seg.Entity != s.ent {
		return s.fail(rng, "Segment of another entity",
			"Segment %q groups entity %q, but this expression is about entity %q.", name, seg.Entity.Decl.Name, s.ent.Decl.Name)
	}
	s.use(name)
	return typed{sql: sqltree.Column{Name: name}, typ: seg.Type}
}

// lookupSegment finds a declared segment, reporting an unknown name.
func (c *checker) lookupSegment(name string, rng hcl.Range) *Segment {
	if sg, ok := c.model.segments[name]; ok {
		return sg
	}
	var names []string
	for _, sg := range c.project.Segments {
		names = append(names, sg.Name)
	}
	c.errorf(rng, "Unknown segment", "No segment named %q is declared.%s", name, diag.DidYouMean(name, names))
	return nil
}

var (
	logicalOps = map[*hclsyntax.Operation]string{
		hclsyntax.OpLogicalAnd: "AND", hclsyntax.OpLogicalOr: "OR",
	}
	compareOps = map[*hclsyntax.Operation]string{
		hclsyntax.OpEqual: "=", hclsyntax.OpNotEqual: "<>",
		hclsyntax.OpLessThan: "<", hclsyntax.OpLessThanOrEqual: "<=",
		hclsyntax.OpGreaterThan: ">", hclsyntax.OpGreaterThanOrEqual: ">=",
	}
	arithmeticOps = map[*hclsyntax.Operation]string{
		hclsyntax.OpAdd: "+", hclsyntax.OpSubtract: "-", hclsyntax.OpMultiply: "*",
		hclsyntax.OpDivide: "/", hclsyntax.OpModulo: "%",
	}
)

func (s *scope) binary(e *hclsyntax.BinaryOpExpr) typed {
	l, r := s.translate(e.LHS), s.translate(e.RHS)
	agg := l.aggregate || r.aggregate
	if op, ok := logicalOps[e.Op]; ok {
		s.requireType(l, models.TypeBoolean, op)
		s.requireType(r, models.TypeBoolean, op)
		return typed{sql: sqltree.Binary{Op: op, Left: l.sql, Right: r.sql}, typ: models.TypeBoolean, aggregate: agg}
	}
	if op, ok := compareOps[e.Op]; ok {
		return s.compare(op, l, r, e.Range())
	}
	op := arithmeticOps[e.Op]
	if !s.requireNumeric(l, op) || !s.requireNumeric(r, op) {
		return typed{sql: sqltree.Null(), aggregate: agg}
	}
	if op == "%" && (l.typ == models.TypeNumber || r.typ == models.TypeNumber) {
		// PostgreSQL has no % for double precision; keep % to whole numbers.
		return s.fail(e.Range(), "Type mismatch", "%% takes whole numbers (integers), but one operand is a number with decimals. Use round() first.")
	}
	result := typed{aggregate: agg, typ: models.TypeNumber}
	switch op {
	case "/":
		// Always real division (PostgreSQL divides integers to an integer),
		// and no division by zero: x / 0 is NULL, never an error.
		result.sql = sqltree.Binary{Op: "/", Left: sqltree.Cast{X: l.sql, Type: sqltree.Number}, Right: nonZero(r)}
		result.additive = l.additive && isLiteral(r)
		return result
	case "%":
		// The remainder has the sign of the dividend everywhere; BigQuery
		// writes it MOD(x, y), hence a portable function.
		result.sql = s.portable("mod", e.Range(), l.sql, nonZero(r))
	default:
		result.sql = sqltree.Binary{Op: op, Left: l.sql, Right: r.sql}
		// Over no rows, counts and sums are 0; the expression is 0 too only
		// if it stays 0 when they are: 2 * count() does, count() + 1 does not.
		if op == "*" {
			result.zeroWhenEmpty = (l.zeroWhenEmpty && (r.zeroWhenEmpty || isLiteral(r))) || (isLiteral(l) && r.zeroWhenEmpty)
			result.additive = (l.additive && isLiteral(r)) || (isLiteral(l) && r.additive)
		} else {
			result.zeroWhenEmpty = l.zeroWhenEmpty && r.zeroWhenEmpty
			result.additive = l.additive && r.additive
		}
	}
	if l.typ == models.TypeInteger && r.typ == models.TypeInteger {
		result.typ = models.TypeInteger
	}
	return result
}

// nonZero guards a divisor: NULLIF(x, 0), unless x is a non-zero literal.
func nonZero(t typed) sqltree.Expr {
	if lit, ok := t.sql.(sqltree.Literal); ok && lit.Kind == sqltree.LitNumber && strings.Trim(lit.Value, "-0.") != "" {
		return t.sql
	}
	return sqltree.Call{Name: "NULLIF", Args: []sqltree.Expr{t.sql, sqltree.Num("0")}}
}

func isLiteral(t typed) bool {
	_, ok := t.sql.(sqltree.Literal)
	return ok && !t.isNull
}

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$`)

// validDate accepts "YYYY-MM-DD", optionally with "hh:mm" or "hh:mm:ss",
// and only real calendar dates: "2025-02-30" is refused here, not by the
// warehouse at build time.
func validDate(s string) bool {
	if !datePattern.MatchString(s) {
		return false
	}
	for _, layout := range []string{time.DateOnly, "2006-01-02 15:04", time.DateTime} {
		// Year 0 does not exist in SQL's calendar (PostgreSQL refuses it).
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1 {
			return true
		}
	}
	return false
}

func (s *scope) compare(op string, l, r typed, rng hcl.Range) typed {
	agg := l.aggregate || r.aggregate
	out := func(x sqltree.Expr) typed { return typed{sql: x, typ: models.TypeBoolean, aggregate: agg} }
	if l.isNull || r.isNull {
		other := l
		if l.isNull {
			other = r
		}
		switch op {
		case "=":
			return out(sqltree.IsNull{X: other.sql})
		case "<>":
			return out(sqltree.IsNull{X: other.sql, Negate: true})
		}
		return s.fail(rng, "Invalid comparison with null", "Only == and != compare with null (they become IS NULL and IS NOT NULL).")
	}
	// A string literal compared with a date reads as a date: signed_up_at >= "2024-01-01".
	l, r = s.temporalLiteral(l, r), s.temporalLiteral(r, l)
	if l.typ != models.TypeUnknown && r.typ != models.TypeUnknown && !comparable(l.typ, r.typ) {
		return s.fail(rng, "Type mismatch",
			"Cannot compare a %s with a %s. Both sides of %s must have the same kind of value.", l.typ, r.typ, opSymbol(op))
	}
	// A date compared with a timestamp is the start of its day, said in
	// the SQL: BigQuery compares a TIMESTAMP with no DATE.
	switch {
	case l.typ == models.TypeTimestamp && r.typ == models.TypeDate:
		r.sql = sqltree.AtStartOfDay(r.sql)
	case l.typ == models.TypeDate && r.typ == models.TypeTimestamp:
		l.sql = sqltree.AtStartOfDay(l.sql)
	}
	if (op != "=" && op != "<>") && l.typ == models.TypeBoolean {
		return s.fail(rng, "Type mismatch", "Booleans have no order; compare them with == or !=.")
	}
	if op != "=" && op != "<>" && l.typ == models.TypeString {
		// Strings order by their bytes on every engine.
		l.sql, r.sql = sqltree.BinaryOrder{X: l.sql}, sqltree.BinaryOrder{X: r.sql}
	}
	return out(sqltree.Binary{Op: op, Left: l.sql, Right: r.sql})
}

func opSymbol(sqlOp string) string {
	switch sqlOp {
	case "=":
		return "=="
	case "<>":
		return "!="
	}
	return sqlOp
}

func (s *scope) temporalLiteral(lit, other typed) typed {
	if lit.literal == nil || !other.typ.IsTemporal() {
		return lit
	}
	if !validDate(*lit.literal) {
		s.fail(lit.rng, "Invalid date", "%q is not a date. Write dates as \"YYYY-MM-DD\".", *lit.literal)
		return typed{sql: sqltree.Null(), typ: models.TypeUnknown}
	}
	st := sqltree.Date
	if other.typ == models.TypeTimestamp {
		st = sqltree.Timestamp
	}
	return typed{sql: sqltree.Cast{X: lit.sql, Type: st}, typ: other.typ}
}

func comparable(a, b models.Type) bool {
	return a == b || (a.IsNumeric() && b.IsNumeric()) || (a.IsTemporal() && b.IsTemporal())
}

func (s *scope) requireType(t typed, want models.Type, op string) bool {
	if t.typ == want || t.typ == models.TypeUnknown || t.isNull {
		return true
	}
	s.fail(t.rng, "Type mismatch", "The operands of %s must be %ss, but this is a %s.", opName(op), want, t.typ)
	return false
}

func (s *scope) requireNumeric(t typed, op string) bool {
	if t.typ.IsNumeric() || t.typ == models.TypeUnknown || t.isNull {
		return true
	}
	s.fail(t.rng, "Type mismatch", "The operands of %s must be numbers, but this is a %s.", opName(op), t.typ)
	return false
}

func opName(op string) string {
	switch op {
	case "AND":
		return "&&"
	case "OR":
		return "||"
	case "NOT":
		return "!"
	}
	return op
}

func (s *scope) unary(e *hclsyntax.UnaryOpExpr) typed {
	x := s.translate(e.Val)
	if e.Op == hclsyntax.OpLogicalNot {
		s.requireType(x, models.TypeBoolean, "NOT")
		return typed{sql: sqltree.Unary{Op: "NOT", X: x.sql}, typ: models.TypeBoolean, aggregate: x.aggregate}
	}
	s.requireNumeric(x, "-")
	if x.isNull {
		// -null is null, still untyped: 0 - NULL would be an integer,
		// which PostgreSQL refuses to compare with a timestamp.
		return x
	}
	if lit, ok := x.sql.(sqltree.Literal); ok && lit.Kind == sqltree.LitNumber {
		return typed{sql: sqltree.Num(negate(lit.Value)), typ: x.typ}
	}
	// 0 - x, not -x: negating a zero gives -0 in floating point, which
	// reads oddly in a rate.
	return typed{sql: sqltree.Binary{Op: "-", Left: sqltree.Num("0"), Right: x.sql}, typ: x.typ, aggregate: x.aggregate, additive: x.additive}
}

// integerText writes a whole number in decimal.
func integerText(f *big.Float) string {
	if i, acc := f.Int64(); acc == big.Exact {
		return strconv.FormatInt(i, 10)
	}
	i, _ := f.Int(nil)
	return i.String()
}

// decimalText writes a number with decimals as the shortest decimal that
// denotes it. HCL holds literals at 512 bits, where big.Float.Text is slow
// (a third of checking a large project went there); a literal of up to 15
// significant digits, which is what people write, is instead found as the
// shortest float64 text, and kept if it parses back to the same value.
func decimalText(f *big.Float) string {
	if x, _ := f.Float64(); !math.IsInf(x, 0) {
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if back, _, err := big.ParseFloat(s, 10, f.Prec(), big.ToNearestEven); err == nil && back.Cmp(f) == 0 {
			return s
		}
	}
	return f.Text('f', -1)
}

func negate(num string) string {
	f, _, err := big.ParseFloat(num, 10, 256, big.ToNearestEven)
	if err != nil {
		return "-" + num
	}
	if f.IsInt() {
		i, _ := f.Int(nil)
		return i.Neg(i).String()
	}
	return f.Neg(f).Text('f', -1)
}

func (s *scope) conditional(e *hclsyntax.ConditionalExpr) typed {
	cond, yes, no := s.translate(e.Condition), s.translate(e.TrueResult), s.translate(e.FalseResult)
	s.requireType(cond, models.TypeBoolean, "a condition")
	typ, ok := unify(yes, no)
	if !ok {
		return s.fail(e.Range(), "Type mismatch",
			"Both results of a conditional must have the same type, but one is a %s and the other a %s.", yes.typ, no.typ)
	}
	return typed{
		sql:       sqltree.Case{Whens: []sqltree.When{{Cond: cond.sql, Then: yes.sql}}, Else: no.sql},
		typ:       typ,
		aggregate: cond.aggregate || yes.aggregate || no.aggregate,
	}
}

// unify returns the common type of two values (null fits anything).
func unify(a, b typed) (models.Type, bool) {
	switch {
	case a.isNull:
		return b.typ, true
	case b.isNull, a.typ == b.typ:
		return a.typ, true
	case a.typ == models.TypeUnknown || b.typ == models.TypeUnknown:
		return models.TypeUnknown, true
	case a.typ.IsNumeric() && b.typ.IsNumeric():
		return models.TypeNumber, true
	case a.typ.IsTemporal() && b.typ.IsTemporal():
		return models.TypeTimestamp, true
	}
	return models.TypeUnknown, false
}
