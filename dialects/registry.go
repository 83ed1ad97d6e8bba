package dialects

import (
	"sort"

	"github.com/strata-analytics/strata/dialects/base"
	"github.com/strata-analytics/strata/dialects/bigquery"
	"github.com/strata-analytics/strata/dialects/clickhouse"
	"github.com/strata-analytics/strata/dialects/databricks"
	"github.com/strata-analytics/strata/dialects/duckdb"
	"github.com/strata-analytics/strata/dialects/postgres"
	"github.com/strata-analytics/strata/dialects/redshift"
	"github.com/strata-analytics/strata/dialects/snowflake"
	"github.com/strata-analytics/strata/dialects/trino"
	"github.com/strata-analytics/strata/sqltree"
)

// Dialect is everything Strata knows of a warehouse's SQL: how to print
// for it (sqltree.Dialect), its rules for names, what a target of it
// needs, and whether Strata runs SQL on it. Nothing outside dialects/
// compares a dialect's name.
type Dialect interface {
	sqltree.Dialect
	DisplayName() string
	Rules() base.NameRules
	// StoredName is the name the warehouse stores for an identifier as
	// the dialect writes it (folded, or in lower case where case is
	// ignored), to tell when two names are one.
	StoredName(name string) string
	Needs() base.TargetRules
	Runs() base.Execution
}

var registry = map[string]Dialect{}

func register(d Dialect) { registry[d.Name()] = d }

func init() {
	register(duckdb.New())
	register(postgres.New())
	register(snowflake.New())
	register(bigquery.New())
	register(redshift.New())
	register(databricks.New())
	register(trino.New())
	register(clickhouse.New())
}

// Lookup returns the dialect called name.
func Lookup(name string) (Dialect, bool) {
	d, ok := registry[name]
	return d, ok
}

// Default is the dialect of a project without targets: the embedded one.
func Default() Dialect { return registry["duckdb"] }

// Names lists the known dialects, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
