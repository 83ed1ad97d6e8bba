package views

import (
	"strconv"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// A segment's quality, period by period, under the four words of seed
// 000 (docs/segments.md): measurable (members, their share of the
// entities, the share with a value for every metric the rule reads),
// addressable (the share with every contact column), stable (who entered
// and exited, the share of the last period's members still in, the
// median run of periods members have been in) and consistent (from
// recorded snapshots, which strata segments reads, not this view). It is
// computed from the same labels as the segment's history, so it has a row
// for every period of the history.

// Columns of the quality CTEs.
const (
	qualityMeasured    = "strata_measured"    // 1 when every metric the rule reads has a value
	qualityContactable = "strata_contactable" // 1 when every contact column has a value
	qualityIsland      = "strata_island"      // periods out of the segment so far
	qualityRun         = "strata_periods_in"  // consecutive periods in, this one counted
)

// qualityColumns are segment_quality's columns after segment and period.
var qualityColumns = []OutputColumn{
	{Name: "members", Type: models.TypeInteger, Description: "Members at the period's end."},
	{Name: "share", Type: models.TypeNumber, Description: "Members over the entities that existed at the period's end."},
	{Name: "entered", Type: models.TypeInteger, Description: "Members now that were not at the end of the period before (or did not exist)."},
	{Name: "exited", Type: models.TypeInteger, Description: "Members at the end of the period before that are not now."},
	{Name: "retained", Type: models.TypeNumber, Description: "The share of the period before's members still members (in any tier); NULL when it had none."},
	{Name: "median_periods_in", Type: models.TypeNumber, Description: "The median number of consecutive periods members have been in, this one counted."},
	{Name: "measured", Type: models.TypeNumber, Description: "The share of members with a value for every metric the rule reads; NULL when it reads none."},
	{Name: "contactable", Type: models.TypeNumber, Description: "The share of members with a value in every contact column; NULL when none is declared."},
	{Name: "too_small", Type: models.TypeBoolean, Description: "Whether members is below the segment's min_size; NULL when it sets none."},
	{Name: "fingerprint", Type: models.TypeString, Description: "For a history read from snapshots, the fingerprint of the definition on the period's last day recorded; NULL for a history reconstructed from the data, which applies today's definition to every period."},
	{Name: "definition_changed", Type: models.TypeBoolean, Description: "For a history read from snapshots, whether the fingerprint differs from the recorded period before's: a break in the history; NULL otherwise, and for the first period recorded."},
}

// planQuality plans segment_<name>_quality.
func (p *planner) planQuality(sg *check.Segment) *Output {
	out, sp := p.historyOutput(sg, check.QualityView(sg), "Quality of segment "+sg.Decl.Name+" in each "+string(sg.History)+
		": size, share, measured and contactable members, who entered and exited, retention and median time in.")
	out.Columns = append([]OutputColumn{{Name: segmentCol, Type: models.TypeString, Description: "The segment."}}, out.Columns[:1]...)
	out.Columns = append(out.Columns, qualityColumns...)

	want := append(append([]string{}, sg.Measured...), columnNames(sg.Contact)...)
	labels := sp.labelsByPeriod(sg, []sqltree.SelectItem{
		{X: allPresent(sg.Measured), Alias: qualityMeasured},
		{X: allPresent(columnNames(sg.Contact)), Alias: qualityContactable},
	}, want, false)
	key, period := sqltree.Column{Name: frameKey}, sqltree.Column{Name: framePeriod}
	label, previous := sqltree.Column{Name: historyLabel}, sqltree.Column{Name: historyPrevious}
	isNull := func(x sqltree.Expr) sqltree.Expr { return sqltree.IsNull{X: x} }
	notNull := func(x sqltree.Expr) sqltree.Expr { return sqltree.IsNull{X: x, Negate: true} }
	one := func(cond sqltree.Expr) sqltree.Expr {
		return sqltree.Case{Whens: []sqltree.When{{Cond: cond, Then: sqltree.Num("1")}}, Else: sqltree.Num("0")}
	}
	byKey := []sqltree.Expr{key}
	inOrder := []sqltree.OrderItem{{X: period}}
	// Every period since the entity existed has a row, so the row before
	// is the period before; a run of membership starts after the last
	// period out (an island of the periods-out count).
	steps := sp.add(sp.cteName("steps"), &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: sqltree.Star{Table: labels}},
			{X: sqltree.Window{Call: sqltree.Call{Name: "LAG", Args: []sqltree.Expr{label}}, PartitionBy: byKey, OrderBy: inOrder}, Alias: historyPrevious},
			{X: sqltree.Window{Call: sqltree.Call{Name: "SUM", Args: []sqltree.Expr{one(isNull(label))}}, PartitionBy: byKey, OrderBy: inOrder, Unbounded: true},
				Alias: qualityIsland},
		},
		From: sqltree.Table{Path: []string{labels}},
	})
	island := sqltree.Column{Name: qualityIsland}
	// An island after the first begins with its period out.
	run := sqltree.Binary{Op: "-",
		Left:  sqltree.Window{Call: sqltree.Call{Name: "ROW_NUMBER"}, PartitionBy: []sqltree.Expr{key, island}, OrderBy: inOrder},
		Right: one(sqltree.Binary{Op: ">", Left: island, Right: sqltree.Num("0")})}
	runs := sp.add(sp.cteName("runs"), &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: sqltree.Star{Table: steps}},
			{X: sqltree.Case{Whens: []sqltree.When{{Cond: notNull(label), Then: run}}}, Alias: qualityRun},
		},
		From: sqltree.Table{Path: []string{steps}},
	})
	counts := sp.add(sp.cteName("counts"), &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: period, Alias: framePeriod},
			{X: sqltree.Call{Name: "COUNT", Args: []sqltree.Expr{label}}, Alias: "members"},
			{X: sqltree.Call{Name: "COUNT", Star: true}, Alias: "entities"},
			{X: sum(one(and(notNull(label), isNull(previous)))), Alias: "entered"},
			{X: sum(one(and(isNull(label), notNull(previous)))), Alias: "exited"},
			{X: sum(one(and(notNull(label), notNull(previous)))), Alias: "stayed"},
			{X: sqltree.Call{Name: "COUNT", Args: []sqltree.Expr{previous}}, Alias: "before"},
			{X: sum(one(and(notNull(label), eq(sqltree.Column{Name: qualityMeasured}, sqltree.Num("1"))))), Alias: "measured"},
			{X: sum(one(and(notNull(label), eq(sqltree.Column{Name: qualityContactable}, sqltree.Num("1"))))), Alias: "contactable"},
		},
		From:    sqltree.Table{Path: []string{runs}},
		GroupBy: []sqltree.Expr{period},
	})
	// The median run, exactly and portably: the middle row, or the mean
	// of the two middle rows, of the runs in order (2 * position is
	// between n and n + 2 for exactly those).
	runCol := sqltree.Column{Name: qualityRun}
	ranked := sp.add(sp.cteName("ranked"), &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: period, Alias: framePeriod},
			{X: runCol, Alias: qualityRun},
			{X: sqltree.Window{Call: sqltree.Call{Name: "ROW_NUMBER"}, PartitionBy: []sqltree.Expr{period}, OrderBy: []sqltree.OrderItem{{X: runCol}}}, Alias: "position"},
			{X: sqltree.Window{Call: sqltree.Call{Name: "COUNT", Star: true}, PartitionBy: []sqltree.Expr{period}}, Alias: "n"},
		},
		From:  sqltree.Table{Path: []string{runs}},
		Where: notNull(label),
	})
	twice := sqltree.Binary{Op: "*", Left: sqltree.Num("2"), Right: sqltree.Column{Name: "position"}}
	n := sqltree.Column{Name: "n"}
	medians := sp.add(sp.cteName("medians"), &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: period, Alias: framePeriod},
			{X: sqltree.Call{Name: "AVG", Args: []sqltree.Expr{sqltree.Cast{X: runCol, Type: sqltree.Number}}}, Alias: "median"},
		},
		From: sqltree.Table{Path: []string{ranked}},
		Where: and(sqltree.Binary{Op: ">=", Left: twice, Right: n},
			sqltree.Binary{Op: "<=", Left: twice, Right: sqltree.Binary{Op: "+", Left: n, Right: sqltree.Num("2")}}),
		GroupBy: []sqltree.Expr{period},
	})

	count := func(name string) sqltree.Expr {
		return castTo(sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{col("c", name), sqltree.Num("0")}}, models.TypeInteger)
	}
	members := count("members")
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{
			{X: sqltree.Str(sg.Decl.Name), Alias: segmentCol},
			{X: col(seriesAlias, spinePeriod), Alias: spinePeriod},
			{X: members, Alias: "members"},
			{X: ratio(col("c", "members"), col("c", "entities")), Alias: "share"},
			{X: count("entered"), Alias: "entered"},
			{X: count("exited"), Alias: "exited"},
			{X: ratio(col("c", "stayed"), col("c", "before")), Alias: "retained"},
			{X: sqltree.Cast{X: col("m", "median"), Type: sqltree.Number}, Alias: "median_periods_in"},
			{X: ratioIf(len(sg.Measured) > 0, col("c", "measured"), col("c", "members")), Alias: "measured"},
			{X: ratioIf(len(sg.Contact) > 0, col("c", "contactable"), col("c", "members")), Alias: "contactable"},
			{X: tooSmall(members, sg.Decl.MinSize), Alias: "too_small"},
		},
		From: sqltree.Table{Path: []string{spineCTE}, Alias: seriesAlias},
		Joins: []sqltree.Join{
			{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{counts}, Alias: "c"}, On: eq(col("c", framePeriod), col(seriesAlias, spinePeriod))},
			{Kind: "LEFT JOIN", Right: sqltree.Table{Path: []string{medians}, Alias: "m"}, On: eq(col("m", framePeriod), col(seriesAlias, spinePeriod))},
		},
	}
	q.Columns = append(q.Columns, sp.consistency(sg, q)...)
	p.define(out, p.viewName(out.Name), sp.query(q), historyChoice)
	out.DependsOn = sortedKeys(sp.deps)
	return out
}

// consistency is the fingerprint and definition_changed columns of a
// segment's quality; for a history read from snapshots it keeps q to the
// periods recorded, whose fingerprints it reads.
func (sp *seriesPlan) consistency(sg *check.Segment, q *sqltree.Select) []sqltree.SelectItem {
	if !sg.FromSnapshots {
		return []sqltree.SelectItem{
			{X: sqltree.Cast{X: sqltree.Keyword{Word: "NULL"}, Type: sqltree.String}, Alias: "fingerprint"},
			{X: sqltree.Cast{X: sqltree.Keyword{Word: "NULL"}, Type: sqltree.Boolean}, Alias: "definition_changed"},
		}
	}
	q.Joins = append(q.Joins, sqltree.Join{Kind: "JOIN", Right: sqltree.Table{Path: []string{sp.recordedPeriods(sg)}, Alias: "r"},
		On: eq(col("r", framePeriod), col(seriesAlias, spinePeriod))})
	fingerprint := col("r", recordedFingerprint)
	before := sqltree.Window{Call: sqltree.Call{Name: "LAG", Args: []sqltree.Expr{fingerprint}}, OrderBy: []sqltree.OrderItem{{X: col(seriesAlias, spinePeriod)}}}
	return []sqltree.SelectItem{
		{X: fingerprint, Alias: "fingerprint"},
		{X: sqltree.Binary{Op: "<>", Left: fingerprint, Right: before}, Alias: "definition_changed"},
	}
}

// planAllQuality plans segment_quality: the quality views of every
// segment with a history, one after the other.
func (p *planner) planAllQuality(segments []*check.Segment) *Output {
	out := &Output{Name: check.AllQualityView, Kind: KindHistory, DeclRange: segments[0].HistoryRange,
		Description: "The quality of every segment with a history, period by period (segment_<name>_quality, one after the other)."}
	out.Columns = append([]OutputColumn{
		{Name: segmentCol, Type: models.TypeString, Description: "The segment."},
		{Name: spinePeriod, Type: models.TypeDate, Description: "First day of the period, at the segment's history grain; membership is as it was on its last day (as_of for the current one)."},
	}, qualityColumns...)
	var q *sqltree.Select
	for _, sg := range segments {
		sel := &sqltree.Select{From: sqltree.Table{Path: p.viewName(check.QualityView(sg))}}
		for _, c := range out.Columns {
			sel.Columns = append(sel.Columns, sqltree.SelectItem{X: sqltree.Column{Name: c.Name}})
		}
		if q == nil {
			q = sel
			q.UnionAll = true // rows differ by segment
		} else {
			q.Union = append(q.Union, sel)
		}
		out.DependsOn = append(out.DependsOn, check.QualityView(sg))
	}
	p.define(out, p.viewName(out.Name), q, historyChoice)
	return out
}

// allPresent is 1 when every column named has a value, else 0; 0 when
// none is named (the measure is NULL then).
func allPresent(names []string) sqltree.Expr {
	var cond sqltree.Expr
	for _, name := range names {
		cond = and(cond, sqltree.IsNull{X: sqltree.Column{Name: name}, Negate: true})
	}
	if cond == nil {
		return sqltree.Num("0")
	}
	return sqltree.Case{Whens: []sqltree.When{{Cond: cond, Then: sqltree.Num("1")}}, Else: sqltree.Num("0")}
}

func columnNames(cols []*models.Column) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return names
}

func sum(x sqltree.Expr) sqltree.Expr { return sqltree.Call{Name: "SUM", Args: []sqltree.Expr{x}} }

// ratio is a over b as a number; NULL when b is 0 or NULL.
func ratio(a, b sqltree.Expr) sqltree.Expr {
	return sqltree.Binary{Op: "/", Left: sqltree.Cast{X: a, Type: sqltree.Number},
		Right: sqltree.Call{Name: "NULLIF", Args: []sqltree.Expr{b, sqltree.Num("0")}}}
}

// ratioIf is ratio(a, b) when the measure applies, else a NULL number.
func ratioIf(applies bool, a, b sqltree.Expr) sqltree.Expr {
	if !applies {
		return sqltree.Cast{X: sqltree.Keyword{Word: "NULL"}, Type: sqltree.Number}
	}
	return ratio(a, b)
}

// tooSmall says whether members is below min; a NULL boolean without one.
func tooSmall(members sqltree.Expr, min int) sqltree.Expr {
	if min == 0 {
		return sqltree.Cast{X: sqltree.Keyword{Word: "NULL"}, Type: sqltree.Boolean}
	}
	return sqltree.Binary{Op: "<", Left: members, Right: sqltree.Num(strconv.Itoa(min))}
}
