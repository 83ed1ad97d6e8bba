package decode

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// Limits on the size of the input, checked before the HCL parser sees it.
// The parser descends recursively into brackets, templates, unary
// operators and conditionals; without a bound, 100,000 nested parentheses
// exhaust the Go stack and kill the process, which no recover() can
// catch. docs/reliability.md lists these limits.
const (
	// MaxNesting is how deeply brackets, ${...} templates, chained
	// conditionals and runs of unary operators may nest in one file.
	MaxNesting = 100
	// MaxFileBytes is the largest HCL file Strata reads.
	MaxFileBytes = 64 << 20
)

// prescan scans an HCL file's bytes, skipping comments, strings and
// heredocs the way the HCL lexer does, and reports the first place where
// nesting goes deeper than MaxNesting and every NUL character escaped in
// a quoted string (\u0000), which no warehouse accepts in a name or a
// string literal. It never recurses, so any input is safe to scan.
func prescan(src []byte, filename string) hcl.Diagnostics {
	if len(src) > MaxFileBytes {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "File too large",
			Detail: fmt.Sprintf("%s is %d bytes; Strata reads HCL files of at most %d MiB. Split it into several files.",
				filename, len(src), MaxFileBytes>>20),
			Subject: &hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos},
		}}
	}
	s := nestingScanner{src: src, line: 1, col: 1, filename: filename}
	if d := s.scan(); d != nil {
		s.diags = append(s.diags, d)
	}
	return append(rawNULs(src, filename), s.diags...)
}

// maxNULReports bounds the NUL diagnostics of one file: a binary file
// given by mistake holds thousands.
const maxNULReports = 20

// nulDiagnostic is the one message for a NUL character, escaped or raw.
func nulDiagnostic(rng *hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "NUL character in a string",
		Detail:   "Strings and names cannot hold the NUL character (\\u0000): no warehouse stores it in a name or a string literal. Remove it.",
		Subject:  rng,
	}
}

// rawNULs reports the NUL bytes of a file, which HCL would otherwise let
// into strings and heredocs unchanged.
func rawNULs(src []byte, filename string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	pos := hcl.InitialPos
	for i := 0; i < len(src) && len(diags) < maxNULReports; i++ {
		switch {
		case src[i] == 0:
			end := hcl.Pos{Line: pos.Line, Column: pos.Column + 1, Byte: i + 1}
			diags = append(diags, nulDiagnostic(&hcl.Range{Filename: filename, Start: pos, End: end}))
		case src[i] == '\n':
			pos.Line, pos.Column = pos.Line+1, 0
		}
		if src[i]&0xC0 != 0x80 {
			pos.Column++
		}
		pos.Byte = i + 1
	}
	return diags
}

// A context of the scan: code, a bracket, a ${...} inside a template, a
// quoted string or a heredoc.
type nestingContext struct {
	kind   byte   // 'b' bracket, 'i' interpolation, 's' string, 'h' heredoc
	close  byte   // the closing byte of a bracket
	marker string // the end marker of a heredoc
}

type nestingScanner struct {
	filename  string
	diags     hcl.Diagnostics // NUL characters found so far
	src       []byte
	i         int
	line, col int
	stack     []nestingContext
	depth     int // brackets and interpolations open
	ternaries int // "?" seen in the current top-level statement
	unaryRun  int // "!" and "-" in a row, with only spaces between
}

func (s *nestingScanner) top() byte {
	if len(s.stack) == 0 {
		return 0
	}
	return s.stack[len(s.stack)-1].kind
}

// advance moves past n bytes, keeping line and column.
func (s *nestingScanner) advance(n int) {
	for ; n > 0 && s.i < len(s.src); n-- {
		if s.src[s.i] == '\n' {
			s.line++
			s.col = 1
		} else if s.src[s.i]&0xC0 != 0x80 { // count characters, not UTF-8 continuation bytes
			s.col++
		}
		s.i++
	}
}

func (s *nestingScanner) at(prefix string) bool {
	return len(s.src)-s.i >= len(prefix) && string(s.src[s.i:s.i+len(prefix)]) == prefix
}

func (s *nestingScanner) here(width int) *hcl.Range {
	pos := hcl.Pos{Line: s.line, Column: s.col, Byte: s.i}
	end := hcl.Pos{Line: s.line, Column: s.col + width, Byte: s.i + width}
	return &hcl.Range{Filename: s.filename, Start: pos, End: end}
}

func (s *nestingScanner) tooDeep(what string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Nesting too deep",
		Detail: fmt.Sprintf("Here %s nest more than %d levels deep. Strata stops at %d levels so that parsing stays safe and the SQL stays within what warehouses accept. Split the expression into metrics that read each other.",
			what, MaxNesting, MaxNesting),
		Subject: s.here(1),
	}
}

func (s *nestingScanner) push(c nestingContext) {
	s.stack = append(s.stack, c)
	if c.kind == 'b' || c.kind == 'i' {
		s.depth++
	}
}

func (s *nestingScanner) pop() {
	c := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	if c.kind == 'b' || c.kind == 'i' {
		s.depth--
	}
}

func (s *nestingScanner) scan() *hcl.Diagnostic {
	for s.i < len(s.src) {
		switch s.top() {
		case 's':
			s.scanString()
		case 'h':
			s.scanHeredocLine()
		default:
			if d := s.scanCode(); d != nil {
				return d
			}
		}
		if s.depth+s.ternaries > MaxNesting {
			return s.tooDeep("brackets, templates and conditionals")
		}
	}
	return nil
}

// scanCode handles one token's worth of code.
func (s *nestingScanner) scanCode() *hcl.Diagnostic {
	b := s.src[s.i]
	switch {
	case b == '#' || s.at("//"):
		for s.i < len(s.src) && s.src[s.i] != '\n' {
			s.advance(1)
		}
		return nil
	case s.at("/*"):
		s.advance(2)
		for s.i < len(s.src) && !s.at("*/") {
			s.advance(1)
		}
		s.advance(2)
		return nil
	case b == ' ' || b == '\t' || b == '\r':
		s.advance(1)
		return nil
	case b == '\n':
		if s.depth == 0 {
			s.ternaries = 0 // a statement ends at a newline outside brackets
		}
		s.unaryRun = 0
		s.advance(1)
		return nil
	case b == '!' && !s.at("!="), b == '-':
		s.unaryRun++
		if s.unaryRun > MaxNesting {
			return s.tooDeep("operators")
		}
		s.advance(1)
		return nil
	}
	s.unaryRun = 0
	switch {
	case b == '"':
		s.push(nestingContext{kind: 's'})
	case s.at("<<"):
		s.startHeredoc()
		return nil
	case b == '(':
		s.push(nestingContext{kind: 'b', close: ')'})
	case b == '[':
		s.push(nestingContext{kind: 'b', close: ']'})
	case b == '{':
		s.push(nestingContext{kind: 'b', close: '}'})
	case b == ')' || b == ']' || b == '}':
		// Unbalanced closers are the parser's to report.
		if len(s.stack) > 0 {
			if t := s.stack[len(s.stack)-1]; (t.kind == 'b' && t.close == b) || (t.kind == 'i' && b == '}') {
				s.pop()
			}
		}
	case b == '?':
		s.ternaries++
	}
	s.advance(1)
	return nil
}

// scanString handles one piece of a quoted string: an escape, a template
// interpolation, the closing quote or a plain byte.
func (s *nestingScanner) scanString() {
	switch {
	case s.at(`\u0000`), s.at(`\U00000000`):
		width := 6
		if s.at(`\U`) {
			width = 10
		}
		if len(s.diags) < maxNULReports {
			s.diags = append(s.diags, nulDiagnostic(s.here(width)))
		}
		s.advance(width)
	case s.at(`\`):
		s.advance(2)
	case s.at("$${"), s.at("%%{"):
		s.advance(3)
	case s.at("${"), s.at("%{"):
		s.advance(2)
		s.push(nestingContext{kind: 'i'})
	case s.at(`"`):
		s.advance(1)
		s.pop()
	case s.at("\n"): // an unterminated string; the parser reports it
		s.pop()
	default:
		s.advance(1)
	}
}

// startHeredoc reads <<MARKER or <<-MARKER up to the end of its line.
func (s *nestingScanner) startHeredoc() {
	s.advance(2)
	if s.at("-") {
		s.advance(1)
	}
	start := s.i
	for s.i < len(s.src) && isIdentByte(s.src[s.i]) {
		s.advance(1)
	}
	marker := string(s.src[start:s.i])
	if marker == "" {
		return // not a heredoc; the parser reports what it is
	}
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		s.advance(1)
	}
	s.advance(1)
	s.push(nestingContext{kind: 'h', marker: marker})
}

// scanHeredocLine reads heredoc text up to the end of a line, or up to a
// template interpolation; a line holding only the marker ends the heredoc.
func (s *nestingScanner) scanHeredocLine() {
	if s.col == 1 {
		j := s.i
		for j < len(s.src) && (s.src[j] == ' ' || s.src[j] == '\t') {
			j++
		}
		marker := s.stack[len(s.stack)-1].marker
		k := j + len(marker)
		if k <= len(s.src) && string(s.src[j:k]) == marker && (k == len(s.src) || s.src[k] == '\n' || s.src[k] == '\r') {
			s.advance(k - s.i)
			s.pop()
			return
		}
	}
	for s.i < len(s.src) {
		switch {
		case s.at("$${"), s.at("%%{"):
			s.advance(3)
		case s.at("${"), s.at("%{"):
			s.advance(2)
			s.push(nestingContext{kind: 'i'})
			return
		case s.src[s.i] == '\n':
			s.advance(1)
			return
		default:
			s.advance(1)
		}
	}
}

func isIdentByte(b byte) bool {
	return b == '_' || b == '-' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b >= 0x80
}
