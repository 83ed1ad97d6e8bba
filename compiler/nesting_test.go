package compiler

import (
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
			d := checkNesting([]byte(src), "deep.hcl")
			if d == nil || d.Summary != "Nesting too deep" {
				t.Fatalf("want a nesting diagnostic, got %v", d)
			}
			// And Parse reports it instead of crashing.
			_, diags := Parse([]File{{Name: "deep.hcl", Bytes: []byte(src)}})
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
	if d := checkNesting([]byte(src), "ok.hcl"); d != nil {
		t.Fatalf("ordinary input refused: %s", d.Detail)
	}
	at := strings.Repeat("(", MaxNesting) + "1" + strings.Repeat(")", MaxNesting)
	if d := checkNesting([]byte("x = "+at+"\n"), "ok.hcl"); d != nil {
		t.Fatalf("%d levels refused: %s", MaxNesting, d.Detail)
	}
	over := strings.Repeat("(", MaxNesting+1) + "1" + strings.Repeat(")", MaxNesting+1)
	if d := checkNesting([]byte("x = "+over+"\n"), "ok.hcl"); d == nil {
		t.Fatalf("%d levels accepted", MaxNesting+1)
	}
}
