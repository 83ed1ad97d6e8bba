package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/models"
)

// TestDetectColumns reads a file with the quirks real exports have and
// gives each column the type all its cells read as when a build loads
// them: blanks and cells of spaces do not decide, a number with leading
// zeros stays a string, yes and no are booleans, and an id with a value
// on every row and no repeat is unique.
func TestDetectColumns(t *testing.T) {
	dir := t.TempDir()
	csv := "id,zip,amount,customer,day,at,active,note,empty\n" +
		"1,00123,1.5,17850,2025-01-02,2025-01-02 10:00:00,yes,a,\n" +
		"2,00456,2,,2025-01-03,2025-01-03,no, ,\n" +
		"4,00789,3,12346,2025-01-05,2025-01-05,no,b,\n" +
		"3,10001, ,12346,2025-01-04,2025-01-04 11:30:00,YES,\"x, y\",\n"
	if err := os.WriteFile(filepath.Join(dir, "export.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	got, diags := engine.DetectColumns(context.Background(), "export.csv", dir, nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := map[string]models.Type{"id": models.TypeInteger, "zip": models.TypeString, "amount": models.TypeNumber, "customer": models.TypeInteger,
		"day": models.TypeDate, "at": models.TypeTimestamp, "active": models.TypeBoolean, "note": models.TypeString, "empty": models.TypeString}
	if got.Rows != 4 || len(got.Columns) != len(want) {
		t.Fatalf("got %d rows and %d columns, want 4 and %d: %+v", got.Rows, len(got.Columns), len(want), got)
	}
	for _, c := range got.Columns {
		if c.Type != want[c.Name] {
			t.Errorf("column %s: %s, want %s", c.Name, c.Type, want[c.Name])
		}
	}
	blank := map[string]int64{"amount": 1, "customer": 1, "note": 1, "empty": 4}
	for _, c := range got.Columns {
		if c.Blank != blank[c.Name] {
			t.Errorf("column %s: %d blank cells, want %d", c.Name, c.Blank, blank[c.Name])
		}
		if c.Unique != (c.Name == "id" || c.Name == "zip" || c.Name == "day" || c.Name == "at") {
			t.Errorf("column %s: unique %v", c.Name, c.Unique)
		}
	}
}

// TestDetectColumnsOfJSONLines: a JSON lines file's keys become columns
// with the types of their values, and what was declared loads.
func TestDetectColumnsOfJSONLines(t *testing.T) {
	dir := t.TempDir()
	lines := `{"user": "u1", "visits": 3, "spent": 12.5, "vip": true, "since": "2024-01-02"}` + "\n" +
		`{"user": "u2", "visits": 1, "spent": null, "vip": false, "since": "2024-03-04"}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "users.jsonl"), []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	got, diags := engine.DetectColumns(context.Background(), "users.jsonl", dir, nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := []models.Type{models.TypeString, models.TypeInteger, models.TypeNumber, models.TypeBoolean, models.TypeDate}
	if got.Rows != 2 || len(got.Columns) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i, c := range got.Columns {
		if c.Type != want[i] {
			t.Errorf("column %s: %s, want %s", c.Name, c.Type, want[i])
		}
	}
}
