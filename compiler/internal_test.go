package compiler

import (
	"testing"
	"time"
)

func TestDidYouMean(t *testing.T) {
	names := []string{"mrr", "arr", "logins_30d", "health_score"}
	for name, want := range map[string]string{
		"mrrr":        ` Did you mean "mrr"?`,
		"login_30d":   ` Did you mean "logins_30d"?`,
		"healthscore": ` Did you mean "health_score"?`,
		"zzz":         "",
		"churn_rate":  "",
	} {
		if got := didYouMean(name, names); got != want {
			t.Errorf("didYouMean(%q) = %q, want %q", name, got, want)
		}
	}
}

// addMonths must clamp as SQL engines do, so a pinned as_of and a live one
// give the same window.
func TestAddMonthsClamps(t *testing.T) {
	for from, want := range map[string]string{
		"2025-03-31": "2025-02-28",
		"2024-03-31": "2024-02-29",
		"2025-07-01": "2025-06-01",
		"2025-01-15": "2024-12-15",
	} {
		day, _ := time.Parse(time.DateOnly, from)
		if got := addMonths(day, -1).Format(time.DateOnly); got != want {
			t.Errorf("addMonths(%s, -1) = %s, want %s", from, got, want)
		}
	}
}
