package engine

import (
	"context"
	"database/sql"
	"fmt"

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

func (d *DuckDB) Close() error { return d.db.Close() }

func (d *DuckDB) Build(ctx context.Context, in BuildInput) (*BuildReport, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, &Error{Step: "starting a transaction", Err: err}
	}
	defer tx.Rollback() // a no-op after Commit
	report := &BuildReport{}
	query := func(sql string) (*Rows, error) {
		rows, err := tx.QueryContext(ctx, sql)
		if err != nil {
			return nil, err
		}
		return readRows(rows)
	}
	for _, s := range seedSources(in) {
		step := fmt.Sprintf("loading seed %s from %s", s.Name, s.File)
		progress(in, "%s", step)
		header, diags := CheckSeed(s, in.ProjectDir)
		if diags.HasErrors() {
			return nil, &DataError{Diagnostics: diags}
		}
		query, err := seedSelect(s, in.ProjectDir, header)
		if err != nil {
			return nil, &Error{Step: step, Err: err}
		}
		table := seedTable(s)
		if len(table) > 1 {
			if _, err := tx.ExecContext(ctx, render(&sqltree.CreateSchema{Path: table[:len(table)-1]}, duck)); err != nil {
				return nil, &Error{Step: step, Err: err}
			}
		}
		if _, err := tx.ExecContext(ctx, render(&sqltree.CreateTableAs{Name: table, Query: query, OrReplace: true}, duck)); err != nil {
			return nil, seedFailure(s, in, step, err)
		}
		var n int64
		if err := tx.QueryRowContext(ctx, renderQuery(countRows(table), duck)).Scan(&n); err != nil {
			return nil, &Error{Step: step, Err: err}
		}
		report.Seeds = append(report.Seeds, SeedReport{Source: s.Name, File: s.File, Rows: n})
	}
	exec := func(sql string) error { _, err := tx.ExecContext(ctx, sql); return err }
	if err := execViews(in, duck, exec, query); err != nil {
		return nil, err
	}
	if err := runChecks(in, func(sql string) (int64, string, error) {
		var n int64
		var example *string
		err := tx.QueryRowContext(ctx, sql).Scan(&n, &example)
		return n, deref(example), err
	}); err != nil {
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
	return report, nil
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
