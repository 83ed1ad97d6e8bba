package check

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// checkCohorts checks every cohort: its entity, its split, its measures,
// how members join and when they are active.
func (c *checker) checkCohorts() {
	for _, d := range c.project.Cohorts {
		if co := c.checkCohort(d); co != nil {
			c.model.Cohorts = append(c.model.Cohorts, co)
		}
	}
}

func (c *checker) checkCohort(d *models.Cohort) *Cohort {
	if d.Joined == nil || d.Active == nil {
		return nil // the missing attribute is reported when decoded
	}
	ent := c.defaultEntity()
	if !d.Of.IsZero() {
		ent = c.entity(d.Of)
	} else if d.Active != nil {
		ent = c.inferEntity(d.Active)
	}
	if ent == nil || ent.Key == nil {
		if d.Of.IsZero() {
			c.errorf(d.DeclRange, "Cohort without entity",
				"The project has several entities; say which one cohort %q follows with of = <entity>.", d.Name)
		}
		return nil
	}
	co := &Cohort{Decl: d, Entity: ent}
	co.Grain, co.GrainRange = GrainOf(d.Grain, d.DeclRange)
	before := len(c.diags)
	if !d.By.IsZero() {
		if sg := c.lookupSegment(d.By.Name, d.By.Range); sg != nil && sg.ok {
			if sg.Entity != ent {
				c.errorf(d.By.Range, "Segment of another entity",
					"Segment %q groups entity %q, but cohort %q follows entity %q.", sg.Decl.Name, sg.Entity.Decl.Name, d.Name, ent.Decl.Name)
			} else {
				co.Split = sg
			}
		}
	}
	for _, ref := range d.Measures {
		m := c.lookupMetric(ref.Name, ref.Range)
		switch {
		case m == nil || !m.ok:
		case m.Rel == nil || m.Entity != ent:
			c.errorf(ref.Range, "Invalid measure",
				"A cohort measure is summed over the cohort's members, so it must be a metric of %q that reads rows (with from); %q is not.", ent.Decl.Name, ref.Name)
		case m.Undated():
			c.errorf(ref.Range, "Measure without time",
				"Metric %q counts rows of %s, which has no time column to place them in periods. Add time = <column> to %s %q, or measure a balance (valid = [start, end]).",
				ref.Name, m.Rel.Ref(), m.Rel.Decl.Kind, m.Rel.Decl.Name)
		default:
			co.Measures = append(co.Measures, m)
			co.MeasureRanges = append(co.MeasureRanges, ref.Range)
		}
	}
	c.checkJoined(co)
	c.checkActivity(co)
	if len(c.diags) > before {
		return nil
	}
	var names []declared
	for _, col := range CohortColumns(co) {
		names = append(names, declared{col, d.DeclRange})
	}
	if len(c.checkUnique("column of "+CohortView(co), names)) > 0 {
		return nil
	}
	return co
}

const joinedUsage = "joined takes a date attribute (signed_up_at), first(source.x) or first(source.x, condition) for the first row, or first(condition) for the first period where a condition holds, as in first(metric.mrr > 0)."

// checkJoined checks how members join: a date attribute, the first row
// of a source, or the first period where a condition holds.
func (c *checker) checkJoined(co *Cohort) {
	d, ent := co.Decl, co.Entity
	joined := d.Joined
	switch e := joined.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		name, ok := "", len(e.Traversal) == 1
		if ok {
			name = e.Traversal.RootName()
		} else if len(e.Traversal) == 2 && e.Traversal.RootName() == "column" {
			name, ok = traversalName(e.Traversal)
		}
		attr := ent.Column(name)
		if !ok || attr == nil {
			var names []string
			for _, a := range ent.Attributes {
				names = append(names, a.Name)
			}
			c.errorf(joined.Range(), "Unknown joining time", "Entity %q has no attribute %q. %s%s", ent.Decl.Name, name, joinedUsage, diag.DidYouMean(name, names))
			return
		}
		if !attr.Type.IsTemporal() {
			c.errorf(joined.Range(), "Joining time is not a date",
				"Cohort %q groups members by the period of %q, whose type is %s. Use a date or timestamp attribute, or first(source.x).", d.Name, name, attr.Type)
			return
		}
		co.Joined.Attribute = attr
	case *hclsyntax.FunctionCallExpr:
		if e.Name != "first" || len(e.Args) < 1 || len(e.Args) > 2 {
			c.errorf(joined.Range(), "Invalid joining time", "%s", joinedUsage)
			return
		}
		if rel := c.cohortRows(co, "first", e.Args[0]); rel != nil {
			co.Joined.Rows = rel
			if len(e.Args) == 2 {
				co.Joined.RowsWhere = c.rowCondition(co, rel, e.Args[1])
			}
			return
		} else if len(e.Args) == 2 || isRelationRef(e.Args[0]) {
			if len(e.Args) == 2 && !isRelationRef(e.Args[0]) {
				c.errorf(e.Args[0].Range(), "Invalid joining time", "%s", joinedUsage)
			}
			return
		}
		co.Joined.Condition, co.Joined.Used = c.profileCondition(co, e.Args[0], "The joining condition of cohort "+quote(d.Name))
	default:
		c.errorf(joined.Range(), "Invalid joining time", "%s", joinedUsage)
	}
}

// checkActivity checks when members are active: event(source.x [,
// condition]), or a condition at each period's end.
func (c *checker) checkActivity(co *Cohort) {
	d := co.Decl
	if e, ok := d.Active.(*hclsyntax.FunctionCallExpr); ok && e.Name == "event" {
		if len(e.Args) < 1 || len(e.Args) > 2 || !isRelationRef(e.Args[0]) {
			c.errorf(d.Active.Range(), "Invalid activity",
				"event() takes the rows that count as activity and an optional condition, as in event(source.events) or event(source.events, name == \"login\").")
			return
		}
		rel := c.cohortRows(co, "event", e.Args[0])
		if rel == nil {
			return
		}
		co.Active.Rows = rel
		if len(e.Args) == 2 {
			co.Active.RowsWhere = c.rowCondition(co, rel, e.Args[1])
		}
		return
	}
	co.Active.Condition, co.Active.Used = c.profileCondition(co, d.Active, "The activity condition of cohort "+quote(d.Name))
}

func isRelationRef(e hcl.Expression) bool {
	t, ok := e.(*hclsyntax.ScopeTraversalExpr)
	return ok && (t.Traversal.RootName() == "source" || t.Traversal.RootName() == "model")
}

// cohortRows resolves the source.x or model.x argument of first() or
// event() to a dated relation of the cohort's entity.
func (c *checker) cohortRows(co *Cohort, fn string, arg hcl.Expression) *Relation {
	t, ok := arg.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(t.Traversal) != 2 || (t.Traversal.RootName() != "source" && t.Traversal.RootName() != "model") {
		return nil
	}
	name, _ := traversalName(t.Traversal)
	rel := c.relation(models.Ref{Kind: t.Traversal.RootName(), Name: name, Range: arg.Range()})
	switch {
	case rel == nil:
	case rel.Entity != co.Entity:
		c.errorf(arg.Range(), "Rows of another entity",
			"%s() reads %s, whose rows do not belong to entity %q that cohort %q follows. Set entity = %s on it.", fn, rel.Ref(), co.Entity.Decl.Name, co.Decl.Name, co.Entity.Decl.Name)
		return nil
	case rel.Time == nil:
		c.errorf(arg.Range(), "Rows without time",
			"%s() places the rows of %s in periods, but %s has no time column. Add time = <column> to %s %q.", fn, rel.Ref(), rel.Ref(), rel.Decl.Kind, rel.Decl.Name)
		return nil
	}
	return rel
}

// rowCondition translates the condition on the rows of first() or event().
func (c *checker) rowCondition(co *Cohort, rel *Relation, cond hcl.Expression) sqltree.Expr {
	where := (&scope{c: c, rel: rel}).translate(cond)
	c.requireBoolean(where, "The condition of cohort "+quote(co.Decl.Name))
	return where.sql
}

// profileCondition translates a condition over the entity's metrics and
// attributes, evaluated at each period's end; NULL does not hold.
func (c *checker) profileCondition(co *Cohort, cond hcl.Expression, what string) (sqltree.Expr, []string) {
	s := &scope{c: c, ent: co.Entity, allowWindows: true}
	rule := s.translate(cond)
	c.requireBoolean(rule, what)
	return sqltree.Call{Name: "COALESCE", Args: []sqltree.Expr{rule.sql, sqltree.Bool(false)}}, s.used
}
