package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/internal/textdiff"
)

// The project's own golden files: the SQL `compile` writes for each
// target, committed under tests/sql/<target>/, so that a pull request
// shows the SQL a definition change makes, as Strata's own fixtures do.
// strata test compares them; strata test --update rewrites them. Each
// view's file is named after the view alone (compile numbers them in
// dependency order, and a new segment would renumber every later file),
// and the manifest, which lists those numbers, is left out.

// snapshotFile is the name of a file in a snapshot directory.
var snapshotFile = regexp.MustCompile(`^[^/]+\.sql$`)

// snapshotFiles are the files of one target's snapshot.
func snapshotFiles(compiled *compiler.Compiled) map[string]string {
	files := map[string]string{compiler.SchemaFile: compiled.SchemaScript()}
	for _, v := range compiled.Views {
		files[compiler.FileStem(v.Output.Name)+".sql"] = v.SQL
	}
	return files
}

// sqlSnapshotDir is where the snapshots of one target live: a target's
// name made a safe directory name, so none leaves tests/sql.
func sqlSnapshotDir(project, target string) string {
	return filepath.Join(project, "tests", "sql", compiler.FileStem(target))
}

// sqlSnapshot is one target's comparison.
type sqlSnapshot struct {
	Target  string   `json:"target"`
	Dialect string   `json:"dialect"`
	Dir     string   `json:"dir"`
	Changed []string `json:"changed"`
	Added   []string `json:"added"`   // compiled, not in the snapshots
	Removed []string `json:"removed"` // in the snapshots, no longer compiled
	Written bool     `json:"written"` // --update rewrote the directory
	// diffs are the line diffs of the changed files, for the text form.
	diffs map[string][]string
}

func (s *sqlSnapshot) differs() bool {
	return len(s.Changed)+len(s.Added)+len(s.Removed) > 0
}

// checkSQLSnapshots compiles the project l, planned without as_of (a
// pinned day would write dates into the SQL), for each of its targets,
// and compares the files with the snapshots, or rewrites them when
// update is set. It returns nil and the exit code when the project cannot
// compile; an empty list when the project has no snapshots and update is
// not set.
func (e *env) checkSQLSnapshots(l *loaded, update bool) ([]*sqlSnapshot, int) {
	if _, err := os.Stat(filepath.Join(e.project, "tests", "sql")); os.IsNotExist(err) && !update {
		return []*sqlSnapshot{}, exitOK
	}
	var out []*sqlSnapshot
	for _, t := range l.parsed.Project.Targets {
		compiled, code := e.render(l, t.Dialect, t)
		if compiled == nil {
			return nil, code
		}
		files := snapshotFiles(compiled)
		snap := &sqlSnapshot{Target: t.Name, Dialect: t.Dialect, Dir: sqlSnapshotDir(e.project, t.Name), diffs: map[string][]string{}}
		if update {
			if err := writeDirAtomically(snap.Dir, files, snapshotFile, nil); err != nil {
				return nil, e.fail(exitUsage, "test --update: %v", err)
			}
			snap.Written = true
		} else if err := snap.compare(files); err != nil {
			return nil, e.fail(exitUsage, "test: reading the SQL snapshots: %v", err)
		}
		out = append(out, snap)
	}
	return out, exitOK
}

// compare fills in what differs between the compiled files and the
// snapshot directory.
func (s *sqlSnapshot) compare(files map[string]string) error {
	entries, err := os.ReadDir(s.Dir)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	onDisk := map[string]bool{}
	for _, entry := range entries {
		if !entry.IsDir() && snapshotFile.MatchString(entry.Name()) {
			onDisk[entry.Name()] = true
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !onDisk[name] {
			s.Added = append(s.Added, name)
			continue
		}
		delete(onDisk, name)
		old, err := os.ReadFile(filepath.Join(s.Dir, name))
		if err != nil {
			return err
		}
		if string(old) != files[name] {
			s.Changed = append(s.Changed, name)
			s.diffs[name] = textdiff.Changes(string(old), files[name], 2)
		}
	}
	for name := range onDisk {
		s.Removed = append(s.Removed, name)
	}
	sort.Strings(s.Removed)
	return nil
}

// printSQLSnapshots prints what differs, or what was written.
func printSQLSnapshots(e *env, snaps []*sqlSnapshot) {
	for _, s := range snaps {
		rel := s.Dir
		if r, err := filepath.Rel(e.project, s.Dir); err == nil {
			rel = r
		}
		switch {
		case s.Written:
			fmt.Fprintf(e.stdout, "wrote   SQL of target %s (%s) to %s\n", s.Target, s.Dialect, rel)
		case !s.differs():
			fmt.Fprintf(e.stdout, "ok    SQL of target %s (%s) matches %s\n", s.Target, s.Dialect, rel)
		default:
			fmt.Fprintf(e.stdout, "FAIL  SQL of target %s (%s) differs from %s: %d changed, %d new, %d gone (strata test --update rewrites it)\n",
				s.Target, s.Dialect, rel, len(s.Changed), len(s.Added), len(s.Removed))
			for _, name := range s.Changed {
				fmt.Fprintf(e.stdout, "      changed %s\n", name)
				for _, line := range s.diffs[name] {
					fmt.Fprintf(e.stdout, "        %s\n", line)
				}
			}
			for _, name := range s.Added {
				fmt.Fprintf(e.stdout, "      new     %s\n", name)
			}
			for _, name := range s.Removed {
				fmt.Fprintf(e.stdout, "      gone    %s\n", name)
			}
		}
	}
}
