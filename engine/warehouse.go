package engine

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/models"
)

// Warehouse is a database that Strata builds views in.
type Warehouse interface {
	// Build loads the project's seed files and creates every view, in one
	// transaction: on any error nothing changes.
	Build(ctx context.Context, in BuildInput) (*BuildReport, error)
	// Query runs a query and returns all its rows.
	Query(ctx context.Context, sql string) (*Rows, error)
	// Apply runs statements in one transaction: all of them, or, on an
	// error, none.
	Apply(ctx context.Context, statements []string) error
	// Trial runs statements, then queries, in one transaction that it
	// rolls back: what the statements would do, without doing it.
	Trial(ctx context.Context, statements, queries []string) ([]*Rows, error)
	// Export writes the rows of a query to a file in one of
	// ExportFormats, whole or not at all, and returns how many.
	Export(ctx context.Context, query, format, path string) (int64, error)
	Close() error
}

// BuildInput is what a build needs.
type BuildInput struct {
	Project    *models.Project
	ProjectDir string // seed files are relative to it
	Compiled   *compiler.Compiled
	// LoadSeeds loads the sources' local seed files into their tables.
	LoadSeeds bool
	// Progress, when set, is told each step as it starts.
	Progress func(step string)
	// Snapshot, when set, runs after the views and the checks, in the
	// same transaction: the statements that record the segments' members
	// (compiler.RenderSnapshot).
	Snapshot []string
	// Summarize, when set, reads the new views inside the build's
	// transaction, before it commits: if it fails, nothing the build did
	// is visible, so a command never exits with an error and half its
	// work done.
	Summarize func(query func(sql string) (*Rows, error)) error
}

// BuildReport says what a build did.
type BuildReport struct {
	Seeds []SeedReport
	Views int
}

// SeedReport is one loaded seed file.
type SeedReport struct {
	Source string `json:"source"`
	File   string `json:"file"`
	Rows   int64  `json:"rows"`
}

// Rows is a query result, every row read.
type Rows struct {
	Columns []string
	Values  [][]any
}

// Int reads a whole number from a row, as the drivers give one (a count
// is an int64 from DuckDB and PostgreSQL, a HUGEINT sum a *big.Int); 0
// for anything else.
func Int(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case uint64:
		return int64(x)
	case float64:
		return int64(x)
	case *big.Int:
		return x.Int64()
	}
	return 0
}

// Error is a failure of the database, as opposed to an invalid project.
type Error struct {
	Step string // what was being done: "loading seed customers", "creating view x"
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %v", e.Step, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

func progress(in BuildInput, format string, args ...any) {
	if in.Progress != nil {
		in.Progress(fmt.Sprintf(format, args...))
	}
}

// DataError is a build stopped because the data breaks a rule of the
// project: a seed file that does not hold what its source declares, or a
// data check that found violations. Each diagnostic points at the
// declaration that states the rule; the warehouse is left as it was.
type DataError struct {
	Diagnostics hcl.Diagnostics
}

func (e *DataError) Error() string { return e.Diagnostics.Error() }

// seedFailure explains why loading a seed failed: the problems of the
// file, each with its line, when reading it finds them; else the
// database's own error.
func seedFailure(s *models.Source, in BuildInput, step string, err error) error {
	if diags := diagnoseSeed(s, in.ProjectDir); diags.HasErrors() {
		return &DataError{Diagnostics: diags}
	}
	return &Error{Step: step, Err: err}
}

// runChecks runs every data check and fails with all the violated ones.
func runChecks(in BuildInput, query func(sql string) (violations int64, example string, err error)) error {
	var failed hcl.Diagnostics
	for _, ch := range in.Compiled.Checks {
		progress(in, "checking %s", ch.Check.Name)
		n, example, err := query(ch.SQL)
		if err != nil {
			return &Error{Step: "checking " + ch.Check.Name, Err: err}
		}
		if n > 0 {
			failed = append(failed, ch.Check.Diagnostic(n, example))
		}
	}
	if len(failed) > 0 {
		return &DataError{Diagnostics: failed}
	}
	return nil
}

// summarize runs in.Summarize, if any, with the build's transaction.
func summarize(in BuildInput, query func(sql string) (*Rows, error)) error {
	if in.Summarize == nil {
		return nil
	}
	progress(in, "summarising the views")
	if err := in.Summarize(query); err != nil {
		return &Error{Step: "summarising the views", Err: err}
	}
	return nil
}

// countAndExample reads a data check's row: how many rows fail, and one
// of them ("" when none).
func countAndExample(row interface{ Scan(dest ...any) error }) (int64, string, error) {
	var n int64
	var example *string
	if err := row.Scan(&n, &example); err != nil || example == nil {
		return n, "", err
	}
	return n, *example, nil
}
