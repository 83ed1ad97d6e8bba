package check

import (
	"github.com/strata-analytics/strata/compiler/diag"
	"sort"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// function is one function of the language.
type function struct {
	kind    funcKind
	minArgs int
	maxArgs int // -1 for any number
	// build checks the translated arguments and makes the SQL.
	build func(s *scope, call *hclsyntax.FunctionCallExpr, args []typed) typed
}

type funcKind int

const (
	scalarFunc funcKind = iota
	aggregateFunc
	windowFunc
	// seriesFunc functions read a whole time series (movements, trailing
	// averages): only derived metrics' series can use them.
	seriesFunc
)

// functions is the table of the language's functions; docs/reference.md
// describes each.
var functions map[string]function

func init() {
	functions = map[string]function{
		// Aggregates, in metrics that read rows (with from).
		"count":                 {aggregateFunc, 0, 1, buildCount},
		"count_distinct":        {aggregateFunc, 1, 1, buildCountDistinct},
		"count_if":              {aggregateFunc, 1, 1, buildCountIf},
		"sum":                   {aggregateFunc, 1, 1, numericAggregate("SUM", true)},
		"avg":                   {aggregateFunc, 1, 1, numericAggregate("AVG", false)},
		"min":                   {aggregateFunc, 1, 1, orderedAggregate("MIN")},
		"max":                   {aggregateFunc, 1, 1, orderedAggregate("MAX")},
		"median":                {aggregateFunc, 1, 1, buildMedian},
		"approx_count_distinct": {aggregateFunc, 1, 1, buildApproxCountDistinct},
		"first":                 {aggregateFunc, 1, 2, valueInOrder("first_by")},
		"last":                  {aggregateFunc, 1, 2, valueInOrder("last_by")},

		// Scalars, anywhere.
		"days_since":   {scalarFunc, 1, 1, buildDaysSince},
		"days_between": {scalarFunc, 2, 2, buildDaysBetween},
		"date":         {scalarFunc, 1, 1, buildDate},
		"lower":        {scalarFunc, 1, 1, stringFunc("LOWER", models.TypeString)},
		"upper":        {scalarFunc, 1, 1, stringFunc("UPPER", models.TypeString)},
		"length":       {scalarFunc, 1, 1, buildLength},
		"strcontains":  {scalarFunc, 2, 2, stringPredicate("contains_text")},
		"startswith":   {scalarFunc, 2, 2, stringPredicate("starts_with")},
		"endswith":     {scalarFunc, 2, 2, stringPredicate("ends_with")},
		"matches":      {scalarFunc, 2, 2, buildMatches},
		"like":         {scalarFunc, 2, 2, buildLike},
		"contains":     {scalarFunc, 2, 2, buildContains},
		"coalesce":     {scalarFunc, 2, -1, buildCoalesce},
		"abs":          {scalarFunc, 1, 1, buildAbs},
		"round":        {scalarFunc, 1, 2, buildRound},

		// Window functions, over all entities of a profile.
		"percent_rank":     {windowFunc, 1, 1, buildPercentRank},
		"rank":             {windowFunc, 1, 1, buildRank},
		"ntile":            {windowFunc, 2, 2, buildNtile},
		"cumulative_share": {windowFunc, 1, 1, buildCumulativeShare},

		// Series functions, in time series of derived metrics.
		"trailing_avg": {seriesFunc, 2, 3, buildTrailingAvg},
	}
	for name := range periodFunctions {
		functions[name] = function{seriesFunc, 1, 1, buildPeriodFunction}
	}
}

// FunctionNames lists the language's functions, sorted.
func FunctionNames() []string {
	names := make([]string, 0, len(functions))
	for n := range functions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (s *scope) call(e *hclsyntax.FunctionCallExpr) typed {
	fn, ok := functions[e.Name]
	if !ok {
		return s.fail(e.NameRange, "Unknown function",
			"There is no function named %q.%s See docs/reference.md for the functions rules can use.", e.Name, diag.DidYouMean(e.Name, FunctionNames()))
	}
	if e.ExpandFinal {
		return s.fail(e.Range(), "Unsupported argument expansion", "Arguments cannot be expanded with ... in rules.")
	}
	if len(e.Args) < fn.minArgs || (fn.maxArgs >= 0 && len(e.Args) > fn.maxArgs) {
		return s.fail(e.Range(), "Wrong number of arguments", "%s() takes %s, but %d were given.", e.Name, arity(fn), len(e.Args))
	}
	switch fn.kind {
	case aggregateFunc:
		if !s.allowAggregates {
			return s.fail(e.NameRange, "Aggregate outside a metric",
				"%s() aggregates rows, so it can only be used in the value of a metric that reads rows with from. In a rule, declare a metric and use metric.name.", e.Name)
		}
		if s.inAggregate {
			return s.fail(e.NameRange, "Nested aggregate", "%s() cannot be used inside another aggregate.", e.Name)
		}
	case seriesFunc:
		if !s.series {
			return s.fail(e.NameRange, "Time-series function outside a time series",
				"%s() reads a metric's time series, so it can only be used in a metric without from (a derived metric), which then exists as a time series.", e.Name)
		}
	case windowFunc:
		if !s.allowWindows {
			return s.fail(e.NameRange, "Window function outside a profile",
				"%s() ranks entities against each other, so it can only be used in segments and derived metrics.", e.Name)
		}
	}
	inner := *s
	inner.inAggregate = s.inAggregate || fn.kind == aggregateFunc
	if e.Name == "trailing_avg" {
		if s.inTrailing {
			return s.fail(e.NameRange, "Nested trailing average", "trailing_avg() cannot average another trailing_avg() directly; declare the inner one as its own metric and average that.")
		}
		inner.inTrailing = true
	}
	var args []typed
	if e.Name == "contains" || fn.kind == seriesFunc && e.Name != "trailing_avg" {
		args = nil // these translate their arguments themselves
	} else {
		for _, a := range e.Args {
			args = append(args, inner.translate(a))
		}
	}
	s.used = inner.used
	out := fn.build(s, e, args)
	for _, a := range args {
		out.aggregate = out.aggregate || a.aggregate
	}
	if fn.kind == aggregateFunc {
		out.aggregate = true
	}
	return out
}

func arity(fn function) string {
	switch {
	case fn.minArgs == fn.maxArgs && fn.minArgs == 1:
		return "1 argument"
	case fn.minArgs == fn.maxArgs:
		return strconv.Itoa(fn.minArgs) + " arguments"
	case fn.maxArgs < 0:
		return "at least " + strconv.Itoa(fn.minArgs) + " arguments"
	}
	return strconv.Itoa(fn.minArgs) + " to " + strconv.Itoa(fn.maxArgs) + " arguments"
}

// portable records that the plan needs a dialect-specific function.
func (s *scope) portable(name string, rng hcl.Range, args ...sqltree.Expr) sqltree.Expr {
	return sqltree.Portable{Name: s.c.need(name, rng), Args: args}
}

func (s *scope) argType(fnName string, arg typed, ok bool, want string) bool {
	if ok || arg.typ == models.TypeUnknown || arg.isNull {
		return true
	}
	s.fail(arg.rng, "Type mismatch", "%s() takes %s, but this argument is a %s.", fnName, want, arg.typ)
	return false
}

func buildCount(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	if len(args) == 0 {
		return typed{sql: sqltree.Call{Name: "COUNT", Star: true}, typ: models.TypeInteger, zeroWhenEmpty: true, additive: true}
	}
	return typed{sql: sqltree.Call{Name: "COUNT", Args: []sqltree.Expr{args[0].sql}}, typ: models.TypeInteger, zeroWhenEmpty: true, additive: true}
}

func buildCountDistinct(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	return typed{sql: sqltree.Call{Name: "COUNT", Distinct: true, Args: []sqltree.Expr{args[0].sql}}, typ: models.TypeInteger, zeroWhenEmpty: true, additive: true}
}

func buildCountIf(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	s.argType(e.Name, args[0], args[0].typ == models.TypeBoolean, "a condition")
	when := sqltree.Case{Whens: []sqltree.When{{Cond: args[0].sql, Then: sqltree.Num("1")}}}
	return typed{sql: sqltree.Call{Name: "COUNT", Args: []sqltree.Expr{when}}, typ: models.TypeInteger, zeroWhenEmpty: true, additive: true}
}

func numericAggregate(sqlName string, zeroWhenEmpty bool) func(*scope, *hclsyntax.FunctionCallExpr, []typed) typed {
	return func(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
		s.argType(e.Name, args[0], args[0].typ.IsNumeric(), "a number")
		typ := models.TypeNumber
		if sqlName == "SUM" && args[0].typ == models.TypeInteger {
			typ = models.TypeInteger
		}
		return typed{sql: sqltree.Call{Name: sqlName, Args: []sqltree.Expr{args[0].sql}}, typ: typ, zeroWhenEmpty: zeroWhenEmpty, additive: sqlName == "SUM"}
	}
}

func orderedAggregate(sqlName string) func(*scope, *hclsyntax.FunctionCallExpr, []typed) typed {
	return func(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
		t := args[0].typ
		s.argType(e.Name, args[0], t.IsNumeric() || t.IsTemporal() || t == models.TypeString, "a number, a date or a string")
		x := args[0].sql
		if t == models.TypeString {
			x = sqltree.BinaryOrder{X: x} // the first and last string by bytes, on every engine
		}
		return typed{sql: sqltree.Call{Name: sqlName, Args: []sqltree.Expr{x}}, typ: t}
	}
}

// valueInOrder builds first(value, order) and last(value, order): the
// value on the row that comes first (last) in order, as the portable
// function portable computes it on each dialect. Ties in order go to the
// least value for first and the greatest for last, so that every engine
// returns the same; strings compare by their bytes; rows whose value or
// order is NULL do not count.
func valueInOrder(portable string) func(*scope, *hclsyntax.FunctionCallExpr, []typed) typed {
	return func(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
		if len(args) < 2 {
			return s.fail(e.Range(), "No order for "+e.Name+"()",
				"%s() takes the value and the column that orders the rows: %s(plan_id, started_at) is the plan_id of the row with the %s started_at.",
				e.Name, e.Name, map[string]string{"first": "earliest", "last": "latest"}[e.Name])
		}
		value, order := args[0], args[1]
		s.argType(e.Name, value, value.typ.IsNumeric() || value.typ.IsTemporal() || value.typ == models.TypeString || value.typ == models.TypeBoolean, "a value")
		s.argType(e.Name, order, order.typ.IsNumeric() || order.typ.IsTemporal() || order.typ == models.TypeString, "a number, a date or a string to order by")
		byBytes := func(t typed) sqltree.Expr {
			if t.typ == models.TypeString {
				return sqltree.BinaryOrder{X: t.sql}
			}
			return t.sql
		}
		// Cast back to the value's type: Snowflake's comes out of an array
		// as a VARIANT, ClickHouse's condition as a UInt8.
		x := s.portable(portable, e.Range(), value.sql, byBytes(order), byBytes(value))
		if t, ok := sqlTypes[value.typ]; ok {
			x = sqltree.Cast{X: x, Type: t}
		}
		return typed{sql: x, typ: value.typ}
	}
}

// sqlTypes are the SQL types of the language's types.
var sqlTypes = map[models.Type]sqltree.Type{
	models.TypeString:    sqltree.String,
	models.TypeInteger:   sqltree.Integer,
	models.TypeNumber:    sqltree.Number,
	models.TypeBoolean:   sqltree.Boolean,
	models.TypeDate:      sqltree.Date,
	models.TypeTimestamp: sqltree.Timestamp,
}

// SQLType is the SQL type of a declared column or metric type.
func SQLType(t models.Type) sqltree.Type { return sqlTypes[t] }

func buildMedian(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	s.argType(e.Name, args[0], args[0].typ.IsNumeric(), "a number")
	return typed{sql: s.portable("median", e.Range(), sqltree.Cast{X: args[0].sql, Type: sqltree.Number}), typ: models.TypeNumber}
}

func buildApproxCountDistinct(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	return typed{sql: s.portable("approx_count_distinct", e.Range(), args[0].sql), typ: models.TypeInteger, zeroWhenEmpty: true, additive: true}
}

// asOf is the evaluation date: as_of in the profile, each period's last
// day over time. The planner that places the expression fills the hole.
func (s *scope) asOf() sqltree.Expr { return s.asOfPlus(0, "day", s.c.project.DeclRange) }

// asOfPlus is the evaluation date moved by n days or months.
func (s *scope) asOfPlus(n int, unit string, rng hcl.Range) sqltree.Expr {
	h := AsOf{Range: rng}
	if unit == "month" {
		h.Months = n
	} else {
		h.Days = n
	}
	return sqltree.Hole{Value: h}
}

func buildDaysSince(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	s.argType(e.Name, args[0], args[0].typ.IsTemporal(), "a date or a timestamp")
	return typed{sql: s.portable("days_between", e.Range(), args[0].sql, s.asOf()), typ: models.TypeInteger}
}

func buildDaysBetween(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	for i := range args {
		args[i] = s.temporalLiteral(args[i], typed{typ: models.TypeDate})
		s.argType(e.Name, args[i], args[i].typ.IsTemporal(), "dates or timestamps")
	}
	return typed{sql: s.portable("days_between", e.Range(), args[0].sql, args[1].sql), typ: models.TypeInteger}
}

func buildDate(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	if args[0].literal == nil {
		return s.fail(args[0].rng, "Invalid date", "date() takes a literal string such as \"2024-01-31\".")
	}
	return s.temporalLiteral(args[0], typed{typ: models.TypeDate})
}

func stringFunc(sqlName string, result models.Type) func(*scope, *hclsyntax.FunctionCallExpr, []typed) typed {
	return func(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
		s.argType(e.Name, args[0], args[0].typ == models.TypeString, "a string")
		return typed{sql: sqltree.Call{Name: sqlName, Args: []sqltree.Expr{args[0].sql}}, typ: result}
	}
}

func buildLength(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	s.argType(e.Name, args[0], args[0].typ == models.TypeString, "a string")
	return typed{sql: s.portable("length", e.Range(), args[0].sql), typ: models.TypeInteger}
}

func stringPredicate(portableName string) func(*scope, *hclsyntax.FunctionCallExpr, []typed) typed {
	return func(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
		for _, a := range args {
			s.argType(e.Name, a, a.typ == models.TypeString, "strings")
		}
		return typed{sql: s.portable(portableName, e.Range(), args[0].sql, args[1].sql), typ: models.TypeBoolean}
	}
}

// buildMatches is a regular-expression match; a literal pattern is checked
// here, so that it cannot fail or differ on the warehouse.
func buildMatches(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	if p := args[1].literal; p != nil {
		if problem := checkPattern(*p); problem != "" {
			return s.fail(args[1].rng, "Invalid regular expression", "%s", problem)
		}
	}
	return stringPredicate("regex_match")(s, e, args)
}

func buildLike(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	for _, a := range args {
		s.argType(e.Name, a, a.typ == models.TypeString, "strings")
	}
	return typed{sql: sqltree.Like{X: args[0].sql, Pattern: args[1].sql}, typ: models.TypeBoolean}
}

// buildContains is list membership: contains(["a", "b"], plan).
func buildContains(s *scope, e *hclsyntax.FunctionCallExpr, _ []typed) typed {
	list, ok := e.Args[0].(*hclsyntax.TupleConsExpr)
	if !ok {
		return s.fail(e.Args[0].Range(), "Invalid list",
			"contains() takes a literal list first, as in contains([\"twitter\", \"facebook\"], acquisition_channel).")
	}
	x := s.translate(e.Args[1])
	in := sqltree.In{X: x.sql}
	for _, item := range list.Exprs {
		t := s.translate(item)
		t = s.temporalLiteral(t, x)
		if x.typ != models.TypeUnknown && t.typ != models.TypeUnknown && !comparable(x.typ, t.typ) {
			s.fail(item.Range(), "Type mismatch", "The list holds a %s, but the value looked for is a %s.", t.typ, x.typ)
		}
		in.List = append(in.List, t.sql)
	}
	if len(in.List) == 0 {
		return typed{sql: sqltree.Bool(false), typ: models.TypeBoolean} // nothing is in an empty list
	}
	return typed{sql: in, typ: models.TypeBoolean, aggregate: x.aggregate}
}

func buildCoalesce(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	out := typed{isNull: true}
	var sqlArgs []sqltree.Expr
	for _, a := range args {
		typ, ok := unify(out, a)
		if !ok {
			return s.fail(a.rng, "Type mismatch", "coalesce() takes values of one type, but this one is a %s and an earlier one a %s.", a.typ, out.typ)
		}
		out = typed{typ: typ, isNull: out.isNull && a.isNull}
		sqlArgs = append(sqlArgs, a.sql)
	}
	out.sql = sqltree.Call{Name: "COALESCE", Args: sqlArgs}
	return out
}

func buildAbs(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	s.argType(e.Name, args[0], args[0].typ.IsNumeric(), "a number")
	return typed{sql: sqltree.Call{Name: "ABS", Args: []sqltree.Expr{args[0].sql}}, typ: args[0].typ}
}

func buildRound(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	s.argType(e.Name, args[0], args[0].typ.IsNumeric(), "a number")
	digits := sqltree.Expr(sqltree.Num("0"))
	if len(args) == 2 {
		if args[1].typ != models.TypeInteger || !isLiteral(args[1]) {
			return s.fail(args[1].rng, "Invalid argument", "round() takes a literal whole number of digits, such as round(x, 2).")
		}
		digits = args[1].sql
	}
	return typed{sql: s.portable("round", e.Range(), sqltree.Cast{X: args[0].sql, Type: sqltree.Number}, digits), typ: models.TypeNumber}
}

func buildPercentRank(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	s.argType(e.Name, args[0], args[0].typ.IsNumeric() || args[0].typ.IsTemporal(), "a number or a date")
	// Ranked over every entity; over time, the planner ranks within each
	// period by adding a partition.
	return typed{sql: sqltree.Window{
		Call:    sqltree.Call{Name: "PERCENT_RANK"},
		OrderBy: []sqltree.OrderItem{{X: args[0].sql}},
	}, typ: models.TypeNumber}
}

// unlessNull is x, or NULL where value is NULL: an entity without a value
// has no rank.
func unlessNull(value, x sqltree.Expr) sqltree.Expr {
	return sqltree.Case{Whens: []sqltree.When{{Cond: sqltree.IsNull{X: value, Negate: true}, Then: x}}}
}

// buildRank is the entity's rank by x, 1 for the largest value; entities
// with equal values share the best rank (SQL's RANK), and the next rank
// skips as many. An entity without a value has none, and the ranks of the
// others do not count it.
func buildRank(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	s.argType(e.Name, args[0], args[0].typ.IsNumeric() || args[0].typ.IsTemporal(), "a number or a date")
	return typed{sql: unlessNull(args[0].sql, sqltree.Window{
		Call:    sqltree.Call{Name: "RANK"},
		OrderBy: []sqltree.OrderItem{{X: args[0].sql, Desc: true}},
	}), typ: models.TypeInteger}
}

// buildNtile is the n-quantile of the entity's value, from 1 (the
// smallest values) to n (the largest): 1 + floor(n * (rank - 1) /
// entities with a value), rank ascending. Unlike SQL's NTILE, which deals
// tied rows to buckets in an order each engine picks, equal values share a
// bucket, so buckets may differ in size and the result is the same on
// every engine.
func buildNtile(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	s.argType(e.Name, args[0], args[0].typ.IsNumeric() || args[0].typ.IsTemporal(), "a number or a date")
	n, err := strconv.Atoi(literalText(args[1]))
	if args[1].typ != models.TypeInteger || !isLiteral(args[1]) || err != nil || n < 1 || n > 1000 {
		return s.fail(args[1].rng, "Invalid argument", "ntile() takes a literal number of groups from 1 to 1000, such as ntile(metric.mrr, 10) for deciles.")
	}
	x := args[0].sql
	rankBelow := sqltree.Binary{Op: "-", Left: sqltree.Window{Call: sqltree.Call{Name: "RANK"}, OrderBy: []sqltree.OrderItem{{X: x}}}, Right: sqltree.Num("1")}
	withValue := sqltree.Window{Call: sqltree.Call{Name: "COUNT", Args: []sqltree.Expr{x}}}
	share := sqltree.Binary{Op: "/",
		Left:  sqltree.Cast{X: sqltree.Binary{Op: "*", Left: sqltree.Num(strconv.Itoa(n)), Right: rankBelow}, Type: sqltree.Number},
		Right: sqltree.Cast{X: withValue, Type: sqltree.Number}}
	bucket := sqltree.Binary{Op: "+", Left: sqltree.Cast{X: sqltree.Call{Name: "FLOOR", Args: []sqltree.Expr{share}}, Type: sqltree.Integer}, Right: sqltree.Num("1")}
	return typed{sql: unlessNull(x, bucket), typ: models.TypeInteger}
}

// buildCumulativeShare is the share of the total of x held by the entity
// and every entity ranked above it (larger values), ties included: the
// Pareto curve, so that cumulative_share(metric.tickets) <= 0.8 is the
// entities that hold the first 80% of tickets. Written with neither a
// RANGE frame (Redshift has none) nor a partition by x (BigQuery cannot
// partition by a FLOAT64): the running sum in the order of x and the key,
// plus x times the ties after the entity in that order, which are the
// entities with a value (N) less those below it (rank ascending - 1) and
// those up to it (its row number).
func buildCumulativeShare(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	s.argType(e.Name, args[0], args[0].typ.IsNumeric(), "a number")
	x := args[0].sql
	key := sqltree.Hole{Value: EntityKey{Name: s.ent.Key.Name}}
	downwards := []sqltree.OrderItem{{X: x, Desc: true}, {X: key}}
	running := sqltree.Window{Call: sqltree.Call{Name: "SUM", Args: []sqltree.Expr{x}}, OrderBy: downwards, Unbounded: true}
	minus := func(a, b sqltree.Expr) sqltree.Expr { return sqltree.Binary{Op: "-", Left: a, Right: b} }
	tiesAfter := sqltree.Binary{Op: "+", Left: minus(minus(
		sqltree.Window{Call: sqltree.Call{Name: "COUNT", Args: []sqltree.Expr{x}}},
		sqltree.Window{Call: sqltree.Call{Name: "RANK"}, OrderBy: []sqltree.OrderItem{{X: x}}}),
		sqltree.Window{Call: sqltree.Call{Name: "ROW_NUMBER"}, OrderBy: downwards}), Right: sqltree.Num("1")}
	held := sqltree.Binary{Op: "+", Left: sqltree.Cast{X: running, Type: sqltree.Number},
		Right: sqltree.Binary{Op: "*", Left: sqltree.Cast{X: x, Type: sqltree.Number}, Right: tiesAfter}}
	total := sqltree.Window{Call: sqltree.Call{Name: "SUM", Args: []sqltree.Expr{x}}}
	share := sqltree.Binary{Op: "/", Left: held,
		Right: sqltree.Call{Name: "NULLIF", Args: []sqltree.Expr{sqltree.Cast{X: total, Type: sqltree.Number}, sqltree.Num("0")}}}
	return typed{sql: unlessNull(x, share), typ: models.TypeNumber}
}

// buildTrailingAvg is the average of x over n periods: the current one and
// the n-1 before it, or, with skip, the n periods that end skip periods
// before the current one (ChartMogul's LTV averages the churn rate of the
// six months before the current one: trailing_avg(x, 6, 1)). Periods
// where x has no value do not count.
func buildTrailingAvg(s *scope, e *hclsyntax.FunctionCallExpr, args []typed) typed {
	s.argType(e.Name, args[0], args[0].typ.IsNumeric(), "a number")
	n, err := strconv.Atoi(literalText(args[1]))
	if args[1].typ != models.TypeInteger || !isLiteral(args[1]) || err != nil || n < 1 || n > 1000 {
		return s.fail(args[1].rng, "Invalid argument", "trailing_avg() takes a literal number of periods from 1 to 1000, such as trailing_avg(metric.churn_rate, 6).")
	}
	skip := 0
	if len(args) == 3 {
		skip, err = strconv.Atoi(literalText(args[2]))
		if args[2].typ != models.TypeInteger || !isLiteral(args[2]) || err != nil || skip < 0 || skip > 1000 {
			return s.fail(args[2].rng, "Invalid argument", "The third argument of trailing_avg() is a literal number of recent periods to leave out, such as 1 in trailing_avg(metric.churn_rate, 6, 1).")
		}
	}
	if n == 1 && skip == 0 {
		return typed{sql: sqltree.Cast{X: args[0].sql, Type: sqltree.Number}, typ: models.TypeNumber}
	}
	return typed{sql: sqltree.Hole{Value: TrailingAvg{X: args[0].sql, N: n, Skip: skip}}, typ: models.TypeNumber}
}

func literalText(t typed) string {
	if lit, ok := t.sql.(sqltree.Literal); ok {
		return lit.Value
	}
	return ""
}
