package deploy

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/internal/dbtest"
)

// TestApplyRefusesAChangedState: a plan made before another apply
// changed the state table is refused inside the transaction, and nothing
// changes; and a model's readers are rebuilt with it.
func TestApplyRefusesAChangedState(t *testing.T) {
	const dir = "../fixtures/model_raw_sql"
	plan, compiled := dbtest.Compile(t, dir, "2025-06-30")
	db := dbtest.BuildDuckDB(t, dir, plan, compiled["duckdb"])
	d, _ := dialects.Lookup("duckdb")
	target := Target{Name: "local", Dialect: d, Compiled: compiled["duckdb"], Plan: plan}
	ctx := context.Background()
	first, err := MakePlan(ctx, db, target, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(ctx, db, first, time.Now(), true); err != nil {
		t.Fatalf("apply --adopt: %v", err)
	}
	stale, err := MakePlan(ctx, db, target, false)
	if err != nil || stale.Changed() {
		t.Fatalf("plan after apply: %v, changed %v", err, stale != nil && stale.Changed())
	}
	// Another apply records something else.
	if err := db.Apply(ctx, []string{`UPDATE analytics.strata_state SET fingerprint = 'other' WHERE view_name = 'big_subscriptions'`}); err != nil {
		t.Fatal(err)
	}
	err = Apply(ctx, db, stale, time.Now(), false)
	if err == nil || !strings.Contains(err.Error(), StateChanged) {
		t.Fatalf("apply of a plan the state no longer matches: %v", err)
	}
	rows, err := db.Query(ctx, `SELECT fingerprint FROM analytics.strata_state WHERE view_name = 'big_subscriptions'`)
	if err != nil || rows.Values[0][0] != "other" {
		t.Errorf("the refused apply changed the state: %v %v", rows, err)
	}

	// The model active_subscriptions changed in the warehouse's record:
	// replacing it rebuilds big_subscriptions and the profile, which read it.
	if err := db.Apply(ctx, []string{`UPDATE analytics.strata_state SET fingerprint = 'older' WHERE view_name = 'active_subscriptions'`}); err != nil {
		t.Fatal(err)
	}
	p, err := MakePlan(ctx, db, target, false)
	if err != nil {
		t.Fatal(err)
	}
	rebuilt := p.rebuilt()
	for _, name := range []string{"active_subscriptions", "big_subscriptions", "customer_profile"} {
		if !rebuilt[name] {
			t.Errorf("replacing model active_subscriptions does not rebuild %s: %v", name, rebuilt)
		}
	}
}
