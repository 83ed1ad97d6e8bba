package decode

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/compiler/diag"
)

// Chunked parsing must decode to exactly what a whole-file parse gives:
// the same declarations with the same ranges, and the same diagnostics.
// Each input is decoded with a cut at every line holding only "}" and
// without cuts.
func FuzzChunkedParse(f *testing.F) {
	addSeeds(f)
	for _, src := range []string{
		// A "}" line that closes a nested block, inside a heredoc and
		// inside a comment: each cut there must fall back to a whole parse.
		"segment \"a\" {\n  tier \"x\" {\n    where = true\n}\n  }\n",
		"model \"m\" {\n  sql = <<-SQL\n    SELECT 1\n}\nsegment \"evil\" { where = true }\nSQL\n}\n",
		"/*\n}\nsegment \"c\" { where = true }\n*/\nsegment \"d\" {\n  where = true\n}\n",
		"a = 1\n}\na = 2\n",
		"segment \"e\" {\n  where = true\n}\r\nsegment \"f\" {\n  where = false\n}",
	} {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		decode := func(cut int) (*Parsed, string) {
			saved := chunkBytes
			chunkBytes = cut
			defer func() { chunkBytes = saved }()
			parsed, diags := Files([]File{{Name: "f.hcl", Bytes: src}})
			return parsed, fmt.Sprintf("%v %v", parsed.SyntaxOK, diag.Sort(diags)) // hcl reports unsupported arguments in map order
		}
		whole, wholeDiags := decode(1 << 30)
		cut, cutDiags := decode(1)
		if wholeDiags != cutDiags {
			t.Errorf("chunked parse reports\n%s\nwhole parse\n%s\nfor:\n%s", cutDiags, wholeDiags, src)
		}
		if !reflect.DeepEqual(whole.Project, cut.Project) {
			t.Errorf("chunked parse decodes to another project than whole parse, for:\n%s", src)
		}
	})
}

// addSeeds seeds a fuzz target with every fixture's HCL and the inputs of
// the compiler's fuzz corpus (broken and hostile HCL).
func addSeeds(f *testing.F) {
	fixtures, _ := filepath.Glob("../../fixtures/*/*.hcl")
	for _, p := range fixtures {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	corpus, _ := filepath.Glob("../testdata/fuzz/FuzzCompile/*")
	for _, p := range corpus {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if quoted, ok := strings.CutPrefix(line, "[]byte("); ok {
				if src, err := strconv.Unquote(strings.TrimSuffix(quoted, ")")); err == nil {
					f.Add([]byte(src))
				}
			}
		}
	}
}

// Chunks cover the file, in order, and each but the last ends after a
// line holding only "}".
func TestChunksCoverTheFile(t *testing.T) {
	src := []byte("a {\n}\nb {\n  c {\n  }\n}\r\nd {\n}")
	saved := chunkBytes
	chunkBytes = 1
	defer func() { chunkBytes = saved }()
	var joined []byte
	var starts []string
	for _, c := range chunks(0, src) {
		if !bytes.Equal(src[c.start.Byte:c.start.Byte+len(c.bytes)], c.bytes) {
			t.Errorf("chunk at %d does not hold the file's bytes there", c.start.Byte)
		}
		joined = append(joined, c.bytes...)
		starts = append(starts, fmt.Sprintf("%d:%d@%d", c.start.Line, c.start.Column, c.start.Byte))
	}
	if !bytes.Equal(joined, src) {
		t.Errorf("chunks join to %q", joined)
	}
	if got := strings.Join(starts, " "); got != "1:1@0 3:1@6 7:1@23" {
		t.Errorf("chunk starts: %s", got)
	}
}
