package models

import "github.com/hashicorp/hcl/v2"

// Assertion is a rule about the data (an assert block), which
// `strata test --target T` checks on the target's data: one kind of check
// on the rows of a source, a model, or a view the project builds.
type Assertion struct {
	Name        string
	Description string
	// On is the source or model checked; View, when set instead, names a
	// view of the project.
	On        Ref
	View      string
	ViewRange hcl.Range

	// One of these is the check.
	Unique         []Ident   // no two rows share these columns' values (NULLs aside)
	NotNull        []Ident   // these columns are never NULL
	AcceptedValues []Literal // Column holds only these values (or NULL)
	References     Ref       // Column's values are keys of this relation
	ToColumn       Ident     // the referenced column; its primary key by default
	MinRows        *int
	MaxRows        *int
	FreshWithin    *Window        // Column's latest value is at most this old
	Condition      hcl.Expression // every row holds it (NULL does not)
	// Column is what accepted_values, references and fresh are about.
	Column Ident
	// KindRange is where the check is written, for its diagnostics.
	KindRange hcl.Range

	// Severity is "error" (the default: the run fails) or "warning".
	Severity      string
	SeverityRange hcl.Range
	DeclRange     hcl.Range
}
