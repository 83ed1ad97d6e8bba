package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// Export formats.
const (
	FormatCSV     = "csv"
	FormatJSON    = "json"
	FormatParquet = "parquet"
)

// ExportFormats are the formats Export writes, in the order the help lists
// them.
var ExportFormats = []string{FormatCSV, FormatJSON, FormatParquet}

// writeAtomically has write fill a new file beside path and renames it
// to path once complete: a reader of path never sees half a file, and a
// failed export leaves what was there.
func writeAtomically(path string, write func(tmp string) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".strata-*")
	if err != nil {
		return &Error{Step: "creating the export file", Err: err}
	}
	tmp := f.Name()
	f.Close()
	if err := write(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return &Error{Step: "writing " + path, Err: err}
	}
	return nil
}

// Export writes the rows of query to path in format with DuckDB's own
// writers (COPY ... TO): CSV with a header, JSON as one array of objects,
// or Parquet. It returns how many rows it wrote.
func (d *DuckDB) Export(ctx context.Context, query, format, path string) (int64, error) {
	options := map[string]string{
		FormatCSV:     "FORMAT CSV, HEADER TRUE",
		FormatJSON:    "FORMAT JSON, ARRAY TRUE",
		FormatParquet: "FORMAT PARQUET",
	}[format]
	if options == "" {
		return 0, &Error{Step: "exporting", Err: fmt.Errorf("unknown format %q", format)}
	}
	var n int64
	err := writeAtomically(path, func(tmp string) error {
		res, err := d.db.ExecContext(ctx, "COPY ("+query+") TO "+duck.QuoteString(tmp)+" ("+options+")")
		if err != nil {
			return &Error{Step: "exporting to " + path, Err: err}
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}

// Export writes the rows of query to path with PostgreSQL's own CSV
// writer (COPY ... TO STDOUT), a header first. JSON and Parquet need a
// DuckDB target.
func (p *Postgres) Export(ctx context.Context, query, format, path string) (int64, error) {
	if format != FormatCSV {
		return 0, &Error{Step: "exporting", Err: fmt.Errorf("a PostgreSQL target exports CSV only; %s needs a DuckDB target", strconv.Quote(format))}
	}
	var n int64
	err := writeAtomically(path, func(tmp string) error {
		f, err := os.Create(tmp)
		if err != nil {
			return &Error{Step: "exporting to " + path, Err: err}
		}
		tag, err := p.conn.PgConn().CopyTo(ctx, f, "COPY ("+query+") TO STDOUT WITH (FORMAT csv, HEADER true)")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return &Error{Step: "exporting to " + path, Err: err}
		}
		n = tag.RowsAffected()
		return nil
	})
	return n, err
}
