package compiler

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/compiler/decode"
	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/compiler/views"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// The types the stages hand on, named here for the callers of the
// pipeline.
type (
	// File is one HCL file of a project: its name as diagnostics show it,
	// and its bytes.
	File = decode.File
	// Parsed is the decoded project, with the HCL files for source snippets.
	Parsed = decode.Parsed
	// Options are the settings of one compilation.
	Options = check.Options
	// Plan is a checked project planned as one view per output.
	Plan = views.Plan
	// Output is one view Strata creates.
	Output = views.Output
	// OutputColumn is a column of an output view.
	OutputColumn = views.OutputColumn
	// DataCheck is a rule about the data that the build runs.
	DataCheck = views.DataCheck
	// AssertionQuery is an assert block as SQL.
	AssertionQuery = views.AssertionQuery
)

// Output kinds.
const (
	KindModel     = views.KindModel
	KindProfile   = views.KindProfile
	KindSegment   = views.KindSegment
	KindMetric    = views.KindMetric
	KindMovements = views.KindMovements
	KindCohort    = views.KindCohort
	KindHistory   = views.KindHistory
	KindOverlap   = views.KindOverlap
)

// Load decodes, checks and plans a project, reporting every problem of
// every stage at once. The plan is nil when there is any error.
func Load(files []File, opts Options) (*Parsed, *Plan, hcl.Diagnostics) {
	parsed, diags := decode.Files(files)
	if !parsed.SyntaxOK {
		return parsed, nil, diag.Sort(diags)
	}
	model, checkDiags := check.Check(parsed.Project, opts)
	diags = append(diags, checkDiags...)
	if diags.HasErrors() {
		return parsed, nil, diag.Sort(append(diags, parsed.TestDiags...))
	}
	// The test blocks are checked against the plan, with the problems
	// their decoding found: all at once.
	plan := views.New(model)
	_, testDiags := Tests(plan)
	diags = diag.Sort(append(append(append(diags, parsed.TestDiags...), testDiags...), checkAssertionViews(plan)...))
	if diags.HasErrors() {
		return parsed, nil, diags
	}
	return parsed, plan, diags
}

// SortDiagnostics orders diagnostics by position and drops repeats.
func SortDiagnostics(diags hcl.Diagnostics) hcl.Diagnostics { return diag.Sort(diags) }

// WriteDiagnostics prints diagnostics with their source snippets.
var WriteDiagnostics = diag.Write

// LiteralSQL is a value written in HCL as a SQL literal.
func LiteralSQL(l models.Literal) sqltree.Expr { return views.LiteralSQL(l) }

// SQLType is the SQL type of a declared column or metric type.
func SQLType(t models.Type) sqltree.Type { return views.SQLType(t) }

// The dates as_of may be: every date Strata computes from it (a window's
// start, a spine's first period) then stays within what every warehouse
// represents, and well before the far-future end (9999-12-31) that open
// intervals are compared with.
var (
	MinAsOf = time.Date(1900, time.January, 1, 0, 0, 0, 0, time.UTC)
	MaxAsOf = time.Date(2999, time.December, 31, 0, 0, 0, 0, time.UTC)
)

// ParseAsOf reads an as_of date written YYYY-MM-DD and checks its range:
// the one place a date enters as text.
func ParseAsOf(s string) (time.Time, error) {
	day, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date; write it as YYYY-MM-DD", s)
	}
	if day.Before(MinAsOf) || day.After(MaxAsOf) {
		return time.Time{}, fmt.Errorf("%s is outside the dates Strata evaluates on, %s to %s", s, MinAsOf.Format(time.DateOnly), MaxAsOf.Format(time.DateOnly))
	}
	return day, nil
}

// MustAsOf is ParseAsOf for dates written in code and tests.
func MustAsOf(s string) time.Time {
	day, err := ParseAsOf(s)
	if err != nil {
		panic(err)
	}
	return day
}
