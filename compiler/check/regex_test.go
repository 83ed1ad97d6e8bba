package check

import (
	"strings"
	"testing"
)

func TestCheckPattern(t *testing.T) {
	for pattern, want := range map[string]string{
		`^acme`:                  "",
		`(?i)^acme\.com$`:        "",
		`[[:alpha:]]+\d{2,3}`:    "",
		`a|b(c)?(?:d)*`:          "",
		`\x41\n\t\.`:             "",
		`(unclosed`:              "closing )",
		`a**`:                    "Nested repetition",
		`[z-a]`:                  "Character class range",
		`\bword\b`:               "word boundary in RE2 but a backspace",
		`\pL+`:                   "Unicode class",
		`\Qa.b\E`:                "does not exist in PostgreSQL",
		`a(?i)b`:                 "only at the very start",
		`(?P<year>\d{4})`:        "names a group",
		`\1`:                     "Escape sequence",
		`x\z`:                    "use $",
		`(?i)ok(?:fine)(?:also)`: "",
	} {
		got := checkPattern(pattern)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("checkPattern(%q) = %q, want it to say %q", pattern, got, want)
		}
	}
}
