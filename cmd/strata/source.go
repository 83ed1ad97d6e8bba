package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/models"
)

// runSource runs `strata source add FILE`: it reads a data file as the
// build would load it and prints a source block declaring its columns
// with the types every cell reads as, to append to a project file.
func runSource(e *env, args []string) int {
	flags := newFlagSet("source", e)
	name := flags.String("name", "", "the source's name (default: the file's name, lower-cased, with underscores)")
	table := flags.String("table", "", "the warehouse table to load it into (default: raw.NAME)")
	delimiter := flags.String("delimiter", "", `the character between fields, or "whitespace" (default: the file's: a comma, a tab for .tsv)`)
	dateFormat := flags.String("date-format", "", "how dates are written, in strptime codes such as %Y%m%d (default: YYYY-MM-DD)")
	nulls := flags.String("null", "", "cells that mean NULL besides blank ones, comma-separated (NA,-)")
	positional, err := parseCommand(flags, args)
	if err != nil {
		return e.flagError(err)
	}
	if len(positional) != 2 || positional[0] != "add" {
		return e.fail(exitUsage, "source: usage: strata source add FILE [--name NAME] [--table SCHEMA.TABLE]")
	}
	file, err := filepath.Abs(positional[1])
	if err != nil {
		return e.fail(exitUsage, "source add: %v", err)
	}
	project, err := filepath.Abs(e.project)
	if err != nil {
		return e.fail(exitUsage, "source add: %v", err)
	}
	var format *models.SeedFormat
	if *delimiter != "" || *dateFormat != "" || *nulls != "" {
		format = &models.SeedFormat{DateFormat: *dateFormat}
		switch {
		case *delimiter == "whitespace":
			format.Whitespace = true
		case *delimiter == "" || utf8.RuneCountInString(*delimiter) == 1 && *delimiter != `"`:
			format.Delimiter = *delimiter
		default:
			return e.fail(exitUsage, "source add: --delimiter is one character, or whitespace")
		}
		if bad := models.UnsupportedDateCode(*dateFormat); bad != "" {
			return e.fail(exitUsage, "source add: --date-format takes %%Y %%m %%d %%H %%M %%S and %%%%; %s is not one of them", bad)
		}
		if *nulls != "" {
			format.Null = strings.Split(*nulls, ",")
		}
	}
	detected, diags := engine.DetectColumns(context.Background(), file, project, format)
	if diags.HasErrors() {
		e.printDiagnostics(nil, diags)
		return exitInvalid
	}
	if *name == "" {
		*name = sourceName(file)
	}
	if *table == "" {
		*table = "raw." + *name
	}
	rel, err := filepath.Rel(project, file)
	if err != nil {
		rel = file
	}
	block := sourceBlock(*name, *table, filepath.ToSlash(rel), format, detected)
	if e.json {
		return e.printJSON(map[string]any{"name": *name, "table": *table, "file": filepath.ToSlash(rel),
			"rows": detected.Rows, "columns": detected.Columns, "hcl": block})
	}
	fmt.Fprint(e.stdout, block)
	return exitOK
}

var notNameChars = regexp.MustCompile(`[^a-z0-9_]+`)

// sourceName makes a source name of a file's name: Telco-Customer-Churn.csv
// is telco_customer_churn.
func sourceName(file string) string {
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	name := strings.Trim(notNameChars.ReplaceAllString(strings.ToLower(base), "_"), "_")
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		name = "source_" + name
	}
	return name
}

// sourceBlock writes the source block, aligned as strata's own examples
// are: a primary key when a column named like an id has a value on every
// row and no repeat, and a note on the columns with blank cells.
func sourceBlock(name, table, file string, format *models.SeedFormat, d *engine.DetectedFile) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Declared by `strata source add` from %s: %s rows.\n", filepath.Base(file), formatCount(d.Rows))
	fmt.Fprintf(&b, "source %s {\n", hclString(name))
	attrs := [][2]string{{"table", hclString(table)}, {"file", hclString(file)}}
	for _, c := range d.Columns {
		if c.Unique && looksLikeID(c.Name) {
			attrs = append(attrs, [2]string{"primary_key", hclName(c.Name)})
			break
		}
	}
	writeAttributes(&b, "  ", attrs)
	if format != nil {
		var lines [][2]string
		switch {
		case format.Whitespace:
			lines = append(lines, [2]string{"delimiter", hclString("whitespace")})
		case format.Delimiter != "":
			lines = append(lines, [2]string{"delimiter", hclString(format.Delimiter)})
		}
		if len(format.Null) > 0 {
			quoted := make([]string, len(format.Null))
			for i, n := range format.Null {
				quoted[i] = hclString(n)
			}
			lines = append(lines, [2]string{"null", "[" + strings.Join(quoted, ", ") + "]"})
		}
		if format.DateFormat != "" {
			lines = append(lines, [2]string{"date_format", hclString(format.DateFormat)})
		}
		b.WriteString("  format {\n")
		writeAttributes(&b, "    ", lines)
		b.WriteString("  }\n")
	}
	b.WriteString("\n")
	labelWidth := 0
	for _, c := range d.Columns {
		labelWidth = max(labelWidth, len(hclString(c.Name)))
	}
	for _, c := range d.Columns {
		line := fmt.Sprintf("  column %-*s { type = %s }", labelWidth, hclString(c.Name), c.Type)
		if c.Blank > 0 {
			line += fmt.Sprintf(" # %s blank cells: NULL", formatCount(c.Blank))
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// writeAttributes writes name = value lines at indent, the = aligned.
func writeAttributes(b *strings.Builder, indent string, attrs [][2]string) {
	width := 0
	for _, a := range attrs {
		width = max(width, len(a[0]))
	}
	for _, a := range attrs {
		fmt.Fprintf(b, "%s%-*s = %s\n", indent, width, a[0], a[1])
	}
}

func looksLikeID(name string) bool {
	n := strings.ToLower(name)
	return n == "id" || strings.HasSuffix(n, "id") || strings.HasSuffix(n, "_key")
}

// hclName is a column name as a bare word when HCL reads it as one, else
// as a string.
func hclName(name string) string {
	if hclsyntax.ValidIdentifier(name) {
		return name
	}
	return hclString(name)
}

// hclString quotes s as an HCL string literal: quotes, backslashes and
// control characters escaped, and ${ and %{ doubled so that they stay text.
func hclString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
