package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/dialects/base"
	"github.com/strata-analytics/strata/models"
)

// OpenExisting is Open for the commands that read a target: a DuckDB
// file that does not exist is an error, not a new empty database.
func OpenExisting(ctx context.Context, t *models.Target, projectDir string) (Warehouse, error) {
	if d, ok := dialects.Lookup(t.Dialect); ok && d.Runs() == base.EmbeddedDuckDB {
		path := duckDBPath(t, projectDir)
		if _, err := os.Stat(path); os.IsNotExist(err) {
			return nil, &Error{Step: "opening target " + t.Name, Err: fmt.Errorf("%s does not exist: build it first (strata build --target %s)", path, t.Name)}
		}
	}
	return Open(ctx, t, projectDir)
}

// Open connects to a project's target, the way its dialect says Strata
// runs SQL on it: a DuckDB file relative to the project directory, or a
// server whose connection string is in the environment variable the
// target names.
func Open(ctx context.Context, t *models.Target, projectDir string) (Warehouse, error) {
	d, ok := dialects.Lookup(t.Dialect)
	if !ok {
		return nil, &Error{Step: "connecting to target " + t.Name, Err: fmt.Errorf("unknown dialect %q", t.Dialect)}
	}
	switch d.Runs() {
	case base.EmbeddedDuckDB:
		path := duckDBPath(t, projectDir)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, &Error{Step: "creating the database directory", Err: err}
		}
		return OpenDuckDB(path)
	case base.PostgresWire:
		step := fmt.Sprintf("connecting to target %s (connection string in $%s)", t.Name, t.ConnectionEnv)
		dsn := os.Getenv(t.ConnectionEnv)
		if dsn == "" {
			return nil, &Error{Step: step, Err: fmt.Errorf("environment variable %s is empty; set it to the connection string", t.ConnectionEnv)}
		}
		wh, err := OpenPostgres(ctx, dsn)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				e.Step = step // name the variable to fix; never its value
			}
			return nil, err
		}
		return wh, nil
	}
	return nil, &Error{Step: "connecting to target " + t.Name, Err: fmt.Errorf("strata cannot run SQL on %s; use compile to write its SQL", d.DisplayName())}
}

// duckDBPath is a DuckDB target's file: its path, relative to the project
// directory unless absolute.
func duckDBPath(t *models.Target, projectDir string) string {
	if filepath.IsAbs(t.Path) {
		return t.Path
	}
	return filepath.Join(projectDir, t.Path)
}
