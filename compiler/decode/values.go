package decode

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/models"
)

// Leaf values: the attributes that are plain strings, names, references,
// numbers, booleans and keywords, shared by every block.

func (d *decoder) errorf(rng hcl.Range, summary, format string, args ...any) {
	r := rng
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  &r,
	})
}

// content is body.Content(schema): the body's attributes and blocks that
// the schema names, with a diagnostic for each it does not.
func (d *decoder) content(body hcl.Body, schema *hcl.BodySchema) *hcl.BodyContent {
	if content := fittingContent(body, schema); content != nil {
		return content
	}
	content, diags := body.Content(schema)
	d.diags = append(d.diags, diags...)
	return content
}

// fittingContent is what Content returns for a syntax body that fits its
// schema (every attribute and block named there, block labels counted
// right, required attributes present), as nearly every body does; nil
// for any other body, which Content then explains. Content builds four
// maps and a copy of the body to find what does not fit: a tenth of
// decoding, on 100,000 definitions.
func fittingContent(body hcl.Body, schema *hcl.BodySchema) *hcl.BodyContent {
	b, ok := body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	for name := range b.Attributes {
		if !slices.ContainsFunc(schema.Attributes, func(a hcl.AttributeSchema) bool { return a.Name == name }) {
			return nil
		}
	}
	for _, a := range schema.Attributes {
		if _, ok := b.Attributes[a.Name]; a.Required && !ok {
			return nil
		}
	}
	var blocks hcl.Blocks
	for _, block := range b.Blocks {
		i := slices.IndexFunc(schema.Blocks, func(s hcl.BlockHeaderSchema) bool { return s.Type == block.Type })
		if i < 0 || len(block.Labels) != len(schema.Blocks[i].LabelNames) {
			return nil
		}
		blocks = append(blocks, block.AsHCLBlock())
	}
	attrs := make(hcl.Attributes, len(b.Attributes))
	for name, a := range b.Attributes {
		attrs[name] = a.AsHCLAttribute()
	}
	return &hcl.BodyContent{Attributes: attrs, Blocks: blocks, MissingItemRange: b.MissingItemRange()}
}

func (d *decoder) boolean(a *hcl.Attribute) bool {
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || v.IsNull() || !v.Type().Equals(cty.Bool) {
		d.errorf(a.Expr.Range(), "Invalid value", "The %s argument must be true or false.", a.Name)
		return false
	}
	return v.True()
}

// count reads a whole number between lo and hi.
func (d *decoder) count(a *hcl.Attribute, lo, hi int) int {
	v, diags := a.Expr.Value(nil)
	if !diags.HasErrors() && !v.IsNull() && v.Type().Equals(cty.Number) {
		if f := v.AsBigFloat(); f.IsInt() {
			if n, _ := f.Int64(); n >= int64(lo) && n <= int64(hi) {
				return int(n)
			}
		}
	}
	d.errorf(a.Expr.Range(), "Invalid value", "The %s argument must be a whole number from %d to %d.", a.Name, lo, hi)
	return lo
}

// fraction reads a number from 0 to 1.
func (d *decoder) fraction(a *hcl.Attribute) float64 {
	v, diags := a.Expr.Value(nil)
	if !diags.HasErrors() && !v.IsNull() && v.Type().Equals(cty.Number) {
		if f, _ := v.AsBigFloat().Float64(); f >= 0 && f <= 1 {
			return f
		}
	}
	d.errorf(a.Expr.Range(), "Invalid value", "The %s argument must be a share from 0 to 1, such as 0.8.", a.Name)
	return 0
}

// wordList reads a list of bare words such as [email, owner].
func (d *decoder) wordList(a *hcl.Attribute) []models.Ident {
	exprs, diags := hcl.ExprList(a.Expr)
	if diags.HasErrors() || len(exprs) == 0 {
		d.errorf(a.Expr.Range(), "Invalid list", "The %s argument must be a list of column names, such as [email, owner].", a.Name)
		return nil
	}
	var words []models.Ident
	for _, e := range exprs {
		words = append(words, d.word(&hcl.Attribute{Name: a.Name, Expr: e, Range: e.Range()}))
	}
	return words
}

func (d *decoder) grain(a *hcl.Attribute) *models.GrainSpec { return d.grainOr(a, false) }

// grainOr reads a grain; with none, also the word none, read as a
// GrainSpec without a grain (a segment's history = none).
func (d *decoder) grainOr(a *hcl.Attribute, none bool) *models.GrainSpec {
	w := d.word(a)
	var names []string
	if none {
		if w.Name == "none" {
			return &models.GrainSpec{Range: a.Expr.Range()}
		}
		names = append(names, "none")
	}
	for _, g := range models.Grains {
		if string(g) == w.Name {
			return &models.GrainSpec{Grain: g, Range: a.Expr.Range()}
		}
		names = append(names, string(g))
	}
	if w.Name != "" {
		d.errorf(a.Expr.Range(), "Unknown grain", "%q is not a grain. Use one of: %s.%s",
			w.Name, strings.Join(names, ", "), diag.DidYouMean(w.Name, names))
	}
	return nil
}

func (d *decoder) weekday(a *hcl.Attribute) time.Weekday {
	w := d.word(a)
	var names []string
	for day := time.Sunday; day <= time.Saturday; day++ {
		name := strings.ToLower(day.String())
		if name == strings.ToLower(w.Name) {
			return day
		}
		names = append(names, name)
	}
	d.errorf(a.Expr.Range(), "Unknown weekday", "%q is not a day of the week. Use one of: %s.%s",
		w.Name, strings.Join(names, ", "), diag.DidYouMean(strings.ToLower(w.Name), names))
	return time.Monday
}

func (d *decoder) month(a *hcl.Attribute) time.Month {
	w := d.word(a)
	var names []string
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		if name == strings.ToLower(w.Name) {
			return m
		}
		names = append(names, name)
	}
	d.errorf(a.Expr.Range(), "Unknown month", "%q is not a month. Use a month's name, such as \"april\".%s",
		w.Name, diag.DidYouMean(strings.ToLower(w.Name), names))
	return time.January
}

// refList reads a list of references such as [segment.a, segment.b].
func (d *decoder) refList(a *hcl.Attribute, kinds ...string) []models.Ref {
	exprs, diags := hcl.ExprList(a.Expr)
	if diags.HasErrors() {
		d.errorf(a.Expr.Range(), "Invalid list", "The %s argument must be a list such as [%s.name].", a.Name, kinds[0])
		return nil
	}
	var refs []models.Ref
	for _, e := range exprs {
		refs = append(refs, d.ref(&hcl.Attribute{Name: a.Name, Expr: e, Range: e.Range()}, kinds...))
	}
	return refs
}

// str evaluates a string attribute with no variables.
func (d *decoder) str(a *hcl.Attribute) string {
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		d.errorf(a.Expr.Range(), "Invalid value",
			"The %s argument must be a plain string, without references.", a.Name)
		return ""
	}
	if v.IsNull() || !v.Type().Equals(cty.String) {
		d.errorf(a.Expr.Range(), "Invalid value", "The %s argument must be a string.", a.Name)
		return ""
	}
	return v.AsString()
}

// name is a string attribute that becomes a SQL identifier: it must not be empty.
func (d *decoder) name(a *hcl.Attribute) string {
	s := d.str(a)
	if s == "" {
		d.errorf(a.Expr.Range(), "Empty name", "The %s argument must not be empty.", a.Name)
	}
	return s
}

// word reads a bare word (customer_id) or, equally, a quoted one ("customer_id").
func (d *decoder) word(a *hcl.Attribute) models.Ident {
	if t, diags := hcl.AbsTraversalForExpr(a.Expr); !diags.HasErrors() && len(t) == 1 {
		return models.Ident{Name: t.RootName(), Range: a.Expr.Range()}
	}
	if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type().Equals(cty.String) && !v.IsNull() {
		return models.Ident{Name: v.AsString(), Range: a.Expr.Range()}
	}
	d.errorf(a.Expr.Range(), "Invalid value", "The %s argument must be a name, such as customer_id.", a.Name)
	return models.Ident{Range: a.Expr.Range()}
}

// ref reads a reference such as source.customers; kinds lists the accepted prefixes.
func (d *decoder) ref(a *hcl.Attribute, kinds ...string) models.Ref {
	t, diags := hcl.AbsTraversalForExpr(a.Expr)
	if !diags.HasErrors() && len(t) == 2 {
		if attr, ok := t[1].(hcl.TraverseAttr); ok {
			for _, k := range kinds {
				if t.RootName() == k {
					return models.Ref{Kind: k, Name: attr.Name, Range: a.Expr.Range()}
				}
			}
		}
	}
	d.errorf(a.Expr.Range(), "Invalid reference",
		"The %s argument must be a reference such as %s.name.", a.Name, strings.Join(kinds, ".name or "))
	return models.Ref{Range: a.Expr.Range()}
}

// entityRef reads an entity name, written bare (customer) or as entity.customer.
func (d *decoder) entityRef(a *hcl.Attribute) models.Ref {
	if t, diags := hcl.AbsTraversalForExpr(a.Expr); !diags.HasErrors() {
		if len(t) == 1 {
			return models.Ref{Kind: "entity", Name: t.RootName(), Range: a.Expr.Range()}
		}
		if attr, ok := t[len(t)-1].(hcl.TraverseAttr); ok && len(t) == 2 && t.RootName() == "entity" {
			return models.Ref{Kind: "entity", Name: attr.Name, Range: a.Expr.Range()}
		}
	}
	w := d.word(a)
	return models.Ref{Kind: "entity", Name: w.Name, Range: w.Range}
}

// materialization reads materialized = "view" or "table".
func (d *decoder) materialization(a *hcl.Attribute, expr hcl.Expression) models.Materialization {
	w := d.word(&hcl.Attribute{Name: a.Name, Expr: expr, Range: expr.Range()})
	var names []string
	for _, m := range models.Materializations {
		if string(m) == w.Name {
			return m
		}
		names = append(names, string(m))
	}
	if w.Name != "" {
		d.errorf(expr.Range(), "Unknown materialization", "%q is not a materialization. Use \"view\" (computed when read) or \"table\" (computed when built).%s",
			w.Name, diag.DidYouMean(w.Name, names))
	}
	return ""
}

// choice reads a declaration's own materialized attribute.
func (d *decoder) choice(a *hcl.Attribute) models.Choice {
	return models.Choice{As: d.materialization(a, a.Expr), Range: a.Expr.Range()}
}

// materialize reads the project's materialized attribute: one value for
// every view ("table"), or an object with a value per kind of view and an
// optional default ({ default = "view", segment = "table" }).
func (d *decoder) materialize(a *hcl.Attribute) models.Materialize {
	m := models.Materialize{Range: a.Expr.Range()}
	pairs, diags := hcl.ExprMap(a.Expr)
	if diags.HasErrors() {
		m.Default = d.materialization(a, a.Expr)
		return m
	}
	kinds := append([]string{"default"}, models.ViewKinds...)
	m.ByKind = map[string]models.Materialization{}
	for _, kv := range pairs {
		kind := d.word(&hcl.Attribute{Name: "materialized", Expr: kv.Key, Range: kv.Key.Range()}).Name
		known := false
		for _, k := range kinds {
			known = known || k == kind
		}
		switch {
		case kind == "":
			continue
		case !known:
			d.errorf(kv.Key.Range(), "Unknown kind of view", "%q is not a kind of view. Use one of: %s.%s",
				kind, strings.Join(kinds, ", "), diag.DidYouMean(kind, kinds))
		case kind == "default":
			m.Default = d.materialization(a, kv.Value)
		default:
			m.ByKind[kind] = d.materialization(a, kv.Value)
		}
	}
	return m
}
