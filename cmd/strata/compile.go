package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/strata-analytics/strata/compiler"
)

func runCompile(e *env, args []string) int {
	fs := newFlagSet("compile", e)
	dialect := fs.String("dialect", "", "dialect to compile for (default: the target's)")
	targetName := fs.String("target", "", "target whose dialect to compile for (default: the default target)")
	out := fs.String("out", "", "directory to write the SQL files and manifest.json to (required)")
	if _, err := parseCommand(fs, args); err != nil {
		return exitUsage
	}
	if *out == "" {
		fmt.Fprintln(e.stderr, "strata compile: --out DIR is required")
		return exitUsage
	}
	l, code := e.readProject()
	if l == nil {
		return code
	}
	if *dialect == "" {
		t, code := e.target(l, *targetName)
		if t == nil {
			return code
		}
		*dialect = t.Dialect
	}
	compiled, code := e.render(l, *dialect)
	if compiled == nil {
		return code
	}
	manifest := compiled.Manifest(l.plan)
	files := map[string][]byte{
		compiler.SchemaFile: []byte(compiled.Schema),
		"manifest.json":     manifest.JSON(),
	}
	for i, v := range compiled.Views {
		files[compiler.FileName(i, len(compiled.Views), v.Output.Name)] = []byte(v.SQL)
	}
	if err := writeDirAtomically(*out, files); err != nil {
		fmt.Fprintf(e.stderr, "strata compile: %v\n", err)
		return exitUsage
	}
	if e.json {
		e.printJSON(map[string]any{"out": *out, "manifest": manifest})
		return exitOK
	}
	fmt.Fprintf(e.stdout, "wrote %d views for %s to %s (manifest.json lists them)\n", len(compiled.Views), *dialect, *out)
	return exitOK
}

var compiledFile = regexp.MustCompile(`^(\d+_.*\.sql|manifest\.json)$`)

// checkReplaceable refuses to replace a directory that holds anything
// compile did not write, such as the project itself.
func checkReplaceable(dir string) error {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || !compiledFile.MatchString(e.Name()) {
			return fmt.Errorf("refusing to replace %s: it holds %s, which compile did not write; choose an empty or new directory", dir, e.Name())
		}
	}
	return nil
}

// writeDirAtomically replaces dir with a directory holding exactly files:
// it writes a sibling temporary directory and renames it into place, so a
// failure leaves any earlier dir as it was.
func writeDirAtomically(dir string, files map[string][]byte) error {
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // gone after the rename; cleans up after a failure
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := checkReplaceable(dir); err != nil {
		return err
	}
	old := ""
	if _, err := os.Stat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir) // put the earlier output back
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}
