// Package sqltree is a typed SQL syntax tree and its printer.
//
// The compiler builds trees of these nodes; a Dialect (implemented by the
// packages under dialects/) decides how identifiers and strings are quoted,
// what the types are called and how the few non-portable functions are
// written. Nodes never hold pre-rendered SQL, so a later pass can still
// inspect and rewrite them; the only raw text is a user's own SQL model body.
//
// The package knows nothing of HCL or of the declared model: it neither
// checks types nor resolves names. Rendering is deterministic.
package sqltree
