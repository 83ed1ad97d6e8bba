package models

import "github.com/hashicorp/hcl/v2"

// Materialization is how an output is created in the warehouse: a view
// that computes its rows when read, or a table that holds them, computed
// when built.
type Materialization string

const (
	View  Materialization = "view"
	Table Materialization = "table"
)

// Materializations lists the accepted values.
var Materializations = []Materialization{View, Table}

// The kinds of view that materialization can be set for, as written in
// the project block's materialized = { kind = "table" }.
var ViewKinds = []string{"model", "profile", "segment", "metric", "movements", "cohort", "history", "overlap"}

// Materialize is the project's materialization: a default, and one per
// kind of view.
type Materialize struct {
	Default Materialization // empty: view
	ByKind  map[string]Materialization
	Range   hcl.Range
}

// Choice is a declaration's own materialized = "...", with where it was
// written; empty when the declaration does not say.
type Choice struct {
	As    Materialization
	Range hcl.Range
}

// For is how an output of a kind is created, given the declaration's own
// choice: the declaration's, else the project's for the kind, else the
// project's default, else a view.
func (m Materialize) For(kind string, own Choice) Materialization {
	switch {
	case own.As != "":
		return own.As
	case m.ByKind[kind] != "":
		return m.ByKind[kind]
	case m.Default != "":
		return m.Default
	}
	return View
}
