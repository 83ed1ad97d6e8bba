package engine

import (
	"context"
	"fmt"

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
