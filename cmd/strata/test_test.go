package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnitTestsFromTheCommandLine runs `strata test` on a project made by
// init, which passes out of the box; then on a test whose expectations
// are wrong, which fails with the rows that differ, in text and JSON; and
// on a misused test block, which is a diagnostic with file:line:col.
func TestUnitTestsFromTheCommandLine(t *testing.T) {
	dir := newProject(t)
	code, stdout, stderr := strata(t, "--project", dir, "test")
	if code != exitOK || !strings.Contains(stdout, "ok    at_risk_after_a_quiet_week") || !strings.Contains(stdout, "1 test passed.") {
		t.Fatalf("test on a new project: exit %d\n%s%s", code, stdout, stderr)
	}

	wrong := `
test "wrong_members" {
  as_of = "2025-06-30"
  given {
    source = source.customers
    rows   = [{ customer_id = "k1", signed_up_at = "2025-01-01" }, { customer_id = "k2" }]
  }
  given {
    source = source.subscriptions
    rows   = [{ subscription_id = "s1", customer_id = "k1", monthly_amount = 10, started_at = "2025-01-01" }]
  }
  expect {
    segment = segment.at_risk
    members = ["k2"]
  }
  expect {
    metric = metric.mrr
    values = { k1 = 10, k2 = 0 }
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "tests", "wrong.hcl"), []byte(wrong), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = strata(t, "--project", dir, "test")
	for _, want := range []string{
		"FAIL  wrong_members",
		"wrong.hcl:12:3: segment at_risk: expected 1 row, read 1 row",
		`- "k2"`, // expected: k2 is not paying
		`+ "k1"`, // read: k1 pays and was never seen
		"1 of 2 tests failed.",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("a failing test's output lacks %q:\n%s", want, stdout)
		}
	}
	if code != exitInvalid {
		t.Errorf("a failing test exits %d, want %d", code, exitInvalid)
	}
	if strings.Contains(stdout, "metric mrr") {
		t.Errorf("the metric's values hold, yet are reported:\n%s", stdout)
	}

	code, stdout, _ = strata(t, "--project", dir, "--json", "test", "--run", "wrong_*")
	var out struct {
		Passed, Failed int
		Tests          []struct {
			Name     string
			Passed   bool
			Failures []struct {
				What             string
				Line             int
				Expected, Actual []string
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("--json test: %v\n%s", err, stdout)
	}
	if code != exitInvalid || out.Passed != 0 || out.Failed != 1 || len(out.Tests) != 1 || len(out.Tests[0].Failures) != 1 {
		t.Fatalf("--json test --run wrong_*: exit %d, %+v", code, out)
	}
	if f := out.Tests[0].Failures[0]; f.What != "segment at_risk" || f.Line != 12 ||
		strings.Join(f.Expected, ",") != `"k2"` || strings.Join(f.Actual, ",") != `"k1"` {
		t.Errorf("--json failure: %+v", f)
	}

	misused := strings.Replace(wrong, "segment.at_risk", "segment.at_rsk", 1)
	if err := os.WriteFile(filepath.Join(dir, "tests", "wrong.hcl"), []byte(misused), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = strata(t, "--project", dir, "test")
	if code != exitInvalid || !strings.Contains(stderr, "wrong.hcl:13:15") || !strings.Contains(stderr, `Did you mean "at_risk"?`) {
		t.Errorf("a misused test block: exit %d\n%s", code, stderr)
	}
	// validate reports it too: what validate accepts, test runs.
	if code, _, stderr = strata(t, "--project", dir, "validate"); code != exitInvalid || !strings.Contains(stderr, "Unknown segment") {
		t.Errorf("validate of a misused test block: exit %d\n%s", code, stderr)
	}
}
