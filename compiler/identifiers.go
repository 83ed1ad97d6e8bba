package compiler

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/dialects/base"
	"github.com/strata-analytics/strata/models"
)

// checkIdentifiers checks, for one dialect, every name Strata creates or
// reads in the warehouse: the schema, the sources' tables and columns, the
// views and their columns (derived ones such as metric_<m>_by_<s> and
// <measure>_retention included). A name longer than the dialect keeps
// would be cut short silently, so that two names could become one; two
// seed files loading into one table would silently replace each other's
// rows; a source table that is also a view Strata creates would be
// replaced by it. Each is a diagnostic at the declarations involved.
func checkIdentifiers(plan *Plan, d dialects.Dialect) hcl.Diagnostics {
	ic := &identifierCheck{d: d, caps: d.Rules(), reported: map[reportedName]bool{}}
	p := plan.Project
	ic.name(p.Schema, p.DeclRange)
	ic.shape("schema", p.Schema, ic.caps.Schemas, p.DeclRange)
	for _, s := range p.Sources {
		if s.Kind != models.KindSource {
			continue
		}
		for _, part := range sourceTable(s) {
			ic.name(part, tableRange(s))
		}
		for _, col := range s.Columns {
			ic.name(col.Name, col.DeclRange)
		}
	}
	for _, o := range plan.Outputs {
		ic.name(o.Name, o.DeclRange)
		ic.shape("view", o.Name, ic.caps.Objects, o.DeclRange)
		for _, col := range o.Columns {
			rng := col.DeclRange
			if rng == (hcl.Range{}) {
				rng = o.DeclRange
			}
			ic.name(col.Name, rng)
		}
	}
	ic.tables(plan)
	ic.caseClashes(plan)
	return ic.diags
}

// caseClashes reports two views, or two columns of one view or source,
// whose names differ only in case (or in what the dialect folds) and are
// one name on this dialect, once per pair of declarations: the checker
// lets them be, since PostgreSQL, Snowflake and ClickHouse keep them
// apart.
func (ic *identifierCheck) caseClashes(plan *Plan) {
	reported := map[[2]hcl.Range]bool{}
	clash := func(what, a, b string, first, second hcl.Range, reason string) {
		if reported[[2]hcl.Range{first, second}] {
			return
		}
		reported[[2]hcl.Range{first, second}] = true
		ic.errorf(second, "Names one on "+ic.d.Name(),
			"%s %q and %q (declared at %s) are one name on %s: %s. Rename one of them, or target only dialects that keep them apart.",
			what, b, a, diag.At(first), ic.d.Name(), reason)
	}
	type seen struct {
		name string
		rng  hcl.Range
	}
	views := map[string]seen{}
	for _, o := range plan.Outputs {
		key := ic.d.StoredName(o.Name)
		if v, ok := views[key]; ok && v.name != o.Name {
			clash("Views", v.name, o.Name, v.rng, o.DeclRange, ic.why(v.name, o.Name, false))
		} else if !ok {
			views[key] = seen{o.Name, o.DeclRange}
		}
		columns := map[string]seen{}
		for _, col := range o.Columns {
			rng := col.DeclRange
			if rng == (hcl.Range{}) {
				rng = o.DeclRange
			}
			key := ic.columnKey(col.Name)
			if c, ok := columns[key]; ok && c.name != col.Name {
				clash("In view "+o.Name+", columns", c.name, col.Name, c.rng, rng, ic.why(c.name, col.Name, true))
			} else if !ok {
				columns[key] = seen{col.Name, rng}
			}
		}
	}
	for _, s := range plan.Project.Sources {
		columns := map[string]seen{}
		for _, col := range s.Columns {
			key := ic.columnKey(col.Name)
			if c, ok := columns[key]; ok && c.name != col.Name {
				clash(fmt.Sprintf("In source %q, columns", s.Name), c.name, col.Name, c.rng, col.DeclRange, ic.why(c.name, col.Name, true))
			} else if !ok {
				columns[key] = seen{col.Name, col.DeclRange}
			}
		}
	}
}

// columnKey is the name the warehouse stores for a column.
func (ic *identifierCheck) columnKey(name string) string {
	if ic.caps.ColumnsIgnoreCase {
		return strings.ToLower(name)
	}
	return ic.d.StoredName(name)
}

// why says why two names are one on this dialect.
func (ic *identifierCheck) why(a, b string, columns bool) string {
	switch {
	case ic.caps.CaseInsensitive:
		return "its names ignore case, even quoted"
	case columns && ic.caps.ColumnsIgnoreCase:
		return "its column names ignore case, even quoted"
	}
	return fmt.Sprintf("it stores %q as %q and %q as %q", a, ic.d.StoredName(a), b, ic.d.StoredName(b))
}

type identifierCheck struct {
	d        dialects.Dialect
	caps     base.NameRules
	reported map[reportedName]bool
	diags    hcl.Diagnostics
}

// reportedName is a name too long, at one declaration.
type reportedName struct {
	name string
	rng  hcl.Range
}

func (ic *identifierCheck) errorf(rng hcl.Range, summary, format string, args ...any) {
	ic.diags = append(ic.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: &rng})
}

// name checks one identifier against the dialect's length limit, once per
// name and declaration.
func (ic *identifierCheck) name(name string, rng hcl.Range) {
	limit := ic.caps.MaxLength
	if limit == 0 || len(name) <= limit {
		return
	}
	key := reportedName{name, rng}
	if ic.reported[key] {
		return
	}
	ic.reported[key] = true
	ic.errorf(rng, "Name too long for "+ic.d.Name(),
		"%q is %d bytes long; %s keeps at most %d bytes of a name and would silently cut it to %q. Use a shorter name.",
		name, len(name), ic.d.Name(), limit, clip(name, limit))
}

// shape checks the name of a schema or view Strata creates against what
// the dialect allows in such names.
func (ic *identifierCheck) shape(kind, name string, allowed *base.NameShape, rng hcl.Range) {
	if problem := allowed.Problem(name); problem != "" {
		ic.errorf(rng, "Invalid name for "+ic.d.Name(), "The %s name %q cannot be created: %s. Choose another name.", kind, name, problem)
	}
}

// normal is the name the dialect would store: cut to its length limit
// and folded as the dialect folds it (StoredName).
func (ic *identifierCheck) normal(name string) string {
	name = ic.d.StoredName(name)
	if limit := ic.caps.MaxLength; limit > 0 {
		name = clip(name, limit)
	}
	return name
}

// tableKey is where a table path lands in the warehouse.
func (ic *identifierCheck) tableKey(path []string) string {
	parts := make([]string, 0, 3) // on the stack: paths have up to three parts
	if len(path) == 1 && ic.caps.DefaultSchema != "" {
		parts = append(parts, ic.normal(ic.caps.DefaultSchema))
	}
	for _, p := range path {
		parts = append(parts, ic.normal(p))
	}
	return strings.Join(parts, "\x00")
}

// A table Strata reads, loads or creates, with what put it there.
type tableUse struct {
	path   []string
	source *models.Source // the source that reads or loads it, or nil
	view   *Output        // the view Strata creates as it, or nil
	rng    hcl.Range
}

// load is whether a seed file is loaded into the table.
func (u tableUse) load() bool { return u.source != nil && u.source.File != "" }

// what names the use for messages: `source "customers" (loads
// data/customers.csv)`. It is only written for a diagnostic.
func (u tableUse) what() string {
	switch {
	case u.view != nil:
		return "the view " + u.view.Name
	case u.load():
		return fmt.Sprintf("source %q (loads %s)", u.source.Name, u.source.File)
	}
	return fmt.Sprintf("source %q", u.source.Name)
}

// tables reports two seed files loading into one table, and a source
// table that is also one of the project's views. Only a table used twice
// can be either, and few are: uses are grouped only for those.
func (ic *identifierCheck) tables(plan *Plan) {
	p := plan.Project
	uses := make([]tableUse, 0, len(p.Sources)+len(plan.Outputs))
	for _, s := range p.Sources {
		if s.Kind == models.KindSource {
			uses = append(uses, tableUse{path: sourceTable(s), source: s, rng: tableRange(s)})
		}
	}
	for _, o := range plan.Outputs {
		uses = append(uses, tableUse{path: o.View.Name, view: o, rng: o.DeclRange})
	}
	first := make(map[string]int, len(uses)) // a table's key: its first use
	shared := map[int][]tableUse{}           // a first use: all uses of its table, when more than one
	for i, u := range uses {
		k := ic.tableKey(u.path)
		f, seen := first[k]
		if !seen {
			first[k] = i
			continue
		}
		if shared[f] == nil {
			shared[f] = []tableUse{uses[f]}
		}
		shared[f] = append(shared[f], u)
	}
	// Tables in the order of their first use, as the messages were.
	for _, f := range slices.Sorted(maps.Keys(shared)) {
		ic.sharedTable(shared[f])
	}
}

// sharedTable reports the uses of one table that conflict.
func (ic *identifierCheck) sharedTable(uses []tableUse) {
	var loads, views []tableUse
	for _, u := range uses {
		if u.load() {
			loads = append(loads, u)
		}
		if u.view != nil {
			views = append(views, u)
		}
	}
	table := strings.Join(uses[0].path, ".")
	if len(loads) > 1 {
		for i, u := range loads {
			other := loads[(i+1)%len(loads)]
			ic.errorf(u.rng, "Two sources load into one table",
				"%s and %s both load into table %s%s, so the second would silently replace the rows of the first. Give each source its own table.",
				u.what(), other.what(), table, ic.sameBecause(u.path, other.path))
		}
	}
	if len(views) > 0 {
		for _, u := range uses {
			if u.view != nil {
				continue
			}
			ic.errorf(u.rng, "Source table is a view",
				"%s reads table %s, but that is where Strata creates %s%s. Move the views (the project's schema) or the table.",
				u.what(), table, views[0].what(), ic.sameBecause(u.path, views[0].path))
		}
	}
}

// sameBecause explains why two different spellings are one table on
// this dialect; the same spelling needs no explanation, and the message
// then reads the same for every dialect (and is printed once).
func (ic *identifierCheck) sameBecause(a, b []string) string {
	if strings.Join(a, ".") == strings.Join(b, ".") {
		return ""
	}
	var reasons []string
	if len(a) != len(b) {
		reasons = append(reasons, "a table named without a schema is in "+ic.caps.DefaultSchema)
	}
	if !strings.EqualFold(strings.Join(a, "."), strings.Join(b, ".")) && ic.caps.MaxLength > 0 {
		reasons = append(reasons, fmt.Sprintf("it keeps only the first %d bytes of a name", ic.caps.MaxLength))
	}
	if ic.caps.CaseInsensitive && strings.ToLower(strings.Join(a, ".")) != strings.Join(a, ".") ||
		ic.caps.CaseInsensitive && strings.ToLower(strings.Join(b, ".")) != strings.Join(b, ".") {
		reasons = append(reasons, "names there ignore case, even quoted")
	}
	return fmt.Sprintf(" on %s (%s and %s are one name there: %s)", ic.d.Name(), strings.Join(a, "."), strings.Join(b, "."), strings.Join(reasons, "; "))
}

// sourceTable is the table a source reads: its table, or one named after
// it, where its seed is loaded.
func sourceTable(s *models.Source) []string {
	if s.Table != nil {
		return s.Table
	}
	return []string{s.Name}
}

func tableRange(s *models.Source) hcl.Range {
	if s.Table != nil {
		return s.TableRange
	}
	return s.DeclRange
}

// clip cuts a name to at most n bytes, at a character boundary, as
// PostgreSQL does.
func clip(name string, n int) string {
	if len(name) <= n {
		return name
	}
	for n > 0 && name[n]&0xC0 == 0x80 {
		n--
	}
	return name[:n]
}
