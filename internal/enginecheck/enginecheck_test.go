package enginecheck

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDepartures checks the departures and unsupported cases as written:
// only an emulator has departures, each names a golden case compiled for
// the engine's dialect, once, and says why. Whether each still departs is fixtures' TestGolden<Engine>.
func TestDepartures(t *testing.T) {
	for _, e := range Engines {
		if len(e.Departures) > 0 && !e.Secondary {
			t.Errorf("%s lists departures but is not Secondary: a real engine's differences are findings, not departures", e.Name)
		}
		seen := map[string]bool{}
		for _, u := range e.Unsupported {
			if seen[u.Case] {
				t.Errorf("%s lists %s twice", e.Name, u.Case)
			}
			seen[u.Case] = true
			if u.Why == "" || u.Error == "" {
				t.Errorf("%s: unsupported case %s says not why or with what error", e.Name, u.Case)
			}
			golden := filepath.Join(repoRoot(), "fixtures", u.Case, e.Dialect, "compiled.sql")
			if _, err := os.Stat(golden); err != nil {
				t.Errorf("%s: unsupported case %s is not a golden case of %s: %v", e.Name, u.Case, e.Dialect, err)
			}
		}
		for _, d := range e.Departures {
			if seen[d.Case] {
				t.Errorf("%s lists %s twice", e.Name, d.Case)
			}
			seen[d.Case] = true
			if d.Why == "" {
				t.Errorf("%s: departure %s says not why", e.Name, d.Case)
			}
			golden := filepath.Join(repoRoot(), "fixtures", d.Case, e.Dialect, "compiled.sql")
			if _, err := os.Stat(golden); err != nil {
				t.Errorf("%s: departure %s is not a golden case of %s: %v", e.Name, d.Case, e.Dialect, err)
			}
		}
	}
}
