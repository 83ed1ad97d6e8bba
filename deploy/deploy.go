package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/textdiff"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// StateTable is the table, in the views' schema, where Strata records
// what it deployed: one row per view.
const StateTable = "strata_state"

// Version is written in the state table with each deployment.
const Version = "0.1.0"

// Action is what a plan does to one view.
type Action string

const (
	Create    Action = "create"
	Replace   Action = "replace"
	Drop      Action = "drop"
	Unchanged Action = "unchanged"
)

// Change is one view's line in a plan.
type Change struct {
	View   string `json:"view"`
	Kind   string `json:"kind"`
	Action Action `json:"action"`
	// Missing is set on a create of a view the state records but the
	// warehouse no longer has.
	Missing bool `json:"missing,omitempty"`
	// Diff is a replace's SQL, deployed against new, line by line.
	Diff []string `json:"diff,omitempty"`
}

// Impact is what a plan does to a segment's members on the target's
// current data: computed by running the new definitions in a
// transaction that is rolled back.
type Impact struct {
	Segment string `json:"segment"`
	Enter   int64  `json:"enter"`
	Leave   int64  `json:"leave"`
	Stay    int64  `json:"stay"`
}

// Plan compares what a project would deploy with what a target holds.
type Plan struct {
	Target  string   `json:"target"`
	Dialect string   `json:"dialect"`
	Schema  []string `json:"schema"`
	Changes []Change `json:"changes"` // creates and replaces in dependency order, then drops
	// Conflicts are objects in the schema that Strata did not create and
	// a view of the project would replace: apply refuses while any exist.
	Conflicts []string `json:"conflicts,omitempty"`
	Impacts   []Impact `json:"impacts,omitempty"`
	// ImpactError says why the impact could not be measured: the new
	// views fail on the target, which apply would too.
	ImpactError string `json:"impact_error,omitempty"`
	// ID fingerprints the deployed state and the views to deploy: apply
	// --plan ID refuses when either changed since.
	ID string `json:"id"`

	desired  []desiredView
	deployed []deployedView
	dialect  dialects.Dialect
	// catalog is what the schema holds: each object's kind ("VIEW",
	// "BASE TABLE") by name.
	catalog map[string]string
}

// Changed reports whether applying the plan would change anything.
func (p *Plan) Changed() bool {
	for _, c := range p.Changes {
		if c.Action != Unchanged {
			return true
		}
	}
	return false
}

// Count is how many changes have the action.
func (p *Plan) Count(a Action) int {
	n := 0
	for _, c := range p.Changes {
		if c.Action == a {
			n++
		}
	}
	return n
}

type desiredView struct {
	view        compiler.View
	fingerprint string
}

// deployedView is a row of the state table.
type deployedView struct {
	name, kind, object, fingerprint, definition string
	position                                    int
}

// Target is what a plan is made for.
type Target struct {
	Name     string
	Dialect  dialects.Dialect
	Compiled *compiler.Compiled
	Plan     *compiler.Plan
}

// schemaPath is where the views are: the target's place, or the
// project's schema.
func (t Target) schemaPath() []string {
	if t.Compiled.Place != nil {
		return t.Compiled.Place
	}
	return []string{t.Plan.Project.Schema}
}

// MakePlan reads the target's state table and catalog and compares them
// with the compiled views. With impact set, it also measures what the
// changes do to each segment's members (which runs the new views in a
// transaction it rolls back).
func MakePlan(ctx context.Context, wh engine.Warehouse, t Target, impact bool) (*Plan, error) {
	schema := t.schemaPath()
	p := &Plan{Target: t.Name, Dialect: t.Dialect.Name(), Schema: schema, dialect: t.Dialect}
	for _, v := range t.Compiled.Views {
		sum := sha256.Sum256([]byte(v.SQL))
		p.desired = append(p.desired, desiredView{view: v, fingerprint: hex.EncodeToString(sum[:])})
	}
	catalog, err := readCatalog(ctx, wh, t.Dialect, schema)
	if err != nil {
		return nil, err
	}
	p.catalog = catalog
	if catalog[StateTable] != "" {
		if p.deployed, err = readState(ctx, wh, t.Dialect, schema); err != nil {
			return nil, err
		}
	}
	deployed := map[string]deployedView{}
	for _, d := range p.deployed {
		deployed[d.name] = d
	}
	wanted := map[string]bool{}
	for _, d := range p.desired {
		name := d.view.Output.Name
		wanted[name] = true
		c := Change{View: name, Kind: d.view.Output.Kind}
		old, was := deployed[name]
		switch {
		case name == StateTable:
			return nil, fmt.Errorf("the project has a view named %s, the name of Strata's state table; rename it", StateTable)
		case !was:
			c.Action = Create
			if catalog[name] != "" {
				p.Conflicts = append(p.Conflicts, name)
			}
		case catalog[name] == "":
			c.Action, c.Missing = Create, true
		case old.fingerprint != d.fingerprint:
			c.Action, c.Diff = Replace, textdiff.Changes(old.definition, d.view.SQL, 2)
		default:
			c.Action = Unchanged
		}
		p.Changes = append(p.Changes, c)
	}
	// Drops, the last deployed first: a view before those it reads.
	for i := len(p.deployed) - 1; i >= 0; i-- {
		if d := p.deployed[i]; !wanted[d.name] {
			p.Changes = append(p.Changes, Change{View: d.name, Kind: d.kind, Action: Drop})
		}
	}
	p.ID = p.fingerprint()
	if impact && p.Changed() && len(p.Conflicts) == 0 {
		if p.Impacts, err = p.measureImpact(ctx, wh, t); err != nil {
			p.ImpactError = err.Error()
		}
	}
	return p, nil
}

// ConflictError is what Apply says of a plan with conflicts.
func (p *Plan) ConflictError() error {
	names := p.Conflicts
	more := ""
	if len(names) > 5 {
		names, more = names[:5], fmt.Sprintf(" and %d more", len(p.Conflicts)-5)
	}
	return fmt.Errorf("%s%s already in schema %s, and Strata did not record creating them: rename the views, drop those objects, or take them over with --adopt (a schema strata build made)",
		strings.Join(names, ", "), more, strings.Join(p.Schema, "."))
}

// fingerprint is a short hash of the deployed state and the desired views.
func (p *Plan) fingerprint() string {
	h := sha256.New()
	for _, d := range p.deployed {
		fmt.Fprintf(h, "deployed %s %s %d\n", d.name, d.fingerprint, d.position)
	}
	for _, d := range p.desired {
		fmt.Fprintf(h, "desired %s %s\n", d.view.Output.Name, d.fingerprint)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// readCatalog lists the tables and views of the schema: name -> "VIEW"
// or "BASE TABLE".
func readCatalog(ctx context.Context, wh engine.Warehouse, d dialects.Dialect, schema []string) (map[string]string, error) {
	q := &sqltree.Select{
		Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: "table_name"}}, {X: sqltree.Column{Name: "table_type"}}},
		From:    sqltree.Table{Path: []string{"information_schema", "tables"}},
		Where:   sqltree.Binary{Op: "=", Left: sqltree.Column{Name: "table_schema"}, Right: sqltree.Str(schema[len(schema)-1])},
	}
	text, err := sqltree.RenderQuery(q, d)
	if err != nil {
		return nil, err
	}
	rows, err := wh.Query(ctx, text)
	if err != nil {
		return nil, fmt.Errorf("reading the catalog of schema %s: %w", strings.Join(schema, "."), err)
	}
	out := map[string]string{}
	for _, r := range rows.Values {
		out[fmt.Sprint(r[0])] = fmt.Sprint(r[1])
	}
	return out, nil
}

var stateColumns = []sqltree.ColumnDef{
	{Name: "view_name", Type: sqltree.String},
	{Name: "kind", Type: sqltree.String},
	{Name: "object", Type: sqltree.String},
	{Name: "position", Type: sqltree.Integer},
	{Name: "fingerprint", Type: sqltree.String},
	{Name: "definition", Type: sqltree.String},
	{Name: "strata_version", Type: sqltree.String},
	{Name: "deployed_at", Type: sqltree.Timestamp},
}

func readState(ctx context.Context, wh engine.Warehouse, d dialects.Dialect, schema []string) ([]deployedView, error) {
	q := &sqltree.Select{From: sqltree.Table{Path: append(append([]string{}, schema...), StateTable)},
		OrderBy: []sqltree.OrderItem{{X: sqltree.Column{Name: "position"}}}}
	for _, c := range stateColumns[:6] {
		q.Columns = append(q.Columns, sqltree.SelectItem{X: sqltree.Column{Name: c.Name}})
	}
	text, err := sqltree.RenderQuery(q, d)
	if err != nil {
		return nil, err
	}
	rows, err := wh.Query(ctx, text)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", StateTable, err)
	}
	var out []deployedView
	for _, r := range rows.Values {
		pos := int(engine.Int(r[3]))
		out = append(out, deployedView{name: fmt.Sprint(r[0]), kind: fmt.Sprint(r[1]), object: fmt.Sprint(r[2]),
			position: pos, fingerprint: fmt.Sprint(r[4]), definition: fmt.Sprint(r[5])})
	}
	return out, nil
}

// statements are what apply runs, in one transaction: the schema and the
// state table if missing; the views to drop and replace dropped, with
// every deployed view that reads one of them (the last deployed first,
// and without CASCADE: an object Strata did not create that reads one
// stops the apply instead of being dropped with it); those replaced and
// created, with the readers, in dependency order; and the state table
// rewritten. Views that do not change stay as they are.
func (p *Plan) statements(now time.Time, adopt bool) ([]string, error) {
	d := p.dialect
	var out []string
	add := func(s sqltree.Statement) error {
		text, stmts, err := sqltree.RenderStatementsAt(s, d, sqltree.Placement{})
		if err != nil {
			return err
		}
		if len(stmts) == 0 {
			stmts = []string{text}
		}
		out = append(out, stmts...)
		return nil
	}
	drop := func(name, object string) error {
		path := append(append([]string{}, p.Schema...), name)
		if object == "TABLE" || object == "BASE TABLE" {
			return add(&sqltree.DropTable{Name: path, IfExists: true})
		}
		return add(&sqltree.DropView{Name: path, IfExists: true})
	}
	state := append(append([]string{}, p.Schema...), StateTable)
	if err := add(&sqltree.CreateSchema{Path: p.Schema}); err != nil {
		return nil, err
	}
	if err := add(&sqltree.CreateTable{Name: state, Columns: stateColumns, IfNotExists: true}); err != nil {
		return nil, err
	}
	guard, err := p.stateGuard(state)
	if err != nil {
		return nil, err
	}
	out = append(out, guard)
	rebuilt := p.rebuilt()
	for i := len(p.deployed) - 1; i >= 0; i-- {
		if dv := p.deployed[i]; rebuilt[dv.name] {
			if err := drop(dv.name, dv.object); err != nil {
				return nil, err
			}
		}
	}
	if adopt {
		// Objects of the views' names that Strata did not record: taken
		// over, as a build on this schema created them; the last first.
		for i := len(p.Conflicts) - 1; i >= 0; i-- {
			if err := drop(p.Conflicts[i], p.catalog[p.Conflicts[i]]); err != nil {
				return nil, err
			}
		}
	}
	for _, dv := range p.desired {
		if rebuilt[dv.view.Output.Name] {
			out = append(out, dv.view.Statements...)
		}
	}
	if err := add(&sqltree.Delete{Table: state, Where: sqltree.Bool(true)}); err != nil {
		return nil, err
	}
	if len(p.desired) > 0 {
		var rows []*sqltree.Select
		for i, dv := range p.desired {
			object := "VIEW"
			if dv.view.Output.Materialized == models.Table {
				object = "TABLE"
			}
			rows = append(rows, &sqltree.Select{Columns: []sqltree.SelectItem{
				{X: sqltree.Str(dv.view.Output.Name)}, {X: sqltree.Str(dv.view.Output.Kind)}, {X: sqltree.Str(object)},
				{X: sqltree.Num(strconv.Itoa(i))}, {X: sqltree.Str(dv.fingerprint)}, {X: sqltree.Str(dv.view.SQL)},
				{X: sqltree.Str(Version)}, {X: sqltree.Cast{X: sqltree.Str(now.UTC().Format("2006-01-02 15:04:05")), Type: sqltree.Timestamp}},
			}})
		}
		var cols []string
		for _, c := range stateColumns {
			cols = append(cols, c.Name)
		}
		if err := add(&sqltree.Insert{Table: state, Columns: cols, Query: sqltree.UnionAll(rows)}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// StateChanged is the message of the statement that stops an apply whose
// plan no longer matches the state table.
const StateChanged = "the deployed views changed since this plan: run strata plan again"

// ErrStateChanged is Apply's error when that statement stopped it.
var ErrStateChanged = errors.New(StateChanged)

// stateGuard is a query that fails, inside the apply's transaction, when
// the state table no longer holds what the plan read: another apply came
// first. The failure is a cast of StateChanged to an integer, so the
// warehouse's message names the reason.
func (p *Plan) stateGuard(state []string) (string, error) {
	count := func(where sqltree.Expr) sqltree.Expr {
		return sqltree.Subquery{Query: &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "COUNT", Star: true}}},
			From: sqltree.Table{Path: state}, Where: where}}
	}
	var recorded sqltree.Expr
	for _, d := range p.deployed {
		row := sqltree.Binary{Op: "AND",
			Left: sqltree.Binary{Op: "=", Left: sqltree.Column{Name: "view_name"}, Right: sqltree.Str(d.name)},
			Right: sqltree.Binary{Op: "AND",
				Left:  sqltree.Binary{Op: "=", Left: sqltree.Column{Name: "fingerprint"}, Right: sqltree.Str(d.fingerprint)},
				Right: sqltree.Binary{Op: "=", Left: sqltree.Column{Name: "position"}, Right: sqltree.Num(strconv.Itoa(d.position))}}}
		if recorded == nil {
			recorded = row
		} else {
			recorded = sqltree.Binary{Op: "OR", Left: recorded, Right: row}
		}
	}
	n := sqltree.Num(strconv.Itoa(len(p.deployed)))
	same := sqltree.Expr(sqltree.Binary{Op: "=", Left: count(nil), Right: n})
	if recorded != nil {
		same = sqltree.Binary{Op: "AND", Left: same, Right: sqltree.Binary{Op: "=", Left: count(recorded), Right: n}}
	}
	q := &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Cast{
		X:    sqltree.Case{Whens: []sqltree.When{{Cond: same, Then: sqltree.Str("1")}}, Else: sqltree.Str(StateChanged)},
		Type: sqltree.Integer}, Alias: "strata_state_unchanged"}}}
	return sqltree.RenderQuery(q, p.dialect)
}

// rebuilt names the views apply drops or (re)creates: those to create,
// replace and drop, and every view of the project that reads one of
// those replaced, transitively (a warehouse that tracks dependencies
// will not drop a view others read).
func (p *Plan) rebuilt() map[string]bool {
	out := map[string]bool{}
	for _, c := range p.Changes {
		if c.Action != Unchanged {
			out[c.View] = true
		}
	}
	for _, dv := range p.desired { // dependency order: readers come after
		for _, dep := range dv.view.Output.DependsOn {
			// A view reads another by its name, a model's as model.x.
			if out[strings.TrimPrefix(dep, "model.")] {
				out[dv.view.Output.Name] = true
			}
		}
	}
	return out
}

// Apply deploys the plan in one transaction. It refuses a plan with
// conflicts unless adopt is set: then it replaces those objects too (a
// schema that strata build made, before Strata kept state in it).
func Apply(ctx context.Context, wh engine.Warehouse, p *Plan, now time.Time, adopt bool) error {
	if len(p.Conflicts) > 0 && !adopt {
		return p.ConflictError()
	}
	stmts, err := p.statements(now, adopt)
	if err != nil {
		return err
	}
	if err := wh.Apply(ctx, stmts); err != nil {
		if strings.Contains(err.Error(), StateChanged) { // the guard's failure, as the warehouse words it
			return ErrStateChanged
		}
		return err
	}
	return nil
}

// measureImpact runs the plan in a transaction it rolls back, having
// copied the members of every deployed segment first, and counts who
// enters, leaves and stays.
func (p *Plan) measureImpact(ctx context.Context, wh engine.Warehouse, t Target) ([]Impact, error) {
	deployed := map[string]bool{}
	for _, d := range p.deployed {
		deployed[d.name] = true
	}
	var segments []*compiler.Output
	for _, d := range p.desired {
		if o := d.view.Output; o.Kind == compiler.KindSegment && deployed[o.Name] && p.catalog[o.Name] != "" && len(o.Columns) > 0 {
			segments = append(segments, o)
		}
	}
	if len(segments) == 0 {
		return nil, nil
	}
	var before, queries []string
	for i, o := range segments {
		key := o.Columns[0].Name
		old := append(append([]string{}, p.Schema...), "strata_impact_"+strconv.Itoa(i))
		view := append(append([]string{}, p.Schema...), o.Name)
		// Members by key (a NULL key is no one): copied before the plan,
		// read again after it.
		notNull := sqltree.IsNull{X: sqltree.Column{Name: key}, Negate: true}
		members := &sqltree.Select{Distinct: true, Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: key}, Alias: "k"}}, From: sqltree.Table{Path: view}, Where: notNull}
		stmt, err := sqltree.Render(&sqltree.CreateTableAs{Name: old, Query: members}, p.dialect)
		if err != nil {
			return nil, err
		}
		before = append(before, stmt)
		// How many keys of from (as n.k) are (in) or are not in the
		// relation other, whose key column is otherKey.
		count := func(from *sqltree.Select, other []string, otherKey string, in bool) sqltree.Expr {
			member := &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Num("1")}}, From: sqltree.Table{Path: other, Alias: "o"},
				Where: sqltree.Binary{Op: "=", Left: sqltree.Column{Table: "o", Name: otherKey}, Right: sqltree.Column{Table: "n", Name: "k"}}}
			var cond sqltree.Expr = sqltree.Exists{Query: member}
			if !in {
				cond = sqltree.Unary{Op: "NOT", X: cond}
			}
			return sqltree.Subquery{Query: &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "COUNT", Star: true}}},
				From: sqltree.Derived{Query: from, Alias: "n"}, Where: cond}}
		}
		oldMembers := &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Column{Name: "k"}, Alias: "k"}}, From: sqltree.Table{Path: old}}
		q := &sqltree.Select{Columns: []sqltree.SelectItem{
			{X: count(members, old, "k", false), Alias: "enter"},
			{X: count(oldMembers, view, key, false), Alias: "leave"},
			{X: count(members, old, "k", true), Alias: "stay"},
		}}
		text, err := sqltree.RenderQuery(q, p.dialect)
		if err != nil {
			return nil, err
		}
		queries = append(queries, text)
	}
	stmts, err := p.statements(time.Now(), false)
	if err != nil {
		return nil, err
	}
	results, err := wh.Trial(ctx, append(before, stmts...), queries)
	if err != nil {
		return nil, fmt.Errorf("measuring the segments' change: %w", err)
	}
	replaced := map[string]bool{}
	for _, c := range p.Changes {
		replaced[c.View] = c.Action == Replace
	}
	// The segments whose rule changed, and those whose members change
	// because what they read did.
	owners := t.Plan.Model.ViewOwners()
	var out []Impact
	for i, o := range segments {
		r := results[i].Values[0]
		im := Impact{Segment: strings.TrimPrefix(owners[o.Name], "segment."), Enter: engine.Int(r[0]), Leave: engine.Int(r[1]), Stay: engine.Int(r[2])}
		if replaced[o.Name] || im.Enter+im.Leave > 0 {
			out = append(out, im)
		}
	}
	return out, nil
}
