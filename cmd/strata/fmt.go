package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/format"
)

// runFmt gives every .hcl file of the project its canonical layout, or,
// with --check, lists the files that do not have it.
func runFmt(e *env, args []string) int {
	fs := newFlagSet("fmt", e)
	check := fs.Bool("check", false, "change nothing: list the files that are not formatted and exit 1 if there are any")
	if _, err := parseCommand(fs, args); err != nil {
		return e.flagError(err)
	}
	files, code := e.projectFiles()
	if files == nil {
		return code
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	// Every file is formatted before any is written: a syntax error in
	// one leaves them all as they were.
	var diags hcl.Diagnostics
	formatted := make([][]byte, len(files))
	for i, f := range files {
		out, fileDiags := format.Source(f.Bytes, f.Name)
		diags = append(diags, fileDiags...)
		formatted[i] = out
	}
	if diags.HasErrors() {
		hclFiles := map[string]*hcl.File{}
		for _, f := range files {
			hclFiles[f.Name] = &hcl.File{Bytes: f.Bytes}
		}
		e.printDiagnostics(hclFiles, diags)
		return exitInvalid
	}
	var changed []string
	for i, f := range files {
		if bytes.Equal(f.Bytes, formatted[i]) {
			continue
		}
		changed = append(changed, f.Name)
		if *check {
			continue
		}
		if err := writeFileAtomically(f.Name, formatted[i]); err != nil {
			return e.fail(exitUsage, "fmt: %v", err)
		}
	}
	if e.json {
		if c := e.printJSON(map[string]any{"checked": len(files), "changed": nonNil(changed), "written": !*check}); c != exitOK {
			return c
		}
	} else {
		for _, name := range changed {
			fmt.Fprintln(e.stdout, name)
		}
		if *check && len(changed) > 0 {
			fmt.Fprintf(e.stderr, "%s not formatted: run strata fmt\n", plural(len(changed), "file"))
		}
	}
	if *check && len(changed) > 0 {
		return exitInvalid
	}
	return exitOK
}

// writeFileAtomically replaces (or creates) a file by writing a
// temporary file beside it and renaming it into place, keeping the
// file's permissions: a failure leaves the file as it was.
func writeFileAtomically(path string, b []byte) error {
	mode := os.FileMode(0o644)
	if info, err := os.Stat(path); err == nil {
		mode = info.Mode().Perm()
	} else if !os.IsNotExist(err) {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
