// Package textdiff compares two texts line by line, with go-diff, for
// the reports that show what changed: a view's SQL against its snapshot
// or against what a warehouse has deployed, expected rows against rows
// read.
package textdiff

import (
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Lines marks every line of old and new: "- " in old only, "+ " in new
// only, "  " in both.
func Lines(old, new string) []string {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(old, new)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	var out []string
	for _, d := range diffs {
		mark := "  "
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			mark = "- "
		case diffmatchpatch.DiffInsert:
			mark = "+ "
		}
		for _, line := range strings.Split(strings.TrimSuffix(d.Text, "\n"), "\n") {
			out = append(out, mark+line)
		}
	}
	return out
}

// Changes is Lines cut down to the changed lines and context lines
// around each, with "  ..." where lines are left out.
func Changes(old, new string, context int) []string {
	all := Lines(old, new)
	shown := make([]bool, len(all))
	for i, l := range all {
		if !strings.HasPrefix(l, "  ") {
			for j := max(i-context, 0); j <= min(i+context, len(all)-1); j++ {
				shown[j] = true
			}
		}
	}
	var out []string
	for i, l := range all {
		if !shown[i] {
			continue
		}
		if i > 0 && !shown[i-1] && len(out) > 0 {
			out = append(out, "  ...")
		}
		out = append(out, l)
	}
	return out
}
