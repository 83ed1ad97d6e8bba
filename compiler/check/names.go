package check

import (
	"strings"

	"github.com/strata-analytics/strata/models"
)

// The views a checked model gives, by name. The planners name their views
// with these functions, and the checker reports two views of one name.

// ProfileView is <entity>_profile.
func ProfileView(e *Entity) string { return e.Decl.Name + "_profile" }

// SegmentView is segment_<name>.
func SegmentView(s *Segment) string { return "segment_" + s.Decl.Name }

// OverlapView is <entity>_segment_overlap: every pair of the entity's
// segments and how many entities are in both.
func OverlapView(e *Entity) string { return e.Decl.Name + "_segment_overlap" }

// SegmentHistoryView is segment_<name>_history: the members in each
// period.
func SegmentHistoryView(s *Segment) string { return "segment_" + s.Decl.Name + "_history" }

// SegmentChangesView is segment_<name>_changes: who entered, left or
// moved tier, period by period.
func SegmentChangesView(s *Segment) string { return "segment_" + s.Decl.Name + "_changes" }

// QualityView is segment_<name>_quality: the segment's quality measures,
// period by period.
func QualityView(s *Segment) string { return "segment_" + s.Decl.Name + "_quality" }

// AllQualityView is segment_quality: every segment's quality measures.
const AllQualityView = "segment_quality"

// LedgerView is <metric>_movements_summary_by_<segment>: the movements
// of a balance metric per period and segment label.
func LedgerView(m *Metric, s *Segment) string { return MovementsSummaryView(m) + "_by_" + s.Decl.Name }

// SeriesView is metric_<name>.
func SeriesView(m *Metric) string { return "metric_" + m.Decl.Name }

// BreakdownView is metric_<name>_by_<segment>.
func BreakdownView(m *Metric, s *Segment) string {
	return "metric_" + m.Decl.Name + "_by_" + s.Decl.Name
}

// ColumnBreakdownView is metric_<name>_by_<column>.
func ColumnBreakdownView(m *Metric, b ColumnBreakdown) string {
	return "metric_" + m.Decl.Name + "_by_" + b.Column.Name
}

// CombinationView is metric_<name>_by_<a>_and_<b>, for a breakdown by
// dimensions a and b at once.
func CombinationView(m *Metric, c Combination) string {
	names := make([]string, len(c.Dimensions))
	for i, d := range c.Dimensions {
		names[i] = d.Name()
	}
	return "metric_" + m.Decl.Name + "_by_" + strings.Join(names, "_and_")
}

// MovementsView is <metric>_movements.
func MovementsView(m *Metric) string { return m.Decl.Name + "_movements" }

// MovementsSummaryView is <metric>_movements_summary.
func MovementsSummaryView(m *Metric) string { return m.Decl.Name + "_movements_summary" }

// CohortView is cohort_<name>.
func CohortView(co *Cohort) string { return "cohort_" + co.Decl.Name }

// CohortColumns are the columns of a cohort's view, in order.
func CohortColumns(co *Cohort) []string {
	cols := []string{"cohort"}
	if co.Split != nil {
		cols = append(cols, "segment")
	}
	cols = append(cols, "period", "complete", "cohort_size", "active", "retention")
	for _, m := range co.Measures {
		cols = append(cols, m.Decl.Name, m.Decl.Name+"_retention")
	}
	return cols
}

// checkViewNames reports two views of one name.
func (c *checker) checkViewNames() {
	var names []declared
	for _, v := range c.model.views() {
		names = append(names, v.declared)
	}
	c.checkUnique("view", names)
}

// ViewOwners gives each view the definition it comes from ("segment.x",
// "metric.mrr", "entity.customer", "model.m", "source.s", "cohort.c"),
// for lineage; a view of every segment at once has none.
func (m *Model) ViewOwners() map[string]string {
	owners := map[string]string{}
	for _, v := range m.views() {
		if v.owner != "" {
			owners[v.name] = v.owner
		}
	}
	return owners
}

// ownedView is a view's name, where it is asked for, and the definition
// it comes from.
type ownedView struct {
	declared
	owner string
}

// views lists every view in the order the views are planned: raw SQL
// models, each entity's profile and segments, then the views over time.
func (m *Model) views() []ownedView {
	var names []ownedView
	add := func(owner string, ds ...declared) {
		for _, d := range ds {
			names = append(names, ownedView{d, owner})
		}
	}
	qualityNamed := false // segment_quality, at the first history
	for _, r := range m.SQLModels {
		add(r.Ref(), declared{r.Decl.Name, r.Decl.DeclRange})
	}
	for _, r := range m.Relations {
		if r.Through != nil {
			add(r.Ref(), declared{r.Path[len(r.Path)-1], r.Decl.Through.Range})
		}
	}
	for _, ent := range m.Entities {
		if len(ent.KeysFrom) > 0 {
			add("entity."+ent.Decl.Name, declared{ent.Rel.Decl.Name, ent.Decl.KeysFromRange})
		}
	}
	for _, ent := range m.Entities {
		add("entity."+ent.Decl.Name, declared{ProfileView(ent), ent.Decl.DeclRange})
		for _, sg := range ent.Segments {
			add("segment."+sg.Decl.Name, declared{SegmentView(sg), sg.Decl.DeclRange})
		}
	}
	for _, mt := range m.Metrics {
		owner := "metric." + mt.Decl.Name
		if mt.Entity == nil || mt.Undated() && mt.Decl.Grain != nil {
			continue
		}
		if mt.HasSeries() || mt.AsOfOnly {
			add(owner, declared{SeriesView(mt), mt.Decl.DeclRange})
		}
		for i, sg := range mt.By {
			add(owner, declared{BreakdownView(mt, sg), mt.ByRanges[i]})
		}
		for _, b := range mt.ByColumns {
			add(owner, declared{ColumnBreakdownView(mt, b), b.Range})
		}
		for _, cb := range mt.ByCombinations {
			add(owner, declared{CombinationView(mt, cb), cb.Range})
		}
		if mt.Decl.Movements && mt.IsBalance() {
			add(owner, declared{MovementsView(mt), mt.Decl.DeclRange}, declared{MovementsSummaryView(mt), mt.Decl.DeclRange})
			for i, sg := range mt.By {
				add(owner, declared{LedgerView(mt, sg), mt.ByRanges[i]})
			}
		}
	}
	for _, co := range m.Cohorts {
		add("cohort."+co.Decl.Name, declared{CohortView(co), co.Decl.DeclRange})
	}
	for _, ent := range m.Entities {
		if ent.Decl.Overlap {
			add("entity."+ent.Decl.Name, declared{OverlapView(ent), ent.Decl.OverlapRange})
		}
		for _, sg := range ent.Segments {
			if sg.History != "" {
				add("segment."+sg.Decl.Name, declared{SegmentHistoryView(sg), sg.HistoryRange}, declared{SegmentChangesView(sg), sg.HistoryRange},
					declared{QualityView(sg), sg.HistoryRange})
				if !qualityNamed {
					add("", declared{AllQualityView, sg.HistoryRange})
					qualityNamed = true
				}
			}
		}
	}
	return names
}

// checkSQLModels orders the raw SQL models so that each comes after the
// models its SQL reads, reporting cycles. Every dialect's SQL orders
// them, so one order suits them all.
func (c *checker) checkSQLModels() {
	var nodes []*graphNode
	for _, r := range c.model.Relations {
		s := r.Decl
		if s.Kind != models.KindModel || s.SQL == nil {
			continue // a model without sql is reported when decoded
		}
		n := &graphNode{key: r.Ref(), rng: s.DeclRange}
		for _, tmpl := range Templates(s) {
			for _, part := range tmpl.Parts {
				if part.Ref != nil && part.Ref.Kind == "model" {
					n.deps = append(n.deps, graphEdge{to: "model." + part.Ref.Name, rng: part.Ref.Range})
				}
			}
		}
		nodes = append(nodes, n)
	}
	for _, n := range c.dependencyOrder(nodes) {
		c.model.SQLModels = append(c.model.SQLModels, c.model.relations[n.key])
	}
}

// checkOverlap reports an overlap view asked of an entity with fewer than
// two segments: it would have no pair.
func (c *checker) checkOverlap() {
	for _, ent := range c.model.Entities {
		if ent.Decl.Overlap && len(ent.Segments) < 2 {
			c.errorf(ent.Decl.OverlapRange, "Overlap without segments",
				"Entity %q has %d segments, and %s compares pairs of them. Declare at least two segments of %s, or remove overlap.",
				ent.Decl.Name, len(ent.Segments), OverlapView(ent), ent.Decl.Name)
		}
	}
}
