package decode

import (
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/models"
)

// The source and model blocks share their attributes; a model has raw SQL
// instead of a table.

// relationAttributes are shared by source and model blocks.
var relationAttributes = []hcl.AttributeSchema{
	{Name: "description"},
	{Name: "primary_key"},
	{Name: "entity"},
	{Name: "entity_key"},
	{Name: "through"},
	{Name: "foreign_key"},
	{Name: "time"},
	{Name: "valid"},
}

var sourceSchema = &hcl.BodySchema{
	Attributes: append([]hcl.AttributeSchema{
		{Name: "table"},
		{Name: "file"},
	}, relationAttributes...),
	Blocks: []hcl.BlockHeaderSchema{{Type: "column", LabelNames: []string{"name"}}, {Type: "format"}},
}

var formatSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "delimiter"},
		{Name: "header"},
		{Name: "null"},
		{Name: "date_format"},
	},
}

var modelSchema = &hcl.BodySchema{
	Attributes: append([]hcl.AttributeSchema{
		{Name: "sql", Required: true},
		{Name: "materialized"},
		{Name: "columns_from"},
	}, relationAttributes...),
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "column", LabelNames: []string{"name"}},
		{Type: "dialect", LabelNames: []string{"name"}},
	},
}

var modelDialectSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "sql", Required: true}},
}

var columnSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"}, // required of a source's columns; a model's may take it from what it reads
		{Name: "description"},
	},
}

func (d *decoder) decodeRelation(b *hcl.Block, kind models.SourceKind) *models.Source {
	s := &models.Source{Kind: kind, Name: b.Labels[0], DeclRange: b.DefRange}
	schema := sourceSchema
	if kind == models.KindModel {
		schema = modelSchema
	}
	content := d.content(b.Body, schema)
	attrs := content.Attributes
	if a, ok := attrs["description"]; ok {
		s.Description = d.str(a)
	}
	if a, ok := attrs["table"]; ok {
		s.Table = d.tablePath(a)
		s.TableRange = a.Expr.Range()
	}
	if a, ok := attrs["file"]; ok {
		s.File = d.str(a)
		s.FileRange = a.Expr.Range()
	}
	if a, ok := attrs["sql"]; ok {
		s.SQL = d.sqlTemplate(a)
	}
	if a, ok := attrs["materialized"]; ok {
		s.Materialized = d.choice(a)
	}
	if a, ok := attrs["primary_key"]; ok {
		s.PrimaryKey = d.word(a)
	}
	if a, ok := attrs["entity"]; ok {
		s.Entity = d.entityRef(a)
	}
	if a, ok := attrs["entity_key"]; ok {
		s.EntityKey = d.word(a)
	}
	if a, ok := attrs["through"]; ok {
		s.Through = d.ref(a, "source", "model")
	}
	if a, ok := attrs["foreign_key"]; ok {
		s.ForeignKey = d.word(a)
	}
	if a, ok := attrs["time"]; ok {
		s.Time = d.word(a)
	}
	if a, ok := attrs["valid"]; ok {
		s.Valid = d.interval(a)
	}
	if a, ok := attrs["columns_from"]; ok {
		s.ColumnsFrom = d.refList(a, "source", "model")
	}
	for _, cb := range content.Blocks {
		switch cb.Type {
		case "column":
			col := d.decodeColumn(cb)
			if kind == models.KindSource && !col.TypeWritten() {
				d.errorf(cb.DefRange, "Column without a type",
					"Column %q of source %q needs a type, such as column %q { type = string }. Types: %s.",
					col.Name, s.Name, col.Name, strings.Join(models.TypeKeywords(), ", "))
			}
			s.Columns = append(s.Columns, col)
		case "format":
			if s.Format != nil {
				d.errorf(cb.DefRange, "Duplicate format", "Source %q has a format block already; keep one.", s.Name)
				continue
			}
			s.Format = d.decodeFormat(cb)
		case "dialect":
			dc := d.content(cb.Body, modelDialectSchema)
			if a, ok := dc.Attributes["sql"]; ok {
				if s.DialectSQL == nil {
					s.DialectSQL = map[string]*models.SQLTemplate{}
				}
				s.DialectSQL[cb.Labels[0]] = d.sqlTemplate(a)
			}
		}
	}
	_, hasTable := attrs["table"]
	_, hasFile := attrs["file"]
	if kind == models.KindSource && !hasTable && !hasFile {
		d.errorf(b.DefRange, "Source without table",
			"Source %q needs a table (table = \"raw.customers\") or a local seed file (file = \"data/customers.csv\").", s.Name)
	}
	return s
}

func (d *decoder) decodeColumn(b *hcl.Block) *models.Column {
	c := &models.Column{Name: b.Labels[0], DeclRange: b.DefRange}
	content := d.content(b.Body, columnSchema)
	if a, ok := content.Attributes["type"]; ok {
		c.TypeRange = a.Expr.Range()
		w := d.word(a)
		t, known := models.ParseType(w.Name)
		if !known && w.Name != "" {
			d.errorf(a.Expr.Range(), "Unknown type",
				"%q is not a column type. Use one of: %s.%s", w.Name,
				strings.Join(models.TypeKeywords(), ", "), diag.DidYouMean(w.Name, models.TypeKeywords()))
		}
		c.Type = t
	}
	if a, ok := content.Attributes["description"]; ok {
		c.Description = d.str(a)
	}
	return c
}

func (d *decoder) tablePath(a *hcl.Attribute) []string {
	s := d.str(a)
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ".")
	for _, p := range parts {
		if p == "" {
			d.errorf(a.Expr.Range(), "Invalid table name",
				"%q has an empty part. Write a table as name or schema.name.", s)
			return nil
		}
	}
	return parts
}

// sqlTemplate splits a model's SQL into literal text and ${source.x} /
// ${model.y} references.
func (d *decoder) sqlTemplate(a *hcl.Attribute) *models.SQLTemplate {
	t := &models.SQLTemplate{Range: a.Expr.Range()}
	var parts []hclsyntax.Expression
	switch e := a.Expr.(type) {
	case *hclsyntax.TemplateExpr:
		parts = e.Parts
	case *hclsyntax.TemplateWrapExpr:
		parts = []hclsyntax.Expression{e.Wrapped}
	default:
		d.errorf(a.Expr.Range(), "Invalid SQL", "The sql argument must be a string or a heredoc (<<-SQL ... SQL).")
		return t
	}
	for _, part := range parts {
		switch p := part.(type) {
		case *hclsyntax.LiteralValueExpr:
			if p.Val.Type().Equals(cty.String) && !p.Val.IsNull() {
				t.Parts = append(t.Parts, models.SQLPart{Text: p.Val.AsString()})
				continue
			}
		case *hclsyntax.ScopeTraversalExpr:
			tr := p.Traversal
			if len(tr) == 2 && (tr.RootName() == "source" || tr.RootName() == "model") {
				if attr, ok := tr[1].(hcl.TraverseAttr); ok {
					t.Parts = append(t.Parts, models.SQLPart{Ref: &models.Ref{Kind: tr.RootName(), Name: attr.Name, Range: p.Range()}})
					continue
				}
			}
		}
		d.errorf(part.Range(), "Invalid SQL reference",
			"Inside a model's SQL, ${...} may only name a relation: ${source.name} or ${model.name}. Write a literal $${ as $$${.")
	}
	return t
}

// decodeFormat reads a seed file's format block.
func (d *decoder) decodeFormat(b *hcl.Block) *models.SeedFormat {
	f := &models.SeedFormat{Range: b.DefRange}
	content := d.content(b.Body, formatSchema)
	if a, ok := content.Attributes["delimiter"]; ok {
		switch v := d.str(a); {
		case v == "whitespace":
			f.Whitespace = true
		case utf8.RuneCountInString(v) == 1 && v != "\"" && v != "\n" && v != "\r":
			f.Delimiter = v
		default:
			d.errorf(a.Expr.Range(), "Invalid delimiter",
				"delimiter is one character between fields (\",\", \";\", \"|\", \"\\t\"), or \"whitespace\" for fields separated by runs of spaces; %q is neither (and a quote or a line end cannot be one).", v)
		}
	}
	if a, ok := content.Attributes["header"]; ok {
		f.NoHeader = !d.boolean(a)
	}
	if a, ok := content.Attributes["null"]; ok {
		exprs, diags := hcl.ExprList(a.Expr)
		if diags.HasErrors() {
			d.errorf(a.Expr.Range(), "Invalid list", "null lists the cells read as NULL, such as [\"NA\", \"-\"].")
		}
		for _, e := range exprs {
			f.Null = append(f.Null, d.str(&hcl.Attribute{Name: "null", Expr: e, Range: e.Range()}))
		}
	}
	if a, ok := content.Attributes["date_format"]; ok {
		f.DateFormat = d.str(a)
		if bad := models.UnsupportedDateCode(f.DateFormat); bad != "" {
			d.errorf(a.Expr.Range(), "Invalid date_format",
				"date_format is written with the strptime codes %%Y (year), %%m (month), %%d (day), %%H, %%M and %%S (time), %%%% and other characters as they are (\"%%Y%%m%%d\", \"%%d/%%m/%%Y %%H:%%M\"); %s is not one of them.", bad)
		}
	}
	return f
}
