// Package decode turns a project's HCL files into a models.Project: the
// declared model, as written, with the source range of everything.
//
// One file per block kind holds the block's body schema and its decode
// function side by side (project.go, source.go, metric.go, ...); values.go
// reads the leaf values they share. prescan.go checks each file's bytes
// before the HCL parser sees them (nesting depth, NUL characters, size).
// parse.go cuts files into chunks parsed in parallel; fastparse.go parses
// the plain HCL most chunks are into hclsyntax's own syntax tree, and
// leaves everything else, errors included, to hclsyntax.
//
// Decoding reports what a block says wrongly on its own: an unknown
// attribute, a value of the wrong shape, a missing required argument,
// every problem at once. It does not resolve references between blocks
// or check types; the check package does. It reads no files: the caller
// passes their bytes.
package decode
