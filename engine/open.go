package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/strata-analytics/strata/models"
)

// Open connects to a project's target: a DuckDB file relative to the
// project directory, or a server whose connection string is in the
// environment variable the target names.
func Open(ctx context.Context, t *models.Target, projectDir string) (Warehouse, error) {
	switch t.Dialect {
	case "duckdb":
		path := t.Path
		if !filepath.IsAbs(path) {
			path = filepath.Join(projectDir, path)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, &Error{Step: "creating the database directory", Err: err}
		}
		return OpenDuckDB(path)
	case "postgres":
		dsn := os.Getenv(t.ConnectionEnv)
		if dsn == "" {
			return nil, &Error{Step: "connecting to target " + t.Name,
				Err: fmt.Errorf("environment variable %s is empty; set it to the connection string", t.ConnectionEnv)}
		}
		return OpenPostgres(ctx, dsn)
	}
	return nil, &Error{Step: "connecting to target " + t.Name, Err: fmt.Errorf("strata cannot execute on dialect %q; use compile to write its SQL", t.Dialect)}
}
