package decode

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-analytics/strata/internal/parallel"
	"github.com/strata-analytics/strata/models"
)

// File is one HCL file of a project: its name as diagnostics show it, and its bytes.
type File struct {
	Name  string
	Bytes []byte
}

// Parsed is the result of Files.
type Parsed struct {
	Project *models.Project
	// Files are the project's files by name, with their bytes only, for
	// printing source snippets.
	Files map[string]*hcl.File
	// SyntaxOK is false when a file could not be parsed; its blocks are
	// missing, so checking references would only report false problems.
	SyntaxOK bool
	// TestDiags are the problems of the test blocks, kept apart so that
	// the tests are checked against the plan even when only they are
	// wrong, and every problem is reported at once.
	TestDiags hcl.Diagnostics
}

// Files parses and decodes the files of one project. Files are decoded in
// name order so that declaration order, and with it the output, does not
// depend on how the caller listed them.
func Files(files []File) (*Parsed, hcl.Diagnostics) {
	sorted := append([]File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })

	parsed := &Parsed{Project: &models.Project{Calendar: models.DefaultCalendar}, Files: map[string]*hcl.File{}, SyntaxOK: true}
	d := &decoder{project: parsed.Project}
	// Files parse, and mostly decode, in parallel (parse.go); what they
	// decoded to joins in name order, which keeps the output
	// deterministic. The parser recurses; input nested deeper than it can
	// take safely is refused before it sees it.
	refused := make([]hcl.Diagnostics, len(sorted))
	parallel.Do(len(sorted), func(i int) { refused[i] = prescan(sorted[i].Bytes, sorted[i].Name) })
	var accepted []File
	var acceptedIndex []int
	for i, f := range sorted {
		if !refused[i].HasErrors() {
			accepted = append(accepted, f)
			acceptedIndex = append(acceptedIndex, i)
		}
	}
	fileResults := parseFiles(accepted)
	results := make([]parsedFile, len(sorted))
	for j, i := range acceptedIndex {
		results[i] = fileResults[j]
	}
	for i, f := range sorted {
		// Diagnostics need only the bytes; the syntax trees are garbage
		// once decoded.
		parsed.Files[f.Name] = &hcl.File{Bytes: f.Bytes}
		d.diags = append(append(d.diags, refused[i]...), results[i].diags...)
		if refused[i].HasErrors() || results[i].diags.HasErrors() {
			// Refused before parsing, or a body with syntax errors, which
			// would only add noise.
			parsed.SyntaxOK = false
			continue
		}
		for _, part := range results[i].parts {
			if part.decoded != nil {
				d.join(part.decoded)
			} else {
				d.decodeFile(part.tree)
			}
		}
	}
	if d.projectBlocks == 0 && parsed.SyntaxOK {
		d.diags = append(d.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing project block",
			Detail:   `Every project needs one project block, for example: project "acme" { schema = "analytics" }.`,
		})
	}
	parsed.TestDiags = d.testDiags
	return parsed, d.diags
}

// decoder turns HCL blocks into models, collecting every diagnostic.
type decoder struct {
	project       *models.Project
	projectBlocks int
	diags         hcl.Diagnostics
	testDiags     hcl.Diagnostics
}

var fileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "project", LabelNames: []string{"name"}},
		{Type: "target", LabelNames: []string{"name"}},
		{Type: "source", LabelNames: []string{"name"}},
		{Type: "model", LabelNames: []string{"name"}},
		{Type: "entity", LabelNames: []string{"name"}},
		{Type: "metric", LabelNames: []string{"name"}},
		{Type: "segment", LabelNames: []string{"name"}},
		{Type: "cohort", LabelNames: []string{"name"}},
		{Type: "test", LabelNames: []string{"name"}},
		{Type: "assert", LabelNames: []string{"name"}},
	},
}

// hasProjectBlock reports whether a file may hold a project block.
func hasProjectBlock(file *hcl.File) bool {
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return true
	}
	for _, b := range body.Blocks {
		if b.Type == "project" {
			return true
		}
	}
	return false
}

// join adds what a decoder of other files decoded.
func (d *decoder) join(f *decoder) {
	p, q := d.project, f.project
	p.Targets = append(p.Targets, q.Targets...)
	p.Sources = append(p.Sources, q.Sources...)
	p.Entities = append(p.Entities, q.Entities...)
	p.Metrics = append(p.Metrics, q.Metrics...)
	p.Segments = append(p.Segments, q.Segments...)
	p.Cohorts = append(p.Cohorts, q.Cohorts...)
	p.Tests = append(p.Tests, q.Tests...)
	p.Assertions = append(p.Assertions, q.Assertions...)
	d.diags = append(d.diags, f.diags...)
	d.testDiags = append(d.testDiags, f.testDiags...)
}

func (d *decoder) decodeFile(file *hcl.File) {
	content := d.content(file.Body, fileSchema)
	p := d.project
	for _, b := range content.Blocks {
		switch b.Type {
		case "project":
			d.decodeProject(b)
		case "target":
			p.Targets = append(p.Targets, d.decodeTarget(b))
		case "source":
			p.Sources = append(p.Sources, d.decodeRelation(b, models.KindSource))
		case "model":
			p.Sources = append(p.Sources, d.decodeRelation(b, models.KindModel))
		case "entity":
			p.Entities = append(p.Entities, d.decodeEntity(b))
		case "metric":
			p.Metrics = append(p.Metrics, d.decodeMetric(b))
		case "segment":
			p.Segments = append(p.Segments, d.decodeSegment(b))
		case "cohort":
			p.Cohorts = append(p.Cohorts, d.decodeCohort(b))
		case "assert":
			p.Assertions = append(p.Assertions, d.decodeAssertion(b))
		case "test":
			n := len(d.diags)
			p.Tests = append(p.Tests, d.decodeTest(b))
			d.testDiags = append(d.testDiags, d.diags[n:]...)
			d.diags = d.diags[:n]
		}
	}
}
