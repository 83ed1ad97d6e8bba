package compiler

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/internal/parallel"
	"github.com/strata-analytics/strata/sqltree"
)

// Compiled is a plan rendered for one dialect.
type Compiled struct {
	Dialect string
	// Place is the path of the schema the views are in, when a target
	// moved them from the project's schema; nil otherwise.
	Place []string
	// Schema creates the project's schema; it runs before the views.
	Schema string
	// Tables create the tables Strata keeps that views read, if they are
	// missing (Plan.Tables); they run after Schema, before the views.
	Tables []string
	// Views are in dependency order.
	Views []View
	// Checks run after the views; each query counts violations.
	Checks []RenderedCheck
	// Assertions are the project's assert blocks, in declaration order.
	Assertions []RenderedAssertion
}

// RenderedAssertion is an assertion's SQL: Count counts the rows that
// break it and Examples lists the first few, ordered; or, for row bounds
// and freshness, Value selects the one value compared.
type RenderedAssertion struct {
	Query    *AssertionQuery
	Count    string
	Examples string
	Value    string
}

// AssertionExamples is how many failing rows an assertion report shows.
const AssertionExamples = 5

// RenderedCheck is a data check with its SQL.
type RenderedCheck struct {
	Check *DataCheck
	SQL   string
}

// View is one output with its SQL: Statements one by one, for drivers
// that run one at a time, and SQL, all of them as one text.
type View struct {
	Output     *Output
	SQL        string
	Statements []string
}

// Render renders a plan for a dialect. What the dialect cannot express (a
// function it lacks, an identifier longer than it allows) is reported
// against the source range that asked for it.
func Render(plan *Plan, d dialects.Dialect) (*Compiled, hcl.Diagnostics) {
	return RenderAt(plan, d, nil)
}

// RenderAt is Render for a target that puts the views elsewhere than the
// project's schema: in the schema whose path is place (a target's
// Placement), such as ["my-project", "analytics"] in BigQuery. nil keeps
// the project's schema.
func RenderAt(plan *Plan, d dialects.Dialect, place []string) (*Compiled, hcl.Diagnostics) {
	// The dialect is checked while the views render, on a core of its
	// own: the check seldom finds anything, and when it does, its
	// diagnostics replace whatever was rendered.
	checked := make(chan hcl.Diagnostics, 1)
	go func() { checked <- CheckDialect(plan, d) }()
	out, err := render(plan, d, place)
	if diags := <-checked; diags.HasErrors() {
		return nil, diags
	}
	if err != nil {
		return nil, internalError(err)
	}
	return out, nil
}

// render prints a plan that CheckDialect accepts for d.
func render(plan *Plan, d dialects.Dialect, place []string) (*Compiled, error) {
	out := &Compiled{Dialect: d.Name(), Place: place}
	moved := sqltree.Placement{From: plan.Project.Schema, To: place}
	var err error
	if out.Schema, _, err = sqltree.RenderStatementsAt(&sqltree.CreateSchema{Path: []string{plan.Project.Schema}}, d, moved); err != nil {
		return nil, err
	}
	for _, t := range plan.Tables {
		sql, _, err := sqltree.RenderStatementsAt(t, d, moved)
		if err != nil {
			return nil, err
		}
		out.Tables = append(out.Tables, sql)
	}
	// Views render independently, in parallel, each into its own slot,
	// each goroutine with a renderer of its own that learns the project's
	// names once and keeps its buffer from view to view.
	out.Views = make([]View, len(plan.Outputs))
	errs := make([]error, len(plan.Outputs))
	newRenderer := func() *sqltree.Renderer { return sqltree.NewRenderer(d, moved) }
	parallel.DoWith(len(plan.Outputs), newRenderer, func(r *sqltree.Renderer, i int) {
		o := plan.Outputs[i]
		view := o.View
		if q, ok := o.DialectQueries[d.Name()]; ok {
			own := *o.View
			own.Query = q
			view = &own
		}
		out.Views[i].Output = o
		out.Views[i].SQL, out.Views[i].Statements, errs[i] = r.Statements(view)
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, ch := range plan.Checks {
		sql, err := sqltree.RenderQuery(ch.Query, d)
		if err != nil {
			return nil, err
		}
		out.Checks = append(out.Checks, RenderedCheck{Check: ch, SQL: sql})
	}
	for _, q := range plan.Assertions {
		ra, err := renderAssertion(q, d, moved)
		if err != nil {
			return nil, err
		}
		out.Assertions = append(out.Assertions, ra)
	}
	return out, nil
}

func renderAssertion(q *AssertionQuery, d dialects.Dialect, moved sqltree.Placement) (RenderedAssertion, error) {
	ra := RenderedAssertion{Query: q}
	var err error
	if q.Value != nil {
		ra.Value, err = sqltree.RenderQueryAt(q.Value, d, moved)
		return ra, err
	}
	failing := sqltree.Derived{Query: q.Failing, Alias: "f"}
	count := &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "COUNT", Star: true}, Alias: "failing"}}, From: failing}
	if ra.Count, err = sqltree.RenderQueryAt(count, d, moved); err != nil {
		return ra, err
	}
	examples := &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Star{}}}, From: failing, Limit: AssertionExamples}
	for _, c := range q.Assertion.Shown {
		examples.OrderBy = append(examples.OrderBy, sqltree.OrderItem{X: sqltree.Column{Table: "f", Name: c}})
	}
	ra.Examples, err = sqltree.RenderQueryAt(examples, d, moved)
	return ra, err
}

// CheckDialect reports what Render would: what the dialect cannot express,
// against the source range that asked for it. It prints no SQL, so
// validate can check every dialect a project targets for a fraction of
// the cost of rendering them.
func CheckDialect(plan *Plan, d dialects.Dialect) hcl.Diagnostics {
	var diags hcl.Diagnostics
	reported := map[string]bool{}
	for _, f := range plan.Features {
		if _, ok := d.Function(f.Function); ok {
			continue
		}
		key := f.Function + f.Range.String()
		if reported[key] {
			continue
		}
		reported[key] = true
		rng := f.Range
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Not supported by " + d.Name(),
			Detail: fmt.Sprintf("The %s dialect cannot express %s. Use another function here, or a raw SQL model with a dialect %q block.",
				d.Name(), featureName(f.Function), d.Name()),
			Subject: &rng,
		})
	}
	diags = append(diags, checkIdentifiers(plan, d)...)
	sort.SliceStable(diags, func(i, j int) bool { return diag.RangeLess(diags[i].Subject, diags[j].Subject) })
	return diags
}

// featureName says which language feature a portable function serves.
func featureName(function string) string {
	names := map[string]string{
		"approx_count_distinct": "approx_count_distinct()",
		"median":                "median()",
		"first_by":              "first()",
		"last_by":               "last()",
		"regex_match":           "matches()",
		"contains_text":         "strcontains()",
		"starts_with":           "startswith()",
		"ends_with":             "endswith()",
		"days_between":          "day differences (days_since, days_between)",
		"add_days":              "date arithmetic (windows, as_of)",
		"add_months":            "month windows and periods",
		"trunc_week":            "weekly periods (grain = week)",
		"trunc_month":           "monthly periods (grain = month)",
		"trunc_quarter":         "quarterly periods (grain = quarter)",
		"trunc_year":            "yearly periods (grain = year)",
		"mod":                   "the remainder (%)",
	}
	if n, ok := names[function]; ok {
		return n
	}
	return function + "()"
}

func internalError(err error) hcl.Diagnostics {
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Internal error",
		Detail:   fmt.Sprintf("compiler: %v. This is a bug in Strata; please report it with the project that caused it.", err),
	}}
}
