package compiler

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/models"
)

// TestCase is a test block checked against the plan: the rows to load,
// and what to read back and compare.
type TestCase struct {
	Decl  *models.Test
	AsOf  time.Time
	Given []*TestGiven
	// Checks are the expect blocks, in the order written.
	Checks []*TestCheck
}

// TestGiven is one source's rows in a test: Rows hold a literal per
// declared column of Source (null where the row names none), or File
// names a file to load as the source's seed.
type TestGiven struct {
	Source *models.Source
	Rows   [][]models.Literal
	File   string
	Decl   *models.Given
}

// TestCheck is one expect block: the rows of View on Columns must be
// Want, exactly; or, when KeysOnly, the rows whose first column is one
// of Want's first cells (a metric's values for some entities).
type TestCheck struct {
	What     string // "segment at_risk", "metric mrr", "view metric_mrr"
	View     string
	Columns  []string
	Types    []models.Type
	Want     [][]models.Literal
	KeysOnly bool
	Decl     *models.TestExpectation
}

// Tests checks the project's test blocks against the plan and resolves
// them; every problem is a diagnostic with the range it is about.
func Tests(plan *Plan) ([]*TestCase, hcl.Diagnostics) {
	if len(plan.Project.Tests) == 0 {
		return nil, nil // every Load asks: a project without tests pays nothing
	}
	t := testChecker{plan: plan, outputs: map[string]*Output{}}
	for _, o := range plan.Outputs {
		t.outputs[o.Name] = o
	}
	seen := map[string]hcl.Range{}
	var cases []*TestCase
	for _, decl := range plan.Project.Tests {
		if first, dup := seen[decl.Name]; dup {
			t.errorf(decl.DeclRange, "Duplicate test", "Test %q is declared twice; the first is at %s:%d:%d. Rename one.", decl.Name, first.Filename, first.Start.Line, first.Start.Column)
			continue
		}
		seen[decl.Name] = decl.DeclRange
		if tc := t.test(decl); tc != nil {
			cases = append(cases, tc)
		}
	}
	return cases, t.diags
}

type testChecker struct {
	plan    *Plan
	outputs map[string]*Output
	diags   hcl.Diagnostics
}

func (t *testChecker) errorf(rng hcl.Range, summary, format string, args ...any) {
	r := rng
	t.diags = append(t.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: &r})
}

func (t *testChecker) test(decl *models.Test) *TestCase {
	before := len(t.diags)
	tc := &TestCase{Decl: decl}
	if decl.AsOf != "" {
		day, err := ParseAsOf(decl.AsOf)
		if err != nil {
			t.errorf(decl.AsOfRange, "Invalid as_of", "The as_of of test %q: %v.", decl.Name, err)
		}
		tc.AsOf = day
	}
	given := map[*models.Source]bool{}
	for _, g := range decl.Given {
		if tg := t.given(g); tg != nil {
			if given[tg.Source] {
				t.errorf(g.Source.Range, "Source given twice", "Test %q gives the rows of %s twice; put them in one given block.", decl.Name, g.Source.String())
				continue
			}
			given[tg.Source] = true
			tc.Given = append(tc.Given, tg)
		}
	}
	for _, x := range decl.Expect {
		if c := t.check(x); c != nil {
			tc.Checks = append(tc.Checks, c)
		}
	}
	if len(t.diags) > before {
		return nil
	}
	return tc
}

func (t *testChecker) given(g *models.Given) *TestGiven {
	if g.Source.IsZero() {
		return nil // reported when decoded
	}
	r := t.plan.Model.Relation(g.Source.String())
	if r == nil || r.Decl.Kind != models.KindSource {
		var names []string
		for _, s := range t.plan.Project.Sources {
			if s.Kind == models.KindSource {
				names = append(names, s.Name)
			}
		}
		hint := ""
		if t.plan.Model.Relation("model."+g.Source.Name) != nil {
			hint = " A model's rows come from its SQL: give the rows of the sources it reads."
		}
		t.errorf(g.Source.Range, "Unknown source", "No source named %q is declared.%s%s", g.Source.Name, hint, diag.DidYouMean(g.Source.Name, names))
		return nil
	}
	s := r.Decl
	tg := &TestGiven{Source: s, File: g.File, Decl: g}
	index := map[string]int{}
	var names []string
	for i, c := range s.Columns {
		index[c.Name] = i
		names = append(names, c.Name)
	}
	for _, row := range g.Rows {
		values := make([]models.Literal, len(s.Columns))
		named := map[string]bool{}
		for _, cell := range row.Cells {
			i, ok := index[cell.Column.Name]
			if !ok {
				t.errorf(cell.Column.Range, "Unknown column",
					"Source %q has no column %q.%s Its columns: %s.", s.Name, cell.Column.Name, diag.DidYouMean(cell.Column.Name, names), strings.Join(names, ", "))
				continue
			}
			if named[cell.Column.Name] {
				t.errorf(cell.Column.Range, "Column given twice", "This row gives column %q twice; keep one.", cell.Column.Name)
				continue
			}
			named[cell.Column.Name] = true
			t.literalOf(cell.Value, s.Columns[i].Type, fmt.Sprintf("column %q of source %q", cell.Column.Name, s.Name))
			values[i] = cell.Value
		}
		tg.Rows = append(tg.Rows, values)
	}
	return tg
}

// literalOf reports a literal that cannot be a value of type typ.
func (t *testChecker) literalOf(l models.Literal, typ models.Type, what string) {
	if ok, example := check.LiteralFits(l, typ); !ok {
		t.errorf(l.Range, "Wrong type", "%s is %s; write a value such as %s, or null.", capitalize(what), typ.WithArticle(), example)
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (t *testChecker) check(x *models.TestExpectation) *TestCheck {
	switch {
	case x.View != "" || !x.Cohort.IsZero():
		return t.viewCheck(x)
	case !x.Segment.IsZero():
		return t.segmentCheck(x)
	case !x.Metric.IsZero():
		return t.metricCheck(x)
	}
	return nil // reported when decoded
}

func (t *testChecker) viewCheck(x *models.TestExpectation) *TestCheck {
	name, rng := x.View, x.ViewRange
	if !x.Cohort.IsZero() {
		var co *check.Cohort
		var names []string
		for _, c := range t.plan.Model.Cohorts {
			names = append(names, c.Decl.Name)
			if c.Decl.Name == x.Cohort.Name {
				co = c
			}
		}
		if co == nil {
			t.errorf(x.Cohort.Range, "Unknown cohort", "No cohort named %q is declared.%s", x.Cohort.Name, diag.DidYouMean(x.Cohort.Name, names))
			return nil
		}
		name, rng = check.CohortView(co), x.Cohort.Range
	}
	out := t.outputs[name]
	if out == nil {
		var names []string
		for _, o := range t.plan.Outputs {
			names = append(names, o.Name)
		}
		t.errorf(rng, "Unknown view", "The project builds no view named %q.%s", name, diag.DidYouMean(name, names))
		return nil
	}
	c := &TestCheck{What: "view " + name, View: name, Decl: x}
	if len(x.Rows) == 0 {
		return c // no rows: the view must be empty; no columns to compare
	}
	for _, row := range x.Rows {
		if len(row.Cells) == 0 {
			t.errorf(row.Range, "Empty row", "An expected row of %s names the columns it compares, such as { period = \"2025-06-01\", value = 10 }; this one names none.", name)
			return nil
		}
	}
	for _, cell := range x.Rows[0].Cells {
		c.Columns = append(c.Columns, cell.Column.Name)
	}
	for _, row := range x.Rows {
		want := make([]models.Literal, len(c.Columns))
		if len(row.Cells) != len(c.Columns) {
			t.errorf(row.Range, "Rows name different columns",
				"Every expected row of %s names the same columns (%s, as the first row does), so that each row is compared whole.", name, strings.Join(c.Columns, ", "))
			continue
		}
		for _, cell := range row.Cells {
			i := indexOf(c.Columns, cell.Column.Name)
			col := outputColumn(out, cell.Column.Name)
			switch {
			case col == nil:
				var names []string
				for _, oc := range out.Columns {
					names = append(names, oc.Name)
				}
				t.errorf(cell.Column.Range, "Unknown column",
					"View %s has no column %q.%s Its columns: %s.", name, cell.Column.Name, diag.DidYouMean(cell.Column.Name, names), strings.Join(names, ", "))
				continue
			case i < 0:
				t.errorf(row.Range, "Rows name different columns",
					"Every expected row of %s names the same columns (%s, as the first row does), so that each row is compared whole.", name, strings.Join(c.Columns, ", "))
				continue
			}
			t.literalOf(cell.Value, col.Type, fmt.Sprintf("column %q of view %s", cell.Column.Name, name))
			want[i] = cell.Value
		}
		c.Want = append(c.Want, want)
	}
	for _, colName := range c.Columns {
		if col := outputColumn(out, colName); col != nil {
			c.Types = append(c.Types, col.Type)
		}
	}
	return c
}

func (t *testChecker) segmentCheck(x *models.TestExpectation) *TestCheck {
	sg := t.plan.Model.Segment(x.Segment.Name)
	if sg == nil {
		t.errorf(x.Segment.Range, "Unknown segment", "No segment named %q is declared.%s", x.Segment.Name, diag.DidYouMean(x.Segment.Name, t.segmentNames()))
		return nil
	}
	key := sg.Entity.Key
	c := &TestCheck{What: "segment " + sg.Decl.Name, View: check.SegmentView(sg), Columns: []string{key.Name}, Types: []models.Type{key.Type}, Decl: x}
	for _, m := range x.Members {
		t.literalOf(m, key.Type, fmt.Sprintf("a member of segment %q, a value of %s", sg.Decl.Name, key.Name))
		c.Want = append(c.Want, []models.Literal{m})
	}
	return c
}

func (t *testChecker) segmentNames() []string {
	var names []string
	for _, s := range t.plan.Project.Segments {
		names = append(names, s.Name)
	}
	return names
}

func (t *testChecker) metricCheck(x *models.TestExpectation) *TestCheck {
	m := t.plan.Model.Metric(x.Metric.Name)
	if m == nil {
		var names []string
		for _, d := range t.plan.Project.Metrics {
			names = append(names, d.Name)
		}
		t.errorf(x.Metric.Range, "Unknown metric", "No metric named %q is declared.%s", x.Metric.Name, diag.DidYouMean(x.Metric.Name, names))
		return nil
	}
	profile := t.outputs[check.ProfileView(m.Entity)]
	if profile == nil || outputColumn(profile, m.Decl.Name) == nil {
		t.errorf(x.Metric.Range, "Metric without values per entity",
			"Metric %q has no value per %s in the profile (it exists only over time, as its views metric_%s...). Check one of its views instead: view = \"%s\" with rows.",
			m.Decl.Name, m.Entity.Decl.Name, m.Decl.Name, check.SeriesView(m))
		return nil
	}
	key := m.Entity.Key
	c := &TestCheck{What: "metric " + m.Decl.Name, View: profile.Name, Columns: []string{key.Name, m.Decl.Name},
		Types: []models.Type{key.Type, outputColumn(profile, m.Decl.Name).Type}, KeysOnly: true, Decl: x}
	for _, v := range x.Values {
		k := models.Literal{Kind: models.LiteralString, Text: v.Column.Name, Range: v.Column.Range}
		if key.Type == models.TypeInteger || key.Type == models.TypeNumber {
			k.Kind = models.LiteralNumber
		}
		t.literalOf(k, key.Type, fmt.Sprintf("the key %q, a value of %s", v.Column.Name, key.Name))
		t.literalOf(v.Value, c.Types[1], fmt.Sprintf("metric %q", m.Decl.Name))
		c.Want = append(c.Want, []models.Literal{k, v.Value})
	}
	return c
}

func outputColumn(o *Output, name string) *OutputColumn {
	for i := range o.Columns {
		if o.Columns[i].Name == name {
			return &o.Columns[i]
		}
	}
	return nil
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}
