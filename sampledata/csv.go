package sampledata

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// The five output files, in the order Generate writes them.
const (
	fileCustomers     = "customers.csv"
	fileSubscriptions = "subscriptions.csv"
	fileEvents        = "events.csv"
	fileTickets       = "tickets.csv"
	fileNPS           = "nps_responses.csv"
)

var headers = [...][2]string{
	{fileCustomers, "customer_id,name,signed_up_at,acquisition_channel,plan,country,company_size,account_status,last_seen_at"},
	{fileSubscriptions, "subscription_id,customer_id,plan,monthly_amount,started_at,ended_at"},
	{fileEvents, "event_id,customer_id,name,occurred_at"},
	{fileTickets, "ticket_id,customer_id,opened_at,priority,status,resolution_hours"},
	{fileNPS, "response_id,customer_id,responded_at,score"},
}

// table is one CSV file being written. Write errors are sticky in
// bufio.Writer, so rows are written without checking and the error, if any,
// surfaces from close.
type table struct {
	name string
	f    *os.File
	w    *bufio.Writer
	rows int
}

func createTable(dir, name, header string) (*table, error) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("sampledata: %w", err)
	}
	t := &table{name: name, f: f, w: bufio.NewWriterSize(f, 256<<10)}
	t.w.WriteString(header)
	t.w.WriteByte('\n')
	return t, nil
}

// write appends one complete row; row must end with '\n'.
func (t *table) write(row []byte) {
	t.w.Write(row)
	t.rows++
}

func (t *table) close() error {
	err := t.w.Flush()
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sampledata: writing %s: %w", t.name, err)
	}
	return nil
}

// appendID appends prefix followed by n zero-padded to width digits.
func appendID(b []byte, prefix byte, n int64, width int) []byte {
	b = append(b, prefix)
	var tmp [20]byte
	d := strconv.AppendInt(tmp[:0], n, 10)
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, d...)
}

// appendField appends s as one CSV field, quoted as RFC 4180 (and
// encoding/csv) require when it holds a comma, quote, line break or leading
// space.
func appendField[T string | []byte](b []byte, s T) []byte {
	quote := len(s) > 0 && (s[0] == ' ' || s[0] == '\t')
	for i := 0; i < len(s) && !quote; i++ {
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n'
	}
	if !quote {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// appendAmount formats a number the way every numeric column is written.
func appendAmount(b []byte, x float64) []byte {
	return strconv.AppendFloat(b, x, 'f', 2, 64)
}

func appendInt(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }
