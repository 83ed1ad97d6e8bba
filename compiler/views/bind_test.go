package views

import (
	"testing"
	"time"
)

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
