package decode

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestFittingContentIsContent: on every body of every project file in
// the repository (fixtures, error cases, examples) and every schema, the
// shortcut gives what hclsyntax's Content gives, and declines only
// bodies that Content finds a problem with.
func TestFittingContentIsContent(t *testing.T) {
	schemas := []*hcl.BodySchema{fileSchema, projectSchema, targetSchema, sourceSchema, formatSchema, modelSchema, modelDialectSchema,
		columnSchema, entitySchema, metricSchema, segmentSchema, tierSchema, cohortSchema, assertionSchema, testSchema, givenSchema, testExpectSchema,
		{Blocks: []hcl.BlockHeaderSchema{{Type: "tier", LabelNames: []string{"name", "extra"}}}}}
	var files []string
	for _, root := range []string{"../../fixtures", "../../examples"} {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(path, ".hcl") {
				files = append(files, path)
			}
			return nil
		})
	}
	if len(files) < 100 {
		t.Fatalf("found %d project files", len(files))
	}
	fitted, declined := 0, 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		file, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
		if diags.HasErrors() {
			continue // the files of syntax error cases
		}
		var walk func(body *hclsyntax.Body)
		walk = func(body *hclsyntax.Body) {
			for _, schema := range schemas {
				want, wantDiags := body.Content(schema)
				got := fittingContent(body, schema)
				switch {
				case got == nil && !wantDiags.HasErrors():
					t.Errorf("%s:%d: the shortcut declined a body that fits", path, body.SrcRange.Start.Line)
				case got == nil:
					declined++
				case wantDiags.HasErrors():
					t.Errorf("%s:%d: the shortcut took a body Content finds wrong: %v", path, body.SrcRange.Start.Line, wantDiags)
				case !reflect.DeepEqual(got, want):
					t.Errorf("%s:%d: the shortcut's content differs:\n%#v\nContent's:\n%#v", path, body.SrcRange.Start.Line, got, want)
				default:
					fitted++
				}
			}
			for _, b := range body.Blocks {
				walk(b.Body)
			}
		}
		walk(file.Body.(*hclsyntax.Body))
	}
	if fitted < 1000 || declined < 1000 {
		t.Errorf("%d bodies fitted and %d did not: the test covers too little", fitted, declined)
	}
	t.Logf("%d files, %d bodies fitted a schema, %d did not", len(files), fitted, declined)
}
