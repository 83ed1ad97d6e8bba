package compiler

import (
	"io"
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// SortDiagnostics orders diagnostics by file and position, so that what is
// printed does not depend on the order the checks ran in.
func SortDiagnostics(diags hcl.Diagnostics) hcl.Diagnostics {
	out := append(hcl.Diagnostics(nil), diags...)
	sort.SliceStable(out, func(i, j int) bool { return rangeLess(out[i].Subject, out[j].Subject) })
	return out
}

// WriteDiagnostics prints diagnostics as hcl does: severity and summary,
// file:line:col, the source lines with the problem underlined, the detail.
func WriteDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics) error {
	return hcl.NewDiagnosticTextWriter(w, files, 0, false).WriteDiagnostics(diags)
}
