package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFmt: a new project is formatted; fmt --check lists a file that is
// not and changes nothing; fmt rewrites it, keeping its comments; a
// syntax error anywhere leaves every file as it was.
func TestFmt(t *testing.T) {
	dir := newProject(t)
	if code, stdout, stderr := strata(t, "--project", dir, "fmt", "--check"); code != exitOK || stdout != "" {
		t.Fatalf("fmt --check on a new project: exit %d\n%s%s", code, stdout, stderr)
	}
	messy := filepath.Join(dir, "extra.hcl")
	src := "# Power users.\nsegment \"power_users\" {\nwhere = metric.mrr > 0   # paying\n    description=\"Many logins.\"\n}\n\n\n\nsegment \"x\" { where = true }\n"
	if err := os.WriteFile(messy, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := strata(t, "--project", dir, "fmt", "--check")
	if code != exitInvalid || strings.TrimSpace(stdout) != messy || !strings.Contains(stderr, "1 file not formatted") {
		t.Errorf("fmt --check with a messy file: exit %d\n%s%s", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(messy); string(b) != src {
		t.Errorf("fmt --check changed the file:\n%s", b)
	}

	broken := filepath.Join(dir, "broken.hcl")
	os.WriteFile(broken, []byte("segment \"y\" {\n  where = \n"), 0o644)
	if code, _, stderr := strata(t, "--project", dir, "fmt"); code != exitInvalid || !strings.Contains(stderr, "broken.hcl:2:11") {
		t.Errorf("fmt with a syntax error: exit %d\n%s", code, stderr)
	}
	if b, _ := os.ReadFile(messy); string(b) != src {
		t.Errorf("fmt wrote a file although another has a syntax error:\n%s", b)
	}
	os.Remove(broken)

	code, stdout, _ = strata(t, "--project", dir, "--json", "fmt")
	var out struct {
		Checked int
		Changed []string
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || code != exitOK || len(out.Changed) != 1 || out.Changed[0] != messy || out.Checked < 6 {
		t.Errorf("--json fmt: exit %d, %v, %+v", code, err, out)
	}
	want := "# Power users.\nsegment \"power_users\" {\n  where       = metric.mrr > 0 # paying\n  description = \"Many logins.\"\n}\n\nsegment \"x\" { where = true }\n"
	if b, _ := os.ReadFile(messy); string(b) != want {
		t.Errorf("fmt wrote:\n%s\nwant:\n%s", b, want)
	}
	if code, stdout, _ := strata(t, "--project", dir, "fmt", "--check"); code != exitOK || stdout != "" {
		t.Errorf("fmt --check after fmt: exit %d\n%s", code, stdout)
	}
}
