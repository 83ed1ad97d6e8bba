package projecttest

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/models"
)

// AssertionResult is one assertion checked on a target's data.
type AssertionResult struct {
	Name      string
	Kind      string
	Severity  string // "error" or "warning"
	On        string // "source.customers", "view segment_at_risk"
	DeclRange hcl.Range
	Passed    bool
	// Failing counts the rows that break it (unique, not_null,
	// accepted_values, references, condition); Examples are the first
	// few, ordered.
	Failing  int64
	Examples *engine.Rows
	// Detail says what was found, in words: "1,204 rows; at most 1,000
	// allowed", "latest 2025-06-01, older than 2 days before 2025-06-30".
	Detail string
}

// Assert checks every assertion of compiled on the warehouse, as of asOf
// (the zero time: now), in declaration order.
func Assert(ctx context.Context, wh engine.Warehouse, compiled *compiler.Compiled, asOf time.Time) ([]*AssertionResult, error) {
	return AssertWith(func(sql string) (*engine.Rows, error) { return wh.Query(ctx, sql) }, compiled, asOf)
}

// AssertWith is Assert through a query function: a build's, inside its
// transaction, so that a failing assertion can stop the build.
func AssertWith(query func(string) (*engine.Rows, error), compiled *compiler.Compiled, asOf time.Time) ([]*AssertionResult, error) {
	// Freshness is measured at the end of as_of's day, or now.
	now := time.Now().UTC()
	if !asOf.IsZero() {
		now = asOf.AddDate(0, 0, 1)
	}
	var out []*AssertionResult
	for _, ra := range compiled.Assertions {
		a := ra.Query.Assertion
		r := &AssertionResult{Name: a.Decl.Name, Kind: a.Kind, Severity: a.Decl.Severity, DeclRange: a.Decl.DeclRange}
		if a.Rel != nil {
			r.On = a.Rel.Ref()
		} else {
			r.On = "view " + a.View
		}
		if ra.Value != "" {
			rows, err := query(ra.Value)
			if err != nil {
				return nil, fmt.Errorf("assertion %s: %w", a.Decl.Name, err)
			}
			var v any
			if len(rows.Values) == 1 && len(rows.Values[0]) == 1 {
				v = rows.Values[0][0]
			}
			if a.Kind == "rows" {
				r.Passed, r.Detail = rowBounds(a.Decl, v)
			} else {
				r.Passed, r.Detail = fresh(a.Decl, v, now, asOf)
			}
			out = append(out, r)
			continue
		}
		rows, err := query(ra.Count)
		if err != nil {
			return nil, fmt.Errorf("assertion %s: %w", a.Decl.Name, err)
		}
		r.Failing = engine.Int(rows.Values[0][0])
		r.Passed = r.Failing == 0
		if !r.Passed {
			if r.Examples, err = query(ra.Examples); err != nil {
				return nil, fmt.Errorf("assertion %s: %w", a.Decl.Name, err)
			}
			what := failingWhat[a.Kind]
			verb := what[1]
			if r.Failing == 1 {
				verb = what[0]
			}
			r.Detail = count(r.Failing) + " " + verb
		}
		out = append(out, r)
	}
	return out, nil
}

// failingWhat says what the failing rows of each kind do, of one row
// and of several.
var failingWhat = map[string][2]string{
	"unique":          {"shares its values with another row", "share their values with another row"},
	"not_null":        {"has a NULL", "have a NULL"},
	"accepted_values": {"holds a value not accepted", "hold a value not accepted"},
	"references":      {"refers to a key that does not exist", "refer to a key that does not exist"},
	"condition":       {"does not hold the condition", "do not hold the condition"},
}

func count(n int64) string {
	if n == 1 {
		return "1 row"
	}
	return thousands(n) + " rows"
}

// thousands writes n with a comma every three digits: 1,204.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func rowBounds(x *models.Assertion, v any) (bool, string) {
	n := engine.Int(v)
	switch {
	case x.MinRows != nil && n < int64(*x.MinRows):
		return false, fmt.Sprintf("%s; at least %s expected", count(n), thousands(int64(*x.MinRows)))
	case x.MaxRows != nil && n > int64(*x.MaxRows):
		return false, fmt.Sprintf("%s; at most %s allowed", count(n), thousands(int64(*x.MaxRows)))
	}
	return true, count(n)
}

// fresh compares a column's latest value with now (the end of as_of's
// day) less the window.
func fresh(x *models.Assertion, v any, now, asOf time.Time) (bool, string) {
	w := x.FreshWithin
	cutoff := now
	switch w.Unit {
	case "day":
		cutoff = now.AddDate(0, 0, -w.Count)
	case "week":
		cutoff = now.AddDate(0, 0, -7*w.Count)
	case "month":
		cutoff = now.AddDate(0, -w.Count, 0)
	case "year":
		cutoff = now.AddDate(-w.Count, 0, 0)
	}
	when := "now"
	if !asOf.IsZero() {
		when = asOf.Format(time.DateOnly)
	}
	window := fmt.Sprintf("%d %s", w.Count, w.Unit)
	if w.Count != 1 {
		window += "s"
	}
	latest, ok := v.(time.Time)
	if !ok {
		return false, "no rows: nothing is fresh"
	}
	text := latest.Format(time.DateOnly)
	if latest.Before(cutoff) {
		return false, fmt.Sprintf("latest %s, more than %s before %s", text, window, when)
	}
	return true, fmt.Sprintf("latest %s, within %s of %s", text, window, when)
}
