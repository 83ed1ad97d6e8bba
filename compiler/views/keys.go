package views

import (
	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// keysCTE holds each source's keys, with their first time when dated.
const keysCTE = "strata_keys"

// planKeys plans <entity>_keys, the rows of an entity declared with
// keys_from: one row per key found in its sources' rows, NULL keys left
// out, dated by the earliest time of the key's rows (first_seen) when
// every source is dated. It is planned as a model is, before the
// profiles that read it.
func (p *planner) planKeys(ent *check.Entity) *Output {
	decl := ent.Rel.Decl
	out := &Output{Name: decl.Name, Kind: KindModel, Description: decl.Description, DeclRange: ent.Decl.KeysFromRange}
	dated := ent.Rel.Time != nil
	key := ent.Key.Name
	deps := map[string]bool{}
	var each *sqltree.Select
	for _, k := range ent.KeysFrom {
		deps[k.Rel.Ref()] = true
		keyOf := sqltree.Column{Table: check.RowAlias, Name: k.Key.Name}
		q := &sqltree.Select{
			Columns: []sqltree.SelectItem{{X: castTo(keyOf, ent.Key.Type), Alias: key}},
			From:    sqltree.Table{Path: k.Rel.Path, Alias: check.RowAlias},
			Where:   sqltree.IsNull{X: keyOf, Negate: true},
			GroupBy: []sqltree.Expr{keyOf},
		}
		if dated {
			var first sqltree.Expr = sqltree.Call{Name: "MIN", Args: []sqltree.Expr{sqltree.Column{Table: check.RowAlias, Name: k.Rel.Time.Name}}}
			if k.Rel.Time.Type != ent.Rel.Time.Type {
				first = sqltree.Cast{X: first, Type: SQLType(ent.Rel.Time.Type)}
			}
			q.Columns = append(q.Columns, sqltree.SelectItem{X: first, Alias: check.FirstSeen})
		}
		if each == nil {
			each = q
		} else {
			each.Union = append(each.Union, q)
		}
	}
	each.UnionAll = true
	q := &sqltree.Select{
		With:    []sqltree.CTE{{Name: keysCTE, Query: each}},
		Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: key}, Alias: key}},
		From:    sqltree.Table{Path: []string{keysCTE}},
		GroupBy: []sqltree.Expr{sqltree.Column{Name: key}},
	}
	if dated {
		q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Call{Name: "MIN", Args: []sqltree.Expr{sqltree.Column{Name: check.FirstSeen}}}, Alias: check.FirstSeen})
	}
	p.define(out, ent.Rel.Path, q, models.Choice{})
	for _, col := range decl.Columns {
		out.Columns = append(out.Columns, OutputColumn{Name: col.Name, Type: col.Type, Description: col.Description, DeclRange: col.DeclRange})
	}
	out.DependsOn = sortedKeys(deps)
	return out
}
