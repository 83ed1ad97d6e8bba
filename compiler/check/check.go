package check

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/models"
)

// Options are the settings of one compilation.
type Options struct {
	// AsOf pins the date that relative time (windows, days_since) counts
	// from. The zero time means the warehouse's CURRENT_DATE, so the views
	// stay live.
	AsOf time.Time
}

// Check resolves and type-checks a decoded project. It returns the checked
// model only when there are no errors, and every problem it found.
func Check(p *models.Project, opts Options) (*Model, hcl.Diagnostics) {
	c := &checker{
		project: p,
		model: &Model{Project: p, AsOf: opts.AsOf,
			relations: map[string]*Relation{}, entities: map[string]*Entity{},
			metrics: make(map[string]*Metric, len(p.Metrics)), segments: make(map[string]*Segment, len(p.Segments))},
		seriesDone: map[*Metric]bool{},
	}
	c.checkProject()
	c.checkRelations()
	c.checkEntities()
	c.checkSQLModels()
	c.checkDefinitions()
	c.checkSeries()
	c.checkCohorts()
	c.checkViewNames()
	c.checkAssertions()
	c.checkOverlap()
	c.checkHistoryColumns()
	c.checkQuality()
	c.warnAttributesWithoutHistory()
	if c.diags.HasErrors() {
		return nil, c.diags
	}
	c.model.Features = c.features
	return c.model, c.diags
}

// checker resolves a project's references and checks its declarations.
type checker struct {
	project *models.Project
	model   *Model
	diags   hcl.Diagnostics

	features []Feature

	// seriesDone marks the metrics translated over period totals.
	seriesDone map[*Metric]bool

	// depth is how deeply translate is nested; depthReported stops a too
	// deep expression from being reported once per level.
	depth         int
	depthReported bool
}

func (c *checker) errorf(rng hcl.Range, summary, format string, args ...any) {
	r := rng
	c.diags = append(c.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  &r,
	})
}

// need records that an expression uses a dialect's portable function at
// rng and returns its name.
func (c *checker) need(function string, rng hcl.Range) string {
	c.features = append(c.features, Feature{Function: function, Range: rng})
	return function
}

// declared is one name of a namespace, for duplicate checks.
type declared struct {
	name string
	rng  hcl.Range
}

// checkUnique reports names declared twice in one namespace. It returns
// the later declarations, which the caller skips; the first of each name
// stays, so references to it still resolve. Names that differ only in
// case are two names here; a dialect that makes them one reports them
// when the plan is checked against it (compiler.CheckDialect).
func (c *checker) checkUnique(kind string, names []declared) map[hcl.Range]bool {
	// Sized up front: on a project of 100,000 definitions growing the map
	// was most of this function's time.
	first := make(map[string]int, len(names))
	later := map[hcl.Range]bool{}
	for i, n := range names {
		j, taken := first[n.name]
		if !taken {
			first[n.name] = i
			continue
		}
		later[n.rng] = true
		c.errorf(n.rng, "Duplicate "+kind,
			"A %s named %q is already declared at %s. Rename one of them.", kind, n.name, diag.At(names[j].rng))
	}
	return later
}

func quote(s string) string { return `"` + s + `"` }
