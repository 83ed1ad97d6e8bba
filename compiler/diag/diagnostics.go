package diag

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// Sort orders diagnostics by file and position and drops exact
// repeats, so that what is printed does not depend on the order the checks
// ran in.
func Sort(diags hcl.Diagnostics) hcl.Diagnostics {
	out := append(hcl.Diagnostics(nil), diags...)
	sort.SliceStable(out, func(i, j int) bool { return RangeLess(out[i].Subject, out[j].Subject) })
	seen := map[string]bool{}
	unique := out[:0]
	for _, d := range out {
		key := d.Summary + "\x00" + d.Detail
		if d.Subject != nil {
			key += "\x00" + d.Subject.String()
		}
		if !seen[key] {
			seen[key] = true
			unique = append(unique, d)
		}
	}
	return unique
}

// Write prints each diagnostic with its position as
// file:line:col, the source line with the problem underlined, and the
// detail that says how to fix it:
//
//	Error: Unknown metric
//	  --> metrics.hcl:5:24
//	   |
//	 5 | metric "arr" { value = metric.mrrr * 12 }
//	   |                        ^^^^^^^^^^^
//	No metric named "mrrr" is declared. Did you mean "mrr"?
func Write(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics) error {
	var b strings.Builder
	for i, d := range diags {
		if i > 0 {
			b.WriteString("\n")
		}
		severity := "Error"
		if d.Severity == hcl.DiagWarning {
			severity = "Warning"
		}
		fmt.Fprintf(&b, "%s: %s\n", severity, d.Summary)
		if r := d.Subject; r != nil {
			fmt.Fprintf(&b, "  --> %s:%d:%d\n", r.Filename, r.Start.Line, r.Start.Column)
			if f := files[r.Filename]; f != nil {
				writeSnippet(&b, f.Bytes, *r)
			}
		}
		if d.Detail != "" {
			b.WriteString(d.Detail + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeSnippet prints the first line of a range with carets under it.
func writeSnippet(b *strings.Builder, src []byte, r hcl.Range) {
	lines := bytes.Split(src, []byte("\n"))
	if r.Start.Line < 1 || r.Start.Line > len(lines) {
		return
	}
	line := strings.TrimRight(string(lines[r.Start.Line-1]), "\r")
	number := strconv.Itoa(r.Start.Line)
	gutter := strings.Repeat(" ", len(number))
	fmt.Fprintf(b, " %s |\n %s | %s\n", gutter, number, strings.ReplaceAll(line, "\t", " "))
	// Columns count characters; the caret line must too.
	start := max(r.Start.Column-1, 0)
	width := 1
	if r.End.Line == r.Start.Line && r.End.Column > r.Start.Column {
		width = r.End.Column - r.Start.Column
	} else if n := utf8.RuneCountInString(line) - start; n > 0 {
		width = n
	}
	fmt.Fprintf(b, " %s | %s%s\n", gutter, strings.Repeat(" ", start), strings.Repeat("^", width))
}

// RangeLess orders source ranges by file, then by position; a missing
// range comes first.
func RangeLess(a, b *hcl.Range) bool {
	if a == nil || b == nil {
		return b != nil
	}
	if a.Filename != b.Filename {
		return a.Filename < b.Filename
	}
	return a.Start.Byte < b.Start.Byte
}

// At formats a position as file:line:col, for details that point at a
// second place.
func At(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}
