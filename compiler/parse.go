package compiler

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/decode"
	"github.com/strata-analytics/strata/compiler/diag"
)

// File is one HCL file of a project: its name as diagnostics show it, and its bytes.
type File = decode.File

// Parsed is the decoded project, with the HCL files for source snippets.
type Parsed = decode.Parsed

// Load decodes and plans a project, reporting every problem of both stages
// at once. The plan is nil when there is any error.
func Load(files []File, opts Options) (*Parsed, *Plan, hcl.Diagnostics) {
	parsed, diags := decode.Files(files)
	if !parsed.SyntaxOK {
		return parsed, nil, diag.Sort(diags)
	}
	plan, planDiags := PlanProject(parsed.Project, opts)
	diags = diag.Sort(append(diags, planDiags...))
	if diags.HasErrors() {
		return parsed, nil, diags
	}
	return parsed, plan, diags
}

// SortDiagnostics orders diagnostics by position and drops repeats.
func SortDiagnostics(diags hcl.Diagnostics) hcl.Diagnostics { return diag.Sort(diags) }

// WriteDiagnostics prints diagnostics with their source snippets.
var WriteDiagnostics = diag.Write
