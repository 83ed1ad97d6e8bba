// Package docsite writes a project's documentation as a static site,
// for strata docs: an index of every view with a search box, a page per
// view (its description, columns and types, the definition it comes from
// with a link to its file and line, a segment's rule and size, what it
// reads and what reads it, its SQL per dialect), and catalog.json, the
// same in a form a BI tool or data catalog can import.
//
// It reads a plan, its renderings and optional segment sizes, and returns
// the files; it writes nothing itself and runs no query.
package docsite
