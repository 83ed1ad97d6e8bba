package engine

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects/postgres"
	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

var pg = postgres.New()

// Postgres is a PostgreSQL server.
type Postgres struct {
	conn *pgx.Conn
}

// OpenPostgres connects with a connection string (a URL or key=value
// pairs). Its errors never hold the connection string or any part of it
// (the driver's own messages quote the user, the database, the host and,
// for a string it cannot parse, the string itself): they say what went
// wrong in words of their own.
func OpenPostgres(ctx context.Context, dsn string) (*Postgres, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, &Error{Step: "connecting to PostgreSQL", Err: errors.New("the connection string cannot be parsed: write it as postgres://user:password@host:port/database or as key=value pairs (host=... user=... dbname=...)")}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, &Error{Step: "connecting to PostgreSQL", Err: errors.New(describeConnectError(err))}
	}
	return &Postgres{conn: conn}, nil
}

// describeConnectError says why a connection failed without quoting the
// connection string: the SQLSTATE class of the server's refusal, or the
// kind of network failure.
func describeConnectError(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "28P01":
			return "the server refused the password (SQLSTATE 28P01)"
		case "28000":
			return "the server refused the user or the client's address (SQLSTATE 28000); check pg_hba.conf and the user"
		case "3D000":
			return "the database does not exist (SQLSTATE 3D000)"
		case "53300":
			return "the server has too many connections (SQLSTATE 53300)"
		}
		return fmt.Sprintf("the server refused the connection (SQLSTATE %s)", pgErr.Code)
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return "the server's host name does not resolve"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			return "nothing listens at the server's address and port (connection refused)"
		case opErr.Timeout():
			return "the server did not answer in time"
		}
		return "the server cannot be reached (" + opErr.Op + " failed)"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "the server did not answer in time"
	}
	var tlsErr *tls.CertificateVerificationError
	if errors.As(err, &tlsErr) {
		return "the server's TLS certificate cannot be verified"
	}
	return "the connection failed (check the host, port, user, password, database and sslmode)"
}

func (p *Postgres) Close() error { return p.conn.Close(context.Background()) }

// Apply runs statements in one transaction.
func (p *Postgres) Apply(ctx context.Context, statements []string) error {
	tx, err := p.conn.Begin(ctx)
	if err != nil {
		return &Error{Step: "starting a transaction", Err: err}
	}
	defer tx.Rollback(ctx) // a no-op after Commit
	if err := runEach(statements, func(sql string) error { _, err := tx.Exec(ctx, sql); return err }); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return &Error{Step: "committing", Err: err}
	}
	return nil
}

// Trial runs statements and then queries in a transaction it rolls back.
func (p *Postgres) Trial(ctx context.Context, statements, queries []string) ([]*Rows, error) {
	tx, err := p.conn.Begin(ctx)
	if err != nil {
		return nil, &Error{Step: "starting a transaction", Err: err}
	}
	defer tx.Rollback(ctx)
	if err := runEach(statements, func(sql string) error { _, err := tx.Exec(ctx, sql); return err }); err != nil {
		return nil, err
	}
	var out []*Rows
	for _, q := range queries {
		rows, err := tx.Query(ctx, q)
		if err != nil {
			return nil, &Error{Step: "running " + firstLine(q), Err: err}
		}
		r, err := readPgRows(rows)
		if err != nil {
			return nil, &Error{Step: "running " + firstLine(q), Err: err}
		}
		out = append(out, r)
	}
	return out, nil
}

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
	exec := func(sql string) error { _, err := tx.Exec(ctx, sql); return err }
	query := func(sql string) (*Rows, error) {
		rows, err := tx.Query(ctx, sql)
		if err != nil {
			return nil, err
		}
		return readPgRows(rows)
	}
	if err := execViews(in, pg, exec, query); err != nil {
		return nil, err
	}
	if err := runChecks(in, func(sql string) (int64, string, error) {
		return countAndExample(tx.QueryRow(ctx, sql))
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
	create := &sqltree.CreateTable{Name: table}
	var names []string
	for _, c := range src.Columns {
		create.Columns = append(create.Columns, sqltree.ColumnDef{Name: c.Name, Type: compiler.SQLType(c.Type)})
		names = append(names, c.Name)
	}
	var stmts []sqltree.Statement
	if len(table) > 1 {
		stmts = append(stmts, &sqltree.CreateSchema{Path: table[:len(table)-1]})
	}
	// CASCADE: views on the old table are this project's and are created
	// again below, inside the same transaction.
	stmts = append(stmts, &sqltree.DropTable{Name: table, IfExists: true, Cascade: true}, create)
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, render(s, pg)); err != nil {
			return 0, &Error{Step: step, Err: err}
		}
	}
	rows, err := reader.QueryContext(ctx, renderQuery(query, duck))
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
