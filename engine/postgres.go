package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects/postgres"
	"github.com/strata-analytics/strata/models"
)

var pg = postgres.Dialect{}

// Postgres is a PostgreSQL server.
type Postgres struct {
	conn *pgx.Conn
}

// OpenPostgres connects with a connection string (a URL or key=value pairs).
func OpenPostgres(ctx context.Context, dsn string) (*Postgres, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, &Error{Step: "connecting to PostgreSQL", Err: err}
	}
	return &Postgres{conn: conn}, nil
}

func (p *Postgres) Close() error { return p.conn.Close(context.Background()) }

// Exec runs statements outside any transaction (tests use it to reset a schema).
func (p *Postgres) Exec(ctx context.Context, sql string) error {
	_, err := p.conn.Exec(ctx, sql)
	return err
}

// Build loads seeds and creates the views in one transaction. Seed files
// are read through an in-memory DuckDB, so CSV and Parquet parse exactly as
// they do on the local target, and copied in with COPY.
func (p *Postgres) Build(ctx context.Context, in BuildInput) (*BuildReport, error) {
	tx, err := p.conn.Begin(ctx)
	if err != nil {
		return nil, &Error{Step: "starting a transaction", Err: err}
	}
	defer tx.Rollback(ctx) // a no-op after Commit
	report := &BuildReport{}
	seeds := seedSources(in)
	if len(seeds) > 0 {
		reader, err := OpenDuckDB("")
		if err != nil {
			return nil, err
		}
		defer reader.Close()
		for _, s := range seeds {
			step := fmt.Sprintf("loading seed %s from %s", s.Name, s.File)
			progress(in, "%s", step)
			n, err := p.copySeed(ctx, tx, reader.db, s, in, step)
			if err != nil {
				return nil, err
			}
			report.Seeds = append(report.Seeds, SeedReport{Source: s.Name, File: s.File, Rows: n})
		}
	}
	if err := execViews(ctx, in, func(sql string) error { _, err := tx.Exec(ctx, sql); return err }); err != nil {
		return nil, err
	}
	if err := runChecks(in, func(sql string) (int64, string, error) {
		var n int64
		var example *string
		err := tx.QueryRow(ctx, sql).Scan(&n, &example)
		return n, deref(example), err
	}); err != nil {
		return nil, err
	}
	report.Views = len(in.Compiled.Views)
	if err := summarize(in, func(sql string) (*Rows, error) {
		rows, err := tx.Query(ctx, sql)
		if err != nil {
			return nil, err
		}
		return readPgRows(rows)
	}); err != nil {
		return nil, err
	}
	progress(in, "committing")
	if err := tx.Commit(ctx); err != nil {
		return nil, &Error{Step: "committing", Err: err}
	}
	return report, nil
}

func (p *Postgres) copySeed(ctx context.Context, tx pgx.Tx, reader *sql.DB, src *models.Source, in BuildInput, step string) (int64, error) {
	table := seedTable(src)
	header, diags := CheckSeed(src, in.ProjectDir)
	if diags.HasErrors() {
		return 0, &DataError{Diagnostics: diags}
	}
	query, err := seedSelect(src, in.ProjectDir, header)
	if err != nil {
		return 0, &Error{Step: step, Err: err}
	}
	var defs, names []string
	for _, c := range src.Columns {
		defs = append(defs, pg.QuoteIdent(c.Name)+" "+pg.TypeName(compiler.SQLType(c.Type)))
		names = append(names, c.Name)
	}
	stmts := []string{}
	if len(table) > 1 {
		stmts = append(stmts, "CREATE SCHEMA IF NOT EXISTS "+quotePath(pg, table[:len(table)-1]))
	}
	// CASCADE: views on the old table are this project's and are created
	// again below, inside the same transaction.
	stmts = append(stmts,
		"DROP TABLE IF EXISTS "+quotePath(pg, table)+" CASCADE",
		"CREATE TABLE "+quotePath(pg, table)+" ("+strings.Join(defs, ", ")+")")
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s); err != nil {
			return 0, &Error{Step: step, Err: err}
		}
	}
	rows, err := reader.QueryContext(ctx, query)
	if err != nil {
		return 0, seedFailure(src, in, step, err)
	}
	defer rows.Close()
	values := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range values {
		ptrs[i] = &values[i]
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier(table), names, pgx.CopyFromFunc(func() ([]any, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		return values, nil
	}))
	if err != nil {
		return 0, seedFailure(src, in, step, err)
	}
	return n, nil
}

func (p *Postgres) Query(ctx context.Context, query string) (*Rows, error) {
	rows, err := p.conn.Query(ctx, query)
	if err != nil {
		return nil, &Error{Step: "querying", Err: err}
	}
	out, err := readPgRows(rows)
	if err != nil {
		return nil, &Error{Step: "reading rows", Err: err}
	}
	return out, nil
}

// readPgRows reads every row of a result and closes it.
func readPgRows(rows pgx.Rows) (*Rows, error) {
	defer rows.Close()
	out := &Rows{}
	for _, f := range rows.FieldDescriptions() {
		out.Columns = append(out.Columns, f.Name)
	}
	for rows.Next() {
		values, err := rows.Values()
		if err != nil {
			return nil, err
		}
		out.Values = append(out.Values, values)
	}
	return out, rows.Err()
}
