package diag

import (
	"fmt"
	"sort"
)

// DidYouMean returns ` Did you mean "x"?` for the candidate closest to name,
// or "" when none is close enough to be a likely typo.
func DidYouMean(name string, candidates []string) string {
	best, bestDist := "", -1
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted) // ties go to the alphabetically first: deterministic
	for _, c := range sorted {
		dist := editDistance(name, c)
		if bestDist < 0 || dist < bestDist {
			best, bestDist = c, dist
		}
	}
	// Allow about one typo per three characters.
	if best == "" || bestDist > 1+len(name)/3 {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}

// editDistance is the Levenshtein distance between a and b, over runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
