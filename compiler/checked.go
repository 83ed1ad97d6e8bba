package compiler

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// The checked stage: declarations with their references resolved and their
// expressions translated into typed SQL. These types stay inside the
// package; Plan is what leaves it.

type relation struct {
	decl      *models.Source
	path      []string // where the rows live in the warehouse
	entity    *entity  // the entity the rows belong to, or nil
	entityKey string   // the column holding the entity's key
	time      *models.Column
}

func (r *relation) ref() string { return string(r.decl.Kind) + "." + r.decl.Name }

type entity struct {
	decl       *models.Entity
	rel        *relation
	key        *models.Column
	attributes []*models.Column // the base source's columns but the key
	metrics    []*metric
	segments   []*segment
}

// column returns the attribute or key column called name.
func (e *entity) column(name string) *models.Column {
	if e.rel == nil {
		return nil
	}
	return e.rel.decl.Column(name)
}

type metric struct {
	decl   *models.Metric
	entity *entity
	rel    *relation // nil for a derived metric
	typ    models.Type
	// value is an aggregate over the rows of rel (columns qualified by
	// rowAlias) or, for a derived metric, an expression over profile columns.
	value sqltree.Expr
	// filters are the row conditions of an aggregate metric: where, window,
	// validity on as_of.
	filters       []sqltree.Expr
	zeroWhenEmpty bool
	used          []string // profile columns a derived metric reads
	level         int      // the profile layer that computes it; 0 for aggregates
	ok            bool     // false when the metric had errors
	// periodic is true for a derived metric that reads movements or
	// trailing averages: it exists only as a time series.
	periodic bool
	index    int // position in declaration order
}

type segment struct {
	decl   *models.Segment
	entity *entity
	typ    models.Type // boolean, or string for tiers
	rule   sqltree.Expr
	used   []string // profile columns the rule reads, in order of first use
	level  int
	ok     bool
	index  int // position in declaration order
}

// rowAlias qualifies the columns of a metric's source rows.
const rowAlias = "s"

// featureUse records a portable function the plan needs, so Render can
// tell a dialect that lacks it which source range asked for it.
type featureUse struct {
	function string
	rng      hcl.Range
}
