package format

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func TestCanonicalLayout(t *testing.T) {
	in := `# The revenue.
metric "mrr" {
from = source.subscriptions   # billing
    value = sum(monthly_amount)
  valid=[started_at,ended_at]
}
metric "arr" { value = metric.mrr * 12 }



/* A block comment


   keeps its blank lines. */
source "s" {
  table = "raw.s"
  column "id" { type = string }
  column "monthly_amount" { type = number }
  column "note" {
    type = string
  }
}
model "m" {
  sql = <<-SQL
    SELECT   1


    AS x
  SQL
}


`
	want := `# The revenue.
metric "mrr" {
  from  = source.subscriptions # billing
  value = sum(monthly_amount)
  valid = [started_at, ended_at]
}

metric "arr" { value = metric.mrr * 12 }

/* A block comment


   keeps its blank lines. */
source "s" {
  table = "raw.s"
  column "id"             { type = string }
  column "monthly_amount" { type = number }
  column "note" {
    type = string
  }
}

model "m" {
  sql = <<-SQL
    SELECT   1


    AS x
  SQL
}
`
	got, diags := Source([]byte(in), "x.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	again, _ := Source(got, "x.hcl")
	if !bytes.Equal(again, got) {
		t.Errorf("formatting twice changes the file:\n%s", again)
	}
}

func TestSyntaxErrorLeavesTheFile(t *testing.T) {
	in := []byte("metric \"mrr\" {\n  value = \n")
	got, diags := Source(in, "x.hcl")
	if !diags.HasErrors() || !bytes.Equal(got, in) {
		t.Errorf("a file with a syntax error: diags %v, changed %v", diags, !bytes.Equal(got, in))
	}
}

// TestEveryProjectFile formats every .hcl file of the fixtures and
// examples: once formatted, formatting again changes nothing, and the
// file has the same tokens, comments included, but for spacing.
func TestEveryProjectFile(t *testing.T) {
	paths, _ := filepath.Glob("../../fixtures/*/*.hcl")
	more, _ := filepath.Glob("../../examples/*/*.hcl")
	paths = append(paths, more...)
	if len(paths) < 100 {
		t.Fatalf("found %d files", len(paths))
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		checkFormat(t, p, b)
	}
}

func checkFormat(t *testing.T, name string, src []byte) {
	t.Helper()
	once, diags := Source(src, name)
	if diags.HasErrors() {
		return
	}
	twice, _ := Source(once, name)
	if !bytes.Equal(once, twice) {
		t.Errorf("%s: formatting twice changes it:\n%s\n---\n%s", name, once, twice)
	}
	if a, b := tokens(src), tokens(once); a != b {
		t.Errorf("%s: formatting changed the tokens:\n%s\n---\n%s", name, a, b)
	}
}

// tokens is the file's tokens, newlines and spacing aside, one per line.
func tokens(src []byte) string {
	toks, _ := hclsyntax.LexConfig(src, "x.hcl", hcl.InitialPos)
	var out []string
	for _, tok := range toks {
		if tok.Type == hclsyntax.TokenNewline {
			continue
		}
		text := string(tok.Bytes)
		if tok.Type == hclsyntax.TokenComment {
			text = strings.TrimRight(text, " \t\n")
		}
		out = append(out, text)
	}
	return strings.Join(out, "\n")
}

func FuzzFormat(f *testing.F) {
	paths, _ := filepath.Glob("../../examples/saas/*.hcl")
	for _, p := range paths {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Add([]byte("a { b = 1 }\n\n\n\nc \"d\" { e = <<EOT\n\n\nEOT\n}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		checkFormat(t, "fuzz.hcl", src)
	})
}
