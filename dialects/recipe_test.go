package dialects_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/dialects/base"
	"github.com/strata-analytics/strata/dialects/postgres"
)

// pgBackticks is a dialect made by following the recipe in
// docs/design.md#adding-a-dialect, as a new PostgreSQL relative would be:
// it embeds its closest relative and states only what differs, here
// identifiers in backticks and a median that rounds. Nothing in the
// compiler is touched.
type pgBackticks struct{ postgres.Dialect }

func newPgBackticks() pgBackticks {
	d := pgBackticks{postgres.New()}
	d.DialectName, d.Title = "pg_backticks", "PostgreSQL with backticks"
	d.Functions = base.With(d.Functions, map[string]string{
		"median": "round(percentile_cont(0.5) WITHIN GROUP (ORDER BY {0}))",
	})
	return d
}

func (pgBackticks) QuoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

var _ dialects.Dialect = pgBackticks{} // the recipe's first check: it is a dialect

// pgClone embeds PostgreSQL and changes nothing but its name.
type pgClone struct{ postgres.Dialect }

// Every golden case that compiles for PostgreSQL compiles for a dialect
// made by the recipe: a relative that changes nothing gives PostgreSQL's
// SQL byte for byte, and one that changes quoting and a function template
// gives SQL with those changes.
func TestRecipeForANewDialect(t *testing.T) {
	backticks := newPgBackticks()
	clone := pgClone{postgres.New()}
	clone.DialectName = "pg_clone"
	pg, _ := dialects.Lookup("postgres")
	cases, _ := filepath.Glob("../fixtures/*/project.hcl")
	compiled, medians := 0, 0
	for _, p := range cases {
		paths, _ := filepath.Glob(filepath.Join(filepath.Dir(p), "*.hcl"))
		var files []compiler.File
		for _, path := range paths {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, compiler.File{Name: filepath.Base(path), Bytes: b})
		}
		_, plan, _ := compiler.Load(files, compiler.Options{AsOf: compiler.MustAsOf("2025-06-30")})
		if plan == nil {
			continue
		}
		want, diags := compiler.Render(plan, pg)
		if diags.HasErrors() {
			continue
		}
		// A raw SQL model's dialect blocks name a dialect: a new one gets
		// the model's own SQL unless the model names it too.
		overrides := false
		for _, o := range plan.Outputs {
			overrides = overrides || len(o.DialectQueries) > 0
		}
		same, diags := compiler.Render(plan, clone)
		if diags.HasErrors() || (!overrides && same.Script() != want.Script()) {
			t.Errorf("%s: a relative that changes nothing renders differently (%v)", p, diags)
		}
		got, diags := compiler.Render(plan, backticks)
		if diags.HasErrors() {
			t.Errorf("%s: %v", p, diags)
			continue
		}
		compiled++
		sql := got.Script()
		if !strings.HasPrefix(sql, "CREATE SCHEMA IF NOT EXISTS `") {
			t.Errorf("%s: identifiers are not in backticks", p)
		}
		if strings.Contains(want.Script(), "percentile_cont") {
			medians++
			if !strings.Contains(sql, "round(percentile_cont(0.5)") {
				t.Errorf("%s: the median template was not replaced", p)
			}
		}
	}
	if compiled < 25 || medians == 0 {
		t.Errorf("only %d cases compiled for the new dialect, %d with a median", compiled, medians)
	}
}
