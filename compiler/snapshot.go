package compiler

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/strata-analytics/strata/compiler/check"
	"github.com/strata-analytics/strata/compiler/views"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/sqltree"
)

// SnapshotTable is the table `strata snapshot` records members in, and
// SnapshotSegmentsTable the one where it records each segment's
// fingerprint and size.
const (
	SnapshotTable         = views.SnapshotTable
	SnapshotSegmentsTable = views.SnapshotSegmentsTable
)

// RenderSnapshot is the SQL that records the members of every segment as
// of the plan's as_of (views.PlanSnapshot), for the dialect and place the
// views were compiled for, one statement each.
//
// A segment's fingerprint is the first 16 hex digits of the SHA-256 of
// its view's SQL in the dialect, planned with a live as_of and in the
// project's schema: any change to what decides membership (its rule, a
// metric or segment it reads, a source's table, Strata's SQL for it)
// gives a new fingerprint, and the day recorded or the target's schema
// does not.
func RenderSnapshot(plan *Plan, compiled *Compiled, d dialects.Dialect) ([]string, error) {
	fingerprints, err := SegmentFingerprints(plan, d)
	if err != nil {
		return nil, err
	}
	fingerprint := func(sg *check.Segment) string { return fingerprints[sg.Decl.Name] }
	r := sqltree.NewRenderer(d, sqltree.Placement{From: plan.Project.Schema, To: compiled.Place})
	var out []string
	for _, s := range views.PlanSnapshot(plan, fingerprint) {
		_, stmts, err := r.Statements(s)
		if err != nil {
			return nil, err
		}
		out = append(out, stmts...)
	}
	return out, nil
}

// SegmentFingerprints are the fingerprints of every segment's definition
// in dialect d, by segment name, as RenderSnapshot records them.
func SegmentFingerprints(plan *Plan, d dialects.Dialect) (map[string]string, error) {
	live := *plan.Model
	live.AsOf = time.Time{}
	definitions := map[string]string{}
	for _, o := range views.New(&live).Outputs {
		if o.Kind != KindSegment {
			continue
		}
		sql, _, err := sqltree.RenderStatementsAt(o.View, d, sqltree.Placement{})
		if err != nil {
			return nil, err
		}
		definitions[o.Name] = sql
	}
	fingerprints := map[string]string{}
	for _, ent := range plan.Model.Entities {
		for _, sg := range ent.Segments {
			sum := sha256.Sum256([]byte(definitions[check.SegmentView(sg)]))
			fingerprints[sg.Decl.Name] = hex.EncodeToString(sum[:8])
		}
	}
	return fingerprints, nil
}

// RenderLastSnapshots is the query of each segment's last recorded day
// up to as_of, with its fingerprint (views.LastSnapshotsQuery).
func RenderLastSnapshots(plan *Plan, compiled *Compiled, d dialects.Dialect) (string, error) {
	return sqltree.RenderQueryAt(views.LastSnapshotsQuery(plan), d, sqltree.Placement{From: plan.Project.Schema, To: compiled.Place})
}

// RenderSnapshotChanges is the query that lists the segments whose
// definition changed since the last day recorded before as_of
// (views.SnapshotChangesQuery), to run after RenderSnapshot's statements.
func RenderSnapshotChanges(plan *Plan, compiled *Compiled, d dialects.Dialect) (string, error) {
	return sqltree.RenderQueryAt(views.SnapshotChangesQuery(plan), d, sqltree.Placement{From: plan.Project.Schema, To: compiled.Place})
}
