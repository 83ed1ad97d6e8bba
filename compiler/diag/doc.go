// Package diag holds what every stage of the compiler needs to speak with
// one voice about problems: did-you-mean suggestions, the order
// diagnostics are printed in, and the printer that shows each with its
// file:line:col and the source line underlined.
//
// It does not find problems; decode and check do.
package diag
