package decode

import (
	"fmt"
	"strings"
	"testing"
)

// Input nested beyond MaxNesting is refused with a diagnostic before the
// parser, which would otherwise exhaust the stack, sees it.
func TestNestingLimit(t *testing.T) {
	deep := 100000
	cases := map[string]string{
		"parentheses":  "metric \"m\" { value = " + strings.Repeat("(", deep) + "1" + strings.Repeat(")", deep) + " }\n",
		"brackets":     "x = " + strings.Repeat("[", deep) + strings.Repeat("]", deep) + "\n",
		"not":          "segment \"s\" { where = " + strings.Repeat("!", deep) + "true }\n",
		"minus":        "metric \"m\" { value = " + strings.Repeat("- ", deep) + "1 }\n",
		"conditionals": "metric \"m\" { value = " + strings.Repeat("true ? 1 : ", deep) + "2 }\n",
		"templates":    "x = " + strings.Repeat(`"${`, deep) + "1" + strings.Repeat(`}"`, deep) + "\n",
		"heredoc":      "x = <<EOT\n" + strings.Repeat("${(", deep) + "\nEOT\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			diags := prescan([]byte(src), "deep.hcl")
			if len(diags) != 1 || diags[0].Summary != "Nesting too deep" {
				t.Fatalf("want a nesting diagnostic, got %v", diags)
			}
			// And Parse reports it instead of crashing.
			_, diags = Files([]File{{Name: "deep.hcl", Bytes: []byte(src)}})
			if !diags.HasErrors() || !strings.Contains(diags.Error(), "Nesting too deep") {
				t.Fatalf("Parse: %v", diags)
			}
		})
	}
}

// Ordinary files, with brackets, operators and "?" inside strings,
// comments and heredocs, are not refused.
func TestNestingAllowsOrdinaryInput(t *testing.T) {
	src := `# (((((( not code
/* [[[[[[ */
metric "m" {
  description = "((((((((((( ?????? !!!!!! ${"${1}"}"
  value       = sum(x) - -1 + (1 - (2 - (3)))
  where       = a != b && !(c == "d") ? true : false
}
model "x" {
  sql = <<-SQL
    SELECT ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1
    -- ----------------------------------------------------------------------------------------------------------------
  SQL
}
` + strings.Repeat("segment \"s\" { where = a ? b : c }\n", 500)
	if diags := prescan([]byte(src), "ok.hcl"); diags != nil {
		t.Fatalf("ordinary input refused: %v", diags)
	}
	at := strings.Repeat("(", MaxNesting) + "1" + strings.Repeat(")", MaxNesting)
	if diags := prescan([]byte("x = "+at+"\n"), "ok.hcl"); diags != nil {
		t.Fatalf("%d levels refused: %v", MaxNesting, diags)
	}
	over := strings.Repeat("(", MaxNesting+1) + "1" + strings.Repeat(")", MaxNesting+1)
	if diags := prescan([]byte("x = "+over+"\n"), "ok.hcl"); diags == nil {
		t.Fatalf("%d levels accepted", MaxNesting+1)
	}
}

// NUL characters escaped in strings are reported, every one, with where
// they are; elsewhere (in a comment, or in a heredoc, where escapes are
// not processed) the text \u0000 is harmless.
func TestPrescanNUL(t *testing.T) {
	src := "segment \"a\\u0000b\" {\n  where = name == \"x\\u0000\" || name == \"\\U00000000\"\n}\n# \\u0000\nx = <<EOT\n\\u0000\nEOT\n"
	diags := prescan([]byte(src), "nul.hcl")
	if len(diags) != 3 {
		t.Fatalf("want 3 NUL diagnostics, got %v", diags)
	}
	for i, want := range []string{"1:11", "2:21", "2:41"} {
		got := fmt.Sprintf("%d:%d", diags[i].Subject.Start.Line, diags[i].Subject.Start.Column)
		if diags[i].Summary != "NUL character in a string" || got != want {
			t.Errorf("diagnostic %d at %s (%s), want %s", i, got, diags[i].Summary, want)
		}
	}
}

func TestPrescanRawNUL(t *testing.T) {
	src := "project \"x\" {\n  description = \"a\x00b\"\n}\nx = <<EOT\n\x00\nEOT\n" + strings.Repeat("\x00", 1000)
	diags := prescan([]byte(src), "nul.hcl")
	if len(diags) != maxNULReports {
		t.Fatalf("want %d NUL diagnostics (the cap), got %d", maxNULReports, len(diags))
	}
	for i, want := range []string{"2:19", "5:1", "7:1", "7:2"} {
		got := fmt.Sprintf("%d:%d", diags[i].Subject.Start.Line, diags[i].Subject.Start.Column)
		if got != want {
			t.Errorf("diagnostic %d at %s, want %s", i, got, want)
		}
	}
}
