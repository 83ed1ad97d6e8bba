// Package format gives a project's HCL files their canonical layout, for
// `strata fmt`: hclwrite's (two-space indents, the = of consecutive
// attributes aligned, one space around operators), then one blank line
// between top-level blocks and never two in a row. It keeps every
// comment, sorts nothing and leaves heredocs (a model's SQL) and block
// comments byte for byte as they are. Formatting a formatted file
// changes nothing.
//
// It does not check what the file means, only that it parses: a file
// with syntax errors is returned with the diagnostics, unchanged.
package format

import (
	"bytes"
	"regexp"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Source formats one file's bytes; filename is for diagnostics.
func Source(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	if _, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos); diags.HasErrors() {
		return src, diags
	}
	out := hclwrite.Format(src)
	out = spaceBlocks(out, filename)
	// hclwrite aligns the comments of adjacent lines, and spaceBlocks may
	// have put a blank line between two: once more settles them.
	out = hclwrite.Format(out)
	return alignOneLineBlocks(out, filename), nil
}

// oneLineBlock is a block written on one line, such as
// column "plan" { type = string }: its header, and the rest from the brace.
var oneLineBlock = regexp.MustCompile(`^(\s*[A-Za-z_][A-Za-z0-9_-]*(?: "(?:[^"\\]|\\.)*")*) (\{ .* \})\n?$`)

// alignOneLineBlocks aligns the braces of consecutive one-line blocks at
// one indentation, as the columns of a source are usually written (and as
// strata source add writes them):
//
//	column "customer_id"  { type = string }
//	column "signed_up_at" { type = timestamp }
func alignOneLineBlocks(src []byte, filename string) []byte {
	lines := bytes.SplitAfter(src, []byte("\n"))
	verbatim := verbatimLines(src, filename, len(lines))
	var out bytes.Buffer
	for i := 0; i < len(lines); {
		m := oneLineBlock.FindSubmatch(lines[i])
		if m == nil || verbatim[i+1] {
			out.Write(lines[i])
			i++
			continue
		}
		indent := len(m[1]) - len(bytes.TrimLeft(m[1], " "))
		j, width := i, 0
		for ; j < len(lines) && !verbatim[j+1]; j++ {
			mj := oneLineBlock.FindSubmatch(lines[j])
			if mj == nil || len(mj[1])-len(bytes.TrimLeft(mj[1], " ")) != indent {
				break
			}
			width = max(width, utf8.RuneCount(mj[1]))
		}
		for ; i < j; i++ {
			mi := oneLineBlock.FindSubmatch(lines[i])
			out.Write(mi[1])
			out.Write(bytes.Repeat([]byte(" "), width-utf8.RuneCount(mi[1])+1))
			out.Write(mi[2])
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}

// verbatimLines marks, by 1-based line number, the lines inside heredocs
// and block comments, which formatting leaves as they are.
func verbatimLines(src []byte, filename string, n int) []bool {
	keep := make([]bool, n+2)
	tokens, _ := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	for i, t := range tokens {
		switch t.Type {
		case hclsyntax.TokenOHeredoc:
			end := t.Range.End.Line
			for j := i + 1; j < len(tokens); j++ {
				if tokens[j].Type == hclsyntax.TokenCHeredoc {
					end = tokens[j].Range.End.Line
					break
				}
			}
			for l := t.Range.Start.Line + 1; l <= end && l < len(keep); l++ {
				keep[l] = true
			}
		case hclsyntax.TokenComment:
			// A # or // comment holds its line's newline, so it ends on the
			// next line; only the inside of a /* */ comment is kept.
			if bytes.HasPrefix(t.Bytes, []byte("/*")) {
				for l := t.Range.Start.Line + 1; l <= t.Range.End.Line && l < len(keep); l++ {
					keep[l] = true
				}
			}
		}
	}
	return keep
}

// spaceBlocks puts exactly one blank line between top-level blocks (and
// before a comment that precedes one), removes runs of blank lines and
// blank lines at the start and end, and leaves the lines of heredocs and
// block comments alone.
func spaceBlocks(src []byte, filename string) []byte {
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return src
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	keep := verbatimLines(src, filename, len(lines))
	// The lines where a top-level block ends: a blank line follows each.
	blockEnds := map[int]bool{}
	for _, b := range file.Body.(*hclsyntax.Body).Blocks {
		blockEnds[b.Range().End.Line] = true
	}
	var out bytes.Buffer
	blank := func(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }
	pendingBlank := false
	for i, line := range lines {
		n := i + 1
		if keep[n] {
			out.Write(line)
			continue
		}
		if blank(line) {
			pendingBlank = out.Len() > 0
			continue
		}
		if pendingBlank {
			out.WriteByte('\n')
		}
		pendingBlank = false
		out.Write(line)
		if blockEnds[n] {
			pendingBlank = true
		}
	}
	b := out.Bytes()
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	return b
}
