package sampledata

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestOrders: the same options give the same bytes; every order is in the
// 18 months up to the end, in time order; about 3% are guest checkouts;
// most customers buy once and some buy again.
func TestOrders(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	sa, err := GenerateOrders(a, Options{Customers: 500})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateOrders(b, Options{Customers: 500}); err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(filepath.Join(a, "orders.csv"))
	y, _ := os.ReadFile(filepath.Join(b, "orders.csv"))
	if !bytes.Equal(x, y) {
		t.Fatal("two runs with the same options differ")
	}
	rows, err := csv.NewReader(bytes.NewReader(x)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows = rows[1:]
	if len(rows) != sa.Files["orders.csv"] || len(rows) < 700 {
		t.Fatalf("%d rows, summary says %d", len(rows), sa.Files["orders.csv"])
	}
	end := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	first := end.AddDate(0, 0, -548)
	guests, perCustomer, last := 0, map[string]int{}, ""
	for _, r := range rows {
		at, err := time.Parse("2006-01-02 15:04:05", r[2])
		if err != nil || at.Before(first) || !at.Before(end) || r[2] < last {
			t.Fatalf("order %v: outside the 18 months or out of order", r)
		}
		last = r[2]
		if r[1] == "" {
			guests++
		} else {
			perCustomer[r[1]]++
		}
	}
	share := float64(guests) / float64(len(rows))
	repeat := 0
	for _, n := range perCustomer {
		if n > 1 {
			repeat++
		}
	}
	if share < 0.02 || share > 0.04 || len(perCustomer) != 500 || repeat < 100 || repeat > 400 {
		t.Errorf("guests %.3f, customers %d, repeat buyers %d", share, len(perCustomer), repeat)
	}
}
