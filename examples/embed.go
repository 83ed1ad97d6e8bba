// Package examples embeds the example projects, so that `strata init` can
// write one into a new directory. The projects themselves are plain
// directories of HCL; their data is generated (see package sampledata).
package examples

import "embed"

// SaaS is the customer-success project of a B2B SaaS company, under "saas/".
//
//go:embed saas/*.hcl saas/tests/*.hcl saas/.gitignore
var SaaS embed.FS
