package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// historyColumns are the columns a segment's history views have besides
// the entity's key.
var historyColumns = []string{"period", "tier", "change", "from_tier", "to_tier"}

// checkHistoryColumns reports a segment with a history whose entity's key
// is named as a column of the history views: the views would have two
// columns of that name.
func (c *checker) checkHistoryColumns() {
	for _, ent := range c.model.Entities {
		for _, sg := range ent.Segments {
			if sg.History == "" || !slices.Contains(historyColumns, ent.Key.Name) {
				continue
			}
			c.errorf(sg.HistoryRange, "History column clash",
				"The history views of segment %q have a column %q of their own (%s and the key), and entity %q's key is called %q. "+
					"Declare the entity from a model that renames the key, or remove history.",
				sg.Decl.Name, ent.Key.Name, strings.Join(historyColumns, ", "), ent.Decl.Name, ent.Key.Name)
		}
	}
}

// warnAttributesWithoutHistory warns, once per segment with a history,
// about the attributes its rule reads (itself or through the derived
// metrics and segments it reads): an attribute is a column of the
// entity's table, which holds today's value only, so every past period of
// the history is judged on today's value (a plan changed last week, an
// account closed yesterday). The entity's key and time column do not
// change, and are left out.
func (c *checker) warnAttributesWithoutHistory() {
	for _, ent := range c.model.Entities {
		if ent.Rel.ValidFrom != nil {
			continue // its rows are versions: attributes have their history
		}
		for _, sg := range ent.Segments {
			if sg.History == "" || sg.FromSnapshots {
				continue
			}
			var attrs []string
			seen := map[string]bool{}
			var visit func(names []string)
			visit = func(names []string) {
				for _, name := range names {
					if seen[name] {
						continue
					}
					seen[name] = true
					switch m, s := c.model.metrics[name], c.model.segments[name]; {
					case m != nil && m.Entity == ent && m.Rel == nil:
						visit(m.Used)
					case s != nil && s.Entity == ent:
						visit(s.Used)
					case m == nil && s == nil && ent.Column(name) != nil && name != ent.Key.Name &&
						(ent.Rel.Time == nil || name != ent.Rel.Time.Name):
						attrs = append(attrs, name)
					}
				}
			}
			visit(sg.Used)
			if len(attrs) == 0 {
				continue
			}
			what := "attribute " + attrs[0] + ", which has"
			if len(attrs) > 1 {
				what = "attributes " + strings.Join(attrs, ", ") + ", which have"
			}
			r := sg.HistoryRange
			c.diags = append(c.diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "History from today's attributes",
				Detail: fmt.Sprintf("Segment %q reads %s no history: each past period of %s judges it by today's value. "+
					"Read a metric over dated rows instead, declare the versions of the entity's source (valid = [valid_from, valid_to], as a dbt snapshot has), or record the segment every day with `strata snapshot` and read its history from the records (history_from = snapshots).",
					sg.Decl.Name, what, SegmentHistoryView(sg)),
				Subject: &r,
			})
		}
	}
}
