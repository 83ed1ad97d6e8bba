package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/docsite"
	"github.com/strata-analytics/strata/engine"
	"github.com/strata-analytics/strata/sqltree"
)

// siteFile is a file the docs site is made of, for replacing an earlier one.
var siteFile = regexp.MustCompile(`^(index\.html|catalog\.json|style\.css|views)$`)

// runDocs writes the project's documentation site and catalog.
func runDocs(e *env, args []string) int {
	fs := newFlagSet("docs", e)
	out := fs.String("out", "", "directory to write the site to (required)")
	sizesFrom := fs.String("target", "", "also show each segment's size, read from this built target")
	if _, err := parseCommand(fs, args); err != nil {
		return e.flagError(err)
	}
	if *out == "" {
		return e.fail(exitUsage, "docs: --out DIR is required")
	}
	l, code := e.readProject()
	if l == nil {
		return code
	}
	// The SQL of every dialect the project targets.
	used := map[string]bool{}
	for _, t := range l.parsed.Project.Targets {
		used[t.Dialect] = true
	}
	if len(used) == 0 {
		used[dialects.Default().Name()] = true
	}
	in := docsite.Input{Plan: l.plan, Files: l.parsed.Files, ProjectDir: e.project, OutDir: *out, Compiled: map[string]*compiler.Compiled{}}
	for d := range used {
		compiled, code := e.render(l, d, nil)
		if compiled == nil {
			return code
		}
		in.Compiled[d] = compiled
	}
	if *sizesFrom != "" {
		sizes, code := e.segmentSizes(l, *sizesFrom)
		if sizes == nil {
			return code
		}
		in.Sizes = sizes
		in.SizesFrom = "target " + *sizesFrom + ", as of " + asOfText(l)
	}
	files, err := docsite.Build(in)
	if err != nil {
		return e.fail(exitInternal, "docs: %v", err)
	}
	if err := writeSite(*out, files); err != nil {
		return e.fail(exitUsage, "docs: %v", err)
	}
	views := len(files) - 3 // but index.html, catalog.json and style.css
	if e.json {
		return e.printJSON(map[string]any{"out": *out, "view_pages": views, "index": filepath.Join(*out, "index.html"), "catalog": filepath.Join(*out, "catalog.json")})
	}
	fmt.Fprintf(e.stdout, "wrote index.html, %d view pages and catalog.json to %s; open %s in a browser\n", views, *out, filepath.Join(*out, "index.html"))
	return exitOK
}

// writeSite writes the site's files into dir: the views/ pages replaced
// as one directory, atomically, then each top-level file replaced
// atomically on its own.
func writeSite(dir string, files map[string][]byte) error {
	top, pages := map[string][]byte{}, map[string]string{}
	for name, b := range files {
		if rest, ok := cutDir(name, "views/"); ok {
			pages[rest] = string(b)
		} else {
			top[name] = b
		}
	}
	// Refuse a directory holding anything a site does not (the project
	// itself, given by mistake).
	if entries, err := os.ReadDir(dir); err == nil {
		for _, entry := range entries {
			if strings.HasPrefix(entry.Name(), ".") {
				continue // the temporary files of a docs run that was killed, cleaned up below
			}
			if !siteFile.MatchString(entry.Name()) || entry.IsDir() != (entry.Name() == "views") {
				return fmt.Errorf("refusing to write the site into %s: it holds %s, which strata docs did not write; choose an empty or new directory", dir, entry.Name())
			}
		}
	}
	if err := writeDirAtomically(filepath.Join(dir, "views"), pages, regexp.MustCompile(`\.html$`), nil); err != nil {
		return err
	}
	for name, b := range top {
		if err := writeFileAtomically(filepath.Join(dir, name), b); err != nil {
			return err
		}
	}
	return nil
}

func cutDir(name, dir string) (string, bool) {
	if len(name) > len(dir) && name[:len(dir)] == dir {
		return name[len(dir):], true
	}
	return "", false
}

// segmentSizes counts each segment's members in a built target.
func (e *env) segmentSizes(l *loaded, target string) (map[string]int64, int) {
	ft, code := e.forTarget(l, target)
	if ft == nil {
		return nil, code
	}
	ctx := context.Background()
	wh, code := e.openTarget(ft)
	if wh == nil {
		return nil, code
	}
	defer wh.Close()
	sizes := map[string]int64{}
	var names []string
	for _, o := range l.plan.Outputs {
		if o.Kind == compiler.KindSegment {
			names = append(names, o.Name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		q := &sqltree.Select{Columns: []sqltree.SelectItem{{X: sqltree.Call{Name: "COUNT", Star: true}}},
			From: sqltree.Table{Path: viewPath(l.plan.Project.Schema, ft.compiled.Place, name)}}
		text, err := sqltree.RenderQuery(q, ft.dialect)
		if err != nil {
			return nil, e.fail(exitInternal, "docs: %v", err)
		}
		rows, err := wh.Query(ctx, text)
		if err != nil {
			return nil, e.databaseError(fmt.Errorf("%w (has `strata build --target %s` run?)", err, target))
		}
		sizes[name] = engine.Int(rows.Values[0][0])
	}
	return sizes, exitOK
}
