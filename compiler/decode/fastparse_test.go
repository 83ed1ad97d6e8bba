package decode

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// sameAsHCL fails the test unless fastParse either gives up on src or
// returns what hclsyntax.ParseConfig returns: no diagnostics and an equal
// syntax tree, ranges and values included. It says whether fastParse
// parsed src.
func sameAsHCL(t *testing.T, src []byte, start hcl.Pos) bool {
	t.Helper()
	fast, ok := fastParse(src, "f.hcl", start)
	if !ok {
		return false
	}
	file, diags := hclsyntax.ParseConfig(src, "f.hcl", start)
	if diags.HasErrors() {
		t.Fatalf("fastParse accepts what hclsyntax rejects (%v):\n%s", diags, src)
	}
	if want := file.Body.(*hclsyntax.Body); !reflect.DeepEqual(fast, want) {
		t.Fatalf("fastParse and hclsyntax differ at %s, for:\n%s", firstDifference(reflect.ValueOf(fast), reflect.ValueOf(want), "body"), src)
	}
	return true
}

// firstDifference names the first place two syntax trees differ and the
// two values there, for a failure's message.
func firstDifference(a, b reflect.Value, path string) string {
	if a.Kind() != b.Kind() || a.Type() != b.Type() {
		return fmt.Sprintf("%s: %s against %s", path, a.Type(), b.Type())
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			break
		}
		return firstDifference(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !a.Field(i).CanInterface() {
				continue // cty.Value's insides, hclsyntax.Body's hidden items
			}
			if !reflect.DeepEqual(a.Field(i).Interface(), b.Field(i).Interface()) {
				return firstDifference(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)
			}
		}
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			break
		}
		for i := 0; i < a.Len(); i++ {
			if !reflect.DeepEqual(a.Index(i).Interface(), b.Index(i).Interface()) {
				return firstDifference(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		}
	case reflect.Map:
		for _, k := range a.MapKeys() {
			if bv := b.MapIndex(k); bv.IsValid() && !reflect.DeepEqual(a.MapIndex(k).Interface(), bv.Interface()) {
				return firstDifference(a.MapIndex(k), bv, fmt.Sprintf("%s[%v]", path, k))
			}
		}
	}
	return fmt.Sprintf("%s: %#v against %#v", path, a, b)
}

// Every HCL file of the fixtures, the example and the synthetic projects
// parses to hclsyntax's tree, whole and in chunks; the plain ones (no
// heredoc, template or comment block) are all parsed by fastParse.
func TestFastParseMatchesHCL(t *testing.T) {
	paths, _ := filepath.Glob("../../fixtures/*/*.hcl")
	examples, _ := filepath.Glob("../../examples/*/*.hcl")
	paths = append(paths, examples...)
	if len(paths) < 50 {
		t.Fatalf("found only %d HCL files", len(paths))
	}
	parsed := 0
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if sameAsHCL(t, src, hcl.InitialPos) {
			parsed++
		}
		saved := chunkBytes
		chunkBytes = 1
		for _, c := range chunks(0, src) {
			sameAsHCL(t, c.bytes, c.start)
		}
		chunkBytes = saved
	}
	if parsed < len(paths)*2/3 {
		t.Errorf("fastParse parsed %d of %d files; it should take most plain files", parsed, len(paths))
	}
}

// Each construct of the subset, and the nearby ones it leaves to
// hclsyntax.
func TestFastParseSubset(t *testing.T) {
	for _, src := range []string{
		"",
		"\n\n",
		"# only a comment",
		"// a comment\nsegment \"a\" {\n  where = true # why\n}\n",
		"metric \"m\" {\n  value = sum(amount) / count_if(amount > 0)\n  valid = [starts, ends]\n}",
		"segment \"s\" {\n  tier \"high\" { where = metric.m >= 1000 }\n  tier \"low\" {}\n}\n",
		"a = -1 + !b * 2.5e3 - (c % 4) == d != e || f && g < h <= i > j >= k\n",
		"a = x ? \"yes\" : y ? 1 : 2\n",
		"a = f(\n  1,\n  # comment\n  2,\n)\n",
		"a = [\n  \"x\",\n  \"y\"\n]\n",
		"a = \"\"\nb = \"tab\\there \\\"q\\\" \\\\ $ % $x %y\"\n",
		"block ident \"label\" {\n}\n",
		"a = b.c.d\n",
		"a = null\nb = false\nc = 007\nd = 1.50\n",
		"a = name-with-dashes\n",
		"   x   =   1   ",
		"a = f()\nb = g (1)\n",
	} {
		if !sameAsHCL(t, []byte(src), hcl.InitialPos) {
			t.Errorf("fastParse gave up on %q", src)
		}
	}
	for _, src := range []string{
		"a = 1\na = 2\n",        // a duplicate: hclsyntax reports it
		"a = \"${x}\"\n",        // a template
		"a = \"$${x}\"\n",       // an escaped template
		"a = \"\\u00e9\"\n",     // a unicode escape
		"a = \"é\"\n",           // beyond ASCII
		"a = 1\r\n",             // a carriage return
		"/* c */ a = 1\n",       // a comment block
		"a = <<EOT\nx\nEOT\n",   // a heredoc
		"a = { b = 1 }\n",       // an object
		"a = b[0]\n",            // an index
		"a = b.*.c\n",           // a splat
		"a = b.0\n",             // a legacy index
		"a = [for x in y: x]\n", // a for expression
		"a = f(x...)\n",         // an expanded argument
		"a = p::f(x)\n",         // a namespaced function
		"a = 1.2.3\n",           // a bad number
		"a = 1 b = 2\n",         // a missing newline
		"a = b &&\n  c\n",       // a newline inside an expression
		"a {\n  b = 1 }\n",      // a mixed block
		"a { b = 1\n}\n",        // a mixed block
		"a \"x\"\n{\n}\n",       // a brace on the next line
		"a = (1\n",              // unclosed
		"}\n",                   // a stray brace
		"a = 'x'\n",             // single quotes
	} {
		if _, ok := fastParse([]byte(src), "f.hcl", hcl.InitialPos); ok {
			t.Errorf("fastParse parsed %q, which it should leave to hclsyntax", src)
		}
	}
}

// FuzzFastParse: on any input fastParse never panics, and whatever it
// parses, it parses exactly as hclsyntax does.
func FuzzFastParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		sameAsHCL(t, src, hcl.InitialPos)
		sameAsHCL(t, src, hcl.Pos{Line: 7, Column: 1, Byte: 120})
	})
}
