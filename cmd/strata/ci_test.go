package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/internal/dbtest"
	"github.com/strata-analytics/strata/models"
)

// TestCIRecipe runs docs/ci-recipe.sh, as docs/ci.md gives it, on a
// project made by init, against a PostgreSQL that holds only the raw
// tables: a pull request plans every view; main applies them and checks
// the assertions; a later pull request with a stricter rule plans a
// replace with its segment impact; an unformatted file stops the
// pipeline at its first step. And ci.md shows the script as it is.
func TestCIRecipe(t *testing.T) {
	script, err := filepath.Abs("../../docs/ci-recipe.sh")
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := os.ReadFile("../../docs/ci.md")
	text, _ := os.ReadFile(script)
	if !strings.Contains(string(doc), "```sh\n"+string(text)+"```") {
		t.Error("docs/ci.md does not show docs/ci-recipe.sh as it is")
	}
	dsn := dbtest.Postgres(t)
	t.Setenv("STRATA_PG_DSN", dsn)
	dir := newProject(t)
	// A warehouse with the raw tables alone.
	if code, _, stderr := strata(t, "--project", dir, "build", "--target", "warehouse", "--load-seeds"); code != exitOK {
		t.Fatalf("loading the raw tables: exit %d\n%s", code, stderr)
	}
	wh, err := engine.Open(context.Background(), &models.Target{Name: "warehouse", Dialect: "postgres", ConnectionEnv: "STRATA_PG_DSN"}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := wh.Apply(context.Background(), []string{"DROP SCHEMA analytics CASCADE"}); err != nil {
		t.Fatal(err)
	}
	wh.Close()

	bin := filepath.Join(t.TempDir(), "bin")
	if out, err := exec.Command("go", "build", "-o", filepath.Join(bin, "strata"), ".").CombinedOutput(); err != nil {
		t.Fatalf("building strata: %v\n%s", err, out)
	}
	recipe := func(mode string) (int, string) {
		t.Helper()
		cmd := exec.Command("sh", script, mode)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "STRATA_PG_DSN="+dsn)
		out, err := cmd.CombinedOutput()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, string(out)
	}
	code, out := recipe("pull_request")
	if code != 0 || !strings.Contains(out, "1 test passed.") || !strings.Contains(out, "Plan: 44 to create, 0 to replace, 0 to drop.") {
		t.Fatalf("the pull request's pipeline: exit %d\n%s", code, out)
	}
	code, out = recipe("main")
	if code != 0 || !strings.Contains(out, "44 created") || !strings.Contains(out, "ok    customer_ids_unique (unique, source.customers)") {
		t.Fatalf("main's pipeline: exit %d\n%s", code, out)
	}
	segments := filepath.Join(dir, "segments.hcl")
	b, _ := os.ReadFile(segments)
	os.WriteFile(segments, []byte(strings.Replace(string(b), "days_since(metric.last_seen) > 7", "days_since(metric.last_seen) > 3", 1)), 0o644)
	code, out = recipe("pull_request")
	if code != 0 || !strings.Contains(out, "~ replace  segment_at_risk") || !strings.Contains(out, "at_risk ") || !strings.Contains(out, "enter,") {
		t.Fatalf("a pull request that changes at_risk: exit %d\n%s", code, out)
	}
	os.WriteFile(filepath.Join(dir, "messy.hcl"), []byte("segment \"x\" {\nwhere=true\n}\n"), 0o644)
	if code, out = recipe("pull_request"); code != 1 || !strings.Contains(out, "messy.hcl") || strings.Contains(out, "Plan:") {
		t.Errorf("a pull request with an unformatted file: exit %d\n%s", code, out)
	}
}
