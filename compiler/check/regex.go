package check

import (
	"fmt"
	"regexp/syntax"
	"strings"
)

// checkPattern checks the pattern of matches() when it is written
// literally. The pattern must parse as RE2 (the syntax DuckDB uses) and
// keep to the part of it that PostgreSQL's regular expressions read the
// same way, so that a rule matches the same rows on every engine: \b is a
// word boundary in RE2 but a backspace in PostgreSQL, \pL and \Q...\E do
// not exist there, and flags such as (?i) are accepted only at the start.
// It returns "" for a good pattern, else what is wrong and how to fix it.
func checkPattern(pattern string) string {
	if _, err := syntax.Parse(pattern, syntax.Perl); err != nil {
		msg := err.Error()
		if e, ok := err.(*syntax.Error); ok {
			msg = fmt.Sprintf("%s in %q", strings.TrimPrefix(string(e.Code), "invalid "), e.Expr)
			msg = strings.ToUpper(msg[:1]) + msg[1:]
		}
		return fmt.Sprintf("%q is not a regular expression: %s. matches() takes RE2 syntax (https://github.com/google/re2/wiki/Syntax).", pattern, msg)
	}
	for i := 0; i < len(pattern); i++ {
		switch {
		case pattern[i] == '\\' && i+1 < len(pattern):
			esc := pattern[i+1]
			if why, bad := unportableEscapes[esc]; bad {
				return fmt.Sprintf("\\%c in %q %s; warehouses read it differently, so a rule would match different rows on each. Rewrite the pattern without it.", esc, pattern, why)
			}
			i++
		case strings.HasPrefix(pattern[i:], "(?P<"), strings.HasPrefix(pattern[i:], "(?<"):
			return fmt.Sprintf("%q names a group; PostgreSQL has no named groups. Use (...) or (?:...).", pattern)
		case strings.HasPrefix(pattern[i:], "(?") && i+2 < len(pattern) && pattern[i+2] != ':' && i > 0:
			return fmt.Sprintf("%q sets flags after its start; PostgreSQL reads flags such as (?i) only at the very start of a pattern. Move them there.", pattern)
		}
	}
	return ""
}

var unportableEscapes = map[byte]string{
	'b': "is a word boundary in RE2 but a backspace in PostgreSQL",
	'B': "is a non-word-boundary in RE2 but a backslash in PostgreSQL",
	'A': "(start of text) is not read the same way by every engine; use ^",
	'z': "(end of text) is not read the same way by every engine; use $",
	'Q': "(quote until \\E) does not exist in PostgreSQL",
	'E': "(end of \\Q) does not exist in PostgreSQL",
	'p': "(a Unicode class) does not exist in PostgreSQL",
	'P': "(a negated Unicode class) does not exist in PostgreSQL",
	'C': "(any byte) does not exist in PostgreSQL",
}
