package engine

import (
	"strings"

	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/sqltree"
)

// execViews creates the schema and then every view or table, in
// dependency order, first dropping what holds a view's name as the other
// kind of object.
func execViews(in BuildInput, d dialects.Dialect, exec func(sql string) error, query func(sql string) (*Rows, error)) error {
	if err := exec(in.Compiled.Schema); err != nil {
		return &Error{Step: "creating the schema", Err: err}
	}
	for _, table := range in.Compiled.Tables {
		if err := exec(table); err != nil {
			return &Error{Step: "creating " + firstLine(table), Err: err}
		}
	}
	existing, err := existingObjects(in, d, query)
	if err != nil {
		return &Error{Step: "reading the schema's views and tables", Err: err}
	}
	for i, v := range in.Compiled.Views {
		what := strings.ToLower(v.Output.View.Object())
		progress(in, "creating %s %d/%d %s", what, i+1, len(in.Compiled.Views), v.Output.Name)
		if drop := dropOtherKind(v.Output.View, existing[objectKey(v.Output.View.Name, d)], d); drop != "" {
			if err := exec(drop); err != nil {
				return &Error{Step: "dropping " + v.Output.Name + " to create it as a " + what, Err: err}
			}
		}
		if err := exec(v.SQL); err != nil {
			return &Error{Step: "creating " + what + " " + v.Output.Name, Err: err}
		}
	}
	return nil
}

// Neither DuckDB nor PostgreSQL replaces a view by a table or a table by
// a view (CREATE OR REPLACE and DROP VIEW both refuse the other kind), so
// when materialized changes between two builds, the build drops the old
// object first, in the same transaction.

// objectKey names a relation as information_schema does: schema and name,
// folded to lower case where the dialect ignores case.
func objectKey(path []string, d dialects.Dialect) string {
	schema, name := d.Rules().DefaultSchema, path[len(path)-1]
	if len(path) > 1 {
		schema = path[len(path)-2]
	}
	key := schema + "\x00" + name
	if d.Rules().CaseInsensitive {
		key = strings.ToLower(key)
	}
	return key
}

// existingObjects reads the kind ("VIEW" or "TABLE") of every relation in
// the schemas the views are created in.
func existingObjects(in BuildInput, d dialects.Dialect, query func(sql string) (*Rows, error)) (map[string]string, error) {
	schemas := map[string]bool{}
	var list []string
	for _, v := range in.Compiled.Views {
		key := objectKey(v.Output.View.Name, d)
		schema := key[:strings.IndexByte(key, 0)]
		if !schemas[schema] {
			schemas[schema] = true
			list = append(list, d.QuoteString(schema))
		}
	}
	out := map[string]string{}
	if len(list) == 0 {
		return out, nil
	}
	rows, err := query("SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema IN (" + strings.Join(list, ", ") + ")")
	if err != nil {
		return nil, err
	}
	for _, r := range rows.Values {
		schema, _ := r[0].(string)
		name, _ := r[1].(string)
		kind, _ := r[2].(string)
		if kind == "BASE TABLE" {
			kind = "TABLE"
		}
		out[objectKey([]string{schema, name}, d)] = kind
	}
	return out, nil
}

// dropOtherKind is the statement that drops what exists under v's name
// when it is not the kind v is created as; empty when there is nothing to
// drop. CASCADE drops the views that read it; they are created again
// after it, in dependency order.
func dropOtherKind(v *sqltree.CreateView, existing string, d dialects.Dialect) string {
	switch {
	case existing == "" || existing == v.Object():
		return ""
	case existing == "VIEW":
		return render(&sqltree.DropView{Name: v.Name, IfExists: true, Cascade: true}, d)
	case existing == "TABLE":
		return render(&sqltree.DropTable{Name: v.Name, IfExists: true, Cascade: true}, d)
	}
	return ""
}

// execSnapshot records the segments' members, when the build was asked to.
func execSnapshot(in BuildInput, exec func(sql string) error) error {
	for i, stmt := range in.Snapshot {
		progress(in, "recording segment members %d/%d", i+1, len(in.Snapshot))
		if err := exec(stmt); err != nil {
			return &Error{Step: "recording the segments' members", Err: err}
		}
	}
	return nil
}

// firstLine is a statement's first line, for a message.
func firstLine(stmt string) string {
	if i := strings.IndexByte(stmt, '\n'); i >= 0 {
		return stmt[:i]
	}
	return stmt
}

// runEach runs statements one after another with exec, in the caller's
// transaction, and names the first that fails.
func runEach(statements []string, exec func(sql string) error) error {
	for _, stmt := range statements {
		if err := exec(stmt); err != nil {
			return &Error{Step: "running " + firstLine(stmt), Err: err}
		}
	}
	return nil
}
