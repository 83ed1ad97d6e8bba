package dialects

import (
	"sort"

	"github.com/strata-analytics/strata/dialects/duckdb"
	"github.com/strata-analytics/strata/dialects/postgres"
	"github.com/strata-analytics/strata/sqltree"
)

var registry = map[string]sqltree.Dialect{
	"duckdb":   duckdb.Dialect{},
	"postgres": postgres.Dialect{},
}

// Lookup returns the dialect called name.
func Lookup(name string) (sqltree.Dialect, bool) {
	d, ok := registry[name]
	return d, ok
}

// Names lists the known dialects, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
