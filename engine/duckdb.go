package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "github.com/marcboeker/go-duckdb/v2" // registers the "duckdb" driver

	"github.com/strata-analytics/strata/sqltree"
)

// DuckDB is an embedded DuckDB database file.
type DuckDB struct {
	db *sql.DB
}

// OpenDuckDB opens (creating if needed) a DuckDB file; "" opens an
// in-memory database.
func OpenDuckDB(path string) (*DuckDB, error) {
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return nil, &Error{Step: "opening " + path, Err: err}
	}
	// One connection: DuckDB's transactions and temporary state are per
	// connection, and the CLI does one thing at a time.
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, &Error{Step: "opening " + path, Err: err}
	}
	return &DuckDB{db: db}, nil
}

// DB is the underlying connection pool, for tests and tools.
func (d *DuckDB) DB() *sql.DB { return d.db }

// Apply runs statements in one transaction.
func (d *DuckDB) Apply(ctx context.Context, statements []string) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return &Error{Step: "starting a transaction", Err: err}
	}
	defer tx.Rollback() // a no-op after Commit
	if err := runEach(statements, func(sql string) error { _, err := tx.ExecContext(ctx, sql); return err }); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return &Error{Step: "committing", Err: err}
	}
	return nil
}

// Trial runs statements and then queries in a transaction it rolls back.
func (d *DuckDB) Trial(ctx context.Context, statements, queries []string) ([]*Rows, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, &Error{Step: "starting a transaction", Err: err}
	}
	defer tx.Rollback()
	if err := runEach(statements, func(sql string) error { _, err := tx.ExecContext(ctx, sql); return err }); err != nil {
		return nil, err
	}
	var out []*Rows
	for _, q := range queries {
		rows, err := tx.QueryContext(ctx, q)
		if err != nil {
			return nil, &Error{Step: "running " + firstLine(q), Err: err}
		}
		r, err := readRows(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (d *DuckDB) Close() error { return d.db.Close() }

// Build loads the seeds and creates the views. Each seed is first loaded
// into a staging table next to its own (committed on its own, invisible to
// the views), then one transaction swaps the staging tables in, creates
// the views, runs the checks and the summary, and commits: on any error
// nothing visible changes. Staging first matters for speed: DuckDB scans
// rows written in the open transaction about twice as slowly as committed
// ones, and the checks and the summary scan every seed.
func (d *DuckDB) Build(ctx context.Context, in BuildInput) (report *BuildReport, err error) {
	report = &BuildReport{}
	staged, err := d.stageSeeds(ctx, in, report)
	defer func() {
		if err != nil {
			staged.discard(ctx, d.db)
		}
	}()
	if err != nil {
		return nil, err
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, &Error{Step: "starting a transaction", Err: err}
	}
	defer tx.Rollback() // a no-op after Commit
	query := func(sql string) (*Rows, error) {
		rows, err := tx.QueryContext(ctx, sql)
		if err != nil {
			return nil, err
		}
		return readRows(rows)
	}
	for _, st := range staged.tables {
		progress(in, "replacing %s", strings.Join(st.table, "."))
		if _, err := tx.ExecContext(ctx, render(&sqltree.DropTable{Name: st.table, IfExists: true}, duck)+
			render(&sqltree.RenameTable{Name: st.staging, To: st.table[len(st.table)-1]}, duck)); err != nil {
			return nil, &Error{Step: "replacing " + strings.Join(st.table, "."), Err: err}
		}
	}
	exec := func(sql string) error { _, err := tx.ExecContext(ctx, sql); return err }
	if err := execViews(in, duck, exec, query); err != nil {
		return nil, err
	}
	if err := runChecks(in, func(sql string) (int64, string, error) {
		return countAndExample(tx.QueryRowContext(ctx, sql))
	}); err != nil {
		return nil, err
	}
	if err := execSnapshot(in, exec); err != nil {
		return nil, err
	}
	report.Views = len(in.Compiled.Views)
	if err := summarize(in, query); err != nil {
		return nil, err
	}
	progress(in, "committing")
	if err := tx.Commit(); err != nil {
		return nil, &Error{Step: "committing", Err: err}
	}
	staged.tables = nil // swapped in: nothing to discard
	return report, nil
}

// stagedSeeds are seed tables loaded under staging names, and the schemas
// created for them, to drop if the build fails.
type stagedSeeds struct {
	tables  []stagedTable
	schemas [][]string
}

type stagedTable struct {
	table, staging []string
}

// stagingName is the name a seed table is loaded under before the build's
// transaction swaps it in. The prefix is reserved.
func stagingName(table []string) []string {
	out := append([]string{}, table...)
	out[len(out)-1] = "__strata_seed_" + out[len(out)-1]
	return out
}

// stageSeeds loads every seed file into its staging table, each in its own
// transaction.
func (d *DuckDB) stageSeeds(ctx context.Context, in BuildInput, report *BuildReport) (*stagedSeeds, error) {
	staged := &stagedSeeds{}
	for _, s := range seedSources(in) {
		step := fmt.Sprintf("loading seed %s from %s", s.Name, s.File)
		progress(in, "%s", step)
		header, diags := CheckSeed(s, in.ProjectDir)
		if diags.HasErrors() {
			return staged, &DataError{Diagnostics: diags}
		}
		query, err := seedSelect(s, in.ProjectDir, header)
		if err != nil {
			return staged, &Error{Step: step, Err: err}
		}
		table := seedTable(s)
		if len(table) > 1 {
			created, err := d.createSchema(ctx, table[:len(table)-1])
			if err != nil {
				return staged, &Error{Step: step, Err: err}
			}
			if created {
				staged.schemas = append(staged.schemas, table[:len(table)-1])
			}
		}
		st := stagedTable{table: table, staging: stagingName(table)}
		staged.tables = append(staged.tables, st)
		if _, err := d.db.ExecContext(ctx, render(&sqltree.CreateTableAs{Name: st.staging, Query: query, OrReplace: true}, duck)); err != nil {
			return staged, seedFailure(s, in, step, err)
		}
		var n int64
		if err := d.db.QueryRowContext(ctx, renderQuery(countRows(st.staging), duck)).Scan(&n); err != nil {
			return staged, &Error{Step: step, Err: err}
		}
		report.Seeds = append(report.Seeds, SeedReport{Source: s.Name, File: s.File, Rows: n})
	}
	return staged, nil
}

// createSchema creates a schema and reports whether it did not exist.
func (d *DuckDB) createSchema(ctx context.Context, path []string) (bool, error) {
	var n int
	err := d.db.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = "+duck.QuoteString(path[len(path)-1])).Scan(&n)
	if err != nil {
		return false, err
	}
	if _, err := d.db.ExecContext(ctx, render(&sqltree.CreateSchema{Path: path}, duck)); err != nil {
		return false, err
	}
	return n == 0, nil
}

// discard drops what a failed build staged; the old tables and views were
// never touched. Errors are ignored: a staging table left behind (say,
// by a build killed here) is replaced by the next build.
func (s *stagedSeeds) discard(ctx context.Context, db *sql.DB) {
	if s == nil {
		return
	}
	for _, st := range s.tables {
		db.ExecContext(ctx, render(&sqltree.DropTable{Name: st.staging, IfExists: true}, duck))
	}
	for _, schema := range s.schemas {
		db.ExecContext(ctx, render(&sqltree.DropSchema{Path: schema}, duck))
	}
}

func (d *DuckDB) Query(ctx context.Context, query string) (*Rows, error) {
	rows, err := d.db.QueryContext(ctx, query)
	if err != nil {
		return nil, &Error{Step: "querying", Err: err}
	}
	out, err := readRows(rows)
	if err != nil {
		return nil, &Error{Step: "reading rows", Err: err}
	}
	return out, nil
}

// readRows reads every row of a result and closes it.
func readRows(rows *sql.Rows) (*Rows, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := &Rows{Columns: cols}
	for rows.Next() {
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out.Values = append(out.Values, values)
	}
	return out, rows.Err()
}
