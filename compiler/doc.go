// Package compiler is the pipeline that turns a project's HCL into SQL
// views, calling its stages in turn:
//
//	decode.Files  []File            -> *decode.Parsed (a models.Project + the HCL files, for snippets)
//	check.Check   *models.Project   -> *check.Model  (resolved, typed, with holes)
//	views.New     *check.Model      -> *views.Plan   (one sqltree view per output)
//	Render        *Plan + dialect   -> *Compiled     (SQL text per view, in dependency order)
//	Manifest      *Compiled + *Plan -> *Manifest     (manifest.json)
//
// Load runs the first three and returns every problem of every stage at
// once; Render adds what one dialect cannot express (a function it lacks,
// a name longer than it keeps, two names it makes one, two seed files that
// would load into one of its tables). ParseAsOf is where as_of enters,
// once. Besides the views: the snapshot statements (snapshot.go) and the
// source reports (sources.go), rendered for a dialect.
//
// The package reads no files and opens no databases: the CLI reads the
// project directory and the engine package executes the SQL.
package compiler
