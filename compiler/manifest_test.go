package compiler_test

import (
	"encoding/json"
	"testing"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/internal/synthetic"
)

// TestManifestJSONIsTheStandardEncoding: the manifest's own writer gives
// the bytes json.MarshalIndent gives, for a project with every construct
// in every dialect and for hostile names and empty lists.
func TestManifestJSONIsTheStandardEncoding(t *testing.T) {
	same := func(what string, m *compiler.Manifest) {
		t.Helper()
		want, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if got := m.JSON(); got != string(want)+"\n" {
			t.Errorf("%s: the manifest differs from encoding/json's:\n%s\nwant:\n%s", what, got, want)
		}
	}
	files := synthetic.Project(200)
	_, plan, diags := compiler.Load(files, compiler.Options{AsOf: compiler.MustAsOf("2025-06-30")})
	if plan == nil {
		t.Fatal(diags)
	}
	for _, name := range dialects.Names() {
		d, _ := dialects.Lookup(name)
		compiled, diags := compiler.RenderAt(plan, d, []string{"my-project", "analytics"})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		same(name, compiled.Manifest(plan))
	}
	hostile := []string{"", "a\"b", `back\slash`, "esc\x1b[31m", "cr\r\nlf\ttab\b\f", "<script>&amp;", "é ü 中", "bad\xff\xfeutf8", "\u2028\u2029", "\x7f", "\x00"}
	m := &compiler.Manifest{Project: hostile[1], Dialect: "duckdb", Schema: hostile[3], Location: hostile}
	for i, s := range hostile {
		o := compiler.ManifestOutput{Name: s, Kind: "segment", Materialized: "view", File: s, Description: s, DependsOn: hostile[:i]}
		if i%2 == 0 {
			o.Columns = []compiler.ManifestColumn{{Name: s, Type: "VARCHAR", Description: s}, {Name: "k", Type: "BIGINT"}}
		}
		if i%3 == 0 {
			o.Columns = []compiler.ManifestColumn{}
		}
		m.Outputs = append(m.Outputs, o)
	}
	same("hostile names", m)
	same("no outputs", &compiler.Manifest{Project: "p"})
	same("empty outputs", &compiler.Manifest{Project: "p", AsOf: "2025-06-30", Location: []string{}, Outputs: []compiler.ManifestOutput{}})
}
