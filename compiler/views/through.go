package views

import (
	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// planThrough plans <source>_with_<entity>, the rows of a source that
// reach their entity through another source's rows (through): each row
// with the entity's key of the parent row its foreign key names, NULL when
// there is none. Metrics, cohorts and breakdowns read the source from it
// as from any source holding the key. A parent key that repeats would
// repeat the rows: planFanOutCheck fails the build then.
func (p *planner) planThrough(r *check.Relation) *Output {
	t := r.Through
	ent := r.Entity
	name := r.Path[len(r.Path)-1]
	out := &Output{Name: name, Kind: KindModel, DeclRange: r.Decl.Through.Range,
		Description: "The rows of " + r.Ref() + " with the " + ent.Decl.Name + " of the " + t.Parent.Ref() + " row each belongs to."}
	q := &sqltree.Select{
		From: sqltree.Table{Path: r.Stored, Alias: check.RowAlias},
		Joins: []sqltree.Join{{Kind: "LEFT JOIN", Right: sqltree.Table{Path: t.Parent.Path, Alias: parentAlias},
			On: eq(col(parentAlias, t.ParentKey.Name), col(check.RowAlias, t.ForeignKey.Name))}},
	}
	for _, c := range r.Decl.Columns {
		q.Columns = append(q.Columns, sqltree.SelectItem{X: col(check.RowAlias, c.Name), Alias: c.Name})
		out.Columns = append(out.Columns, OutputColumn{Name: c.Name, Type: c.Type, Description: c.Description, DeclRange: c.DeclRange})
	}
	q.Columns = append(q.Columns, sqltree.SelectItem{X: col(parentAlias, t.Parent.EntityKey), Alias: r.EntityKey})
	out.Columns = append(out.Columns, OutputColumn{Name: r.EntityKey, Type: ent.Key.Type,
		Description: "The " + ent.Decl.Name + " of the " + t.Parent.Ref() + " row this row belongs to."})
	p.define(out, r.Path, q, models.Choice{})
	out.DependsOn = sortedKeys(map[string]bool{r.Ref(): true, t.Parent.Ref(): true})
	return out
}

// parentAlias is the parent's row in a through view.
const parentAlias = "p"

// planFanOutCheck checks that the parent key of a through relationship is
// unique: a repeated key would join each of the rows it names once per
// repeat, and count them as many times.
func (p *planner) planFanOutCheck(r *check.Relation) *DataCheck {
	t := r.Through
	key := col(check.RowAlias, t.ParentKey.Name)
	keys := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: key, Alias: "key"}, {X: sqltree.Call{Name: "COUNT", Star: true}, Alias: "n"}},
		From:    sqltree.Table{Path: t.Parent.Stored, Alias: check.RowAlias},
		Where:   sqltree.IsNull{X: key, Negate: true},
		GroupBy: []sqltree.Expr{key},
	}
	return &DataCheck{
		Name: r.Decl.Name + " through " + t.Parent.Decl.Name + " does not fan out",
		Query: &sqltree.Select{
			Columns: []sqltree.SelectItem{
				{X: sqltree.Call{Name: "COUNT", Star: true}, Alias: "violations"},
				{X: sqltree.Call{Name: "MIN", Args: []sqltree.Expr{sqltree.Cast{X: col("v", "key"), Type: sqltree.String}}}, Alias: "example"},
			},
			From:  sqltree.Derived{Query: keys, Alias: "v"},
			Where: sqltree.Binary{Op: ">", Left: col("v", "n"), Right: sqltree.Num("1")},
		},
		Summary: "Relationship fans out",
		Detail: r.Ref() + " reaches " + r.Entity.Decl.Name + " through " + t.Parent.Ref() + " on " + t.ParentKey.Name + ", but %d values of " +
			t.ParentKey.Name + " repeat in " + t.Parent.Ref() + " (for example %s): each " + r.Decl.Name + " row of such a key would count once per repeat. " +
			"Deduplicate " + t.Parent.Ref() + " (a model with one row per " + t.ParentKey.Name + "), or point through at a source whose primary key is unique.",
		Range: r.Decl.Through.Range,
	}
}
