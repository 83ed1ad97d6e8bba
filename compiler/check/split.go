package check

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-analytics/strata/models"
	"github.com/strata-analytics/strata/sqltree"
)

// A split divides the members of another segment into tiers by share,
// for holdout groups: a member's tier is decided by the first 8 hex
// digits of the MD5 of the salt, a slash and its key as a string, read as
// a number from 0 to 2^32 and cut at the tiers' cumulative shares. MD5 is
// in every dialect (md5_hex), and hex digits compare as strings in byte
// order, so every warehouse puts a member in the same tier, build after
// build, with no randomness to seed and no table to keep.

// SplitSalt is the salt of a split: its own, else its name.
func SplitSalt(d *models.Segment) string {
	if d.Salt != "" {
		return d.Salt
	}
	return d.Name
}

// SplitBounds are the exclusive upper bounds of a split's tiers but the
// last, as 8 lowercase hex digits: tier i holds the hashes below bound i
// and at or above bound i-1.
func SplitBounds(d *models.Segment) []string {
	var bounds []string
	cumulative := 0
	for _, t := range d.Tiers[:len(d.Tiers)-1] {
		cumulative += t.Share
		bounds = append(bounds, fmt.Sprintf("%08x", uint64(cumulative)<<32/100))
	}
	return bounds
}

// splitRule is the tier of each member of the segment d splits, NULL for
// the entities that are not members.
func (c *checker) splitRule(d *models.Segment, s *scope) sqltree.Expr {
	parent := s.translate(d.Split)
	rng := d.Split.Range()
	var member sqltree.Expr
	switch {
	case parent.typ == models.TypeUnknown:
		return sqltree.Str("")
	case !isSegmentRef(d.Split):
		c.errorf(rng, "Split of a non-segment", "split takes the segment whose members are divided, such as split = segment.at_risk.")
		return sqltree.Str("")
	case parent.typ == models.TypeBoolean:
		member = parent.sql
	default: // a tiered segment: members are in some tier
		member = sqltree.IsNull{X: parent.sql, Negate: true}
	}
	ent := s.ent
	if k := ent.Key; k.Type != models.TypeString && k.Type != models.TypeInteger {
		c.errorf(rng, "Split of an entity keyed by "+k.Type.String(),
			"Entity %q's key %s is a %s, which dialects write as text differently; a split hashes the key as text, so it needs a string or integer key.",
			ent.Decl.Name, k.Name, k.Type)
		return sqltree.Str("")
	}
	key := s.translate(&hclsyntax.ScopeTraversalExpr{Traversal: hcl.Traversal{hcl.TraverseRoot{Name: ent.Key.Name, SrcRange: rng}}, SrcRange: rng})
	text := sqltree.Binary{Op: "||", Left: sqltree.Str(SplitSalt(d) + "/"), Right: sqltree.Cast{X: key.sql, Type: sqltree.String}}
	hash := sqltree.Call{Name: "SUBSTR", Args: []sqltree.Expr{
		sqltree.Portable{Name: c.need("md5_hex", rng), Args: []sqltree.Expr{text}}, sqltree.Num("1"), sqltree.Num("8")}}
	tiers := sqltree.Case{Else: sqltree.Str(d.Tiers[len(d.Tiers)-1].Name)}
	for i, bound := range SplitBounds(d) {
		tiers.Whens = append(tiers.Whens, sqltree.When{
			Cond: sqltree.Binary{Op: "<", Left: sqltree.BinaryOrder{X: hash}, Right: sqltree.Str(bound)},
			Then: sqltree.Str(d.Tiers[i].Name)})
	}
	return sqltree.Case{Whens: []sqltree.When{{Cond: member, Then: tiers}}}
}

// isSegmentRef says whether e is exactly segment.<name>.
func isSegmentRef(e hcl.Expression) bool {
	t, diags := hcl.AbsTraversalForExpr(e)
	return !diags.HasErrors() && len(t) == 2 && t.RootName() == "segment"
}
