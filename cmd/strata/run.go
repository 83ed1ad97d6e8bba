package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/strata-analytics/strata/compiler"
)

// Exit codes, documented in docs/cli.md.
const (
	exitOK       = 0
	exitInvalid  = 1 // the project has errors
	exitUsage    = 2 // the command line is wrong
	exitDatabase = 3 // the database failed
	exitInternal = 4 // Strata failed: a bug to report
)

// globals are the flags every command takes, before or after its name.
type globals struct {
	project string
	// asOf is the pinned evaluation date, parsed where it enters; zero
	// means the warehouse's current date.
	asOf time.Time
	json bool
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.project, "project", g.project, "project directory")
	fs.Func("as-of", "date that relative time counts from, YYYY-MM-DD (default: the warehouse's current date)", func(s string) error {
		// Checked where it enters: an empty or impossible date is a usage
		// error, never a silent fall-back to the current date.
		day, err := compiler.ParseAsOf(s)
		if err != nil {
			return err
		}
		g.asOf = day
		return nil
	})
	fs.BoolVar(&g.json, "json", g.json, "print JSON for machines")
}

// env is what a command runs with.
type env struct {
	globals
	stdout, stderr io.Writer
}

type command struct {
	name    string
	args    string
	summary string
	run     func(e *env, args []string) int
}

var commands []command

func init() {
	commands = []command{
		{"init", "[DIR]", "create a new project with sample data", runInit},
		{"validate", "", "check the project and report every problem", runValidate},
		{"fmt", "[--check]", "give every .hcl file its canonical layout; --check lists those that lack it", runFmt},
		{"compile", "--dialect D --out DIR", "write the SQL of every view and a manifest", runCompile},
		{"build", "[--target T]", "load seeds and create every view in the target database", runBuild},
		{"test", "[--run PATTERN]", "run the project's test blocks on an in-memory DuckDB: given rows in, expected rows out", runTest},
		{"graph", "[--format F] [--upstream N]", "print the lineage of sources, models, metrics, segments and views as DOT, Mermaid or JSON", runGraph},
		{"plan", "[--target T]", "show what apply would change in the target: views to create, replace and drop, and who enters and leaves each segment", runPlan},
		{"apply", "[--target T] [--plan ID]", "deploy the project's views to the target in one transaction, recording what was deployed", runApply},
		{"docs", "--out DIR [--target T]", "write a static documentation site of every view, with lineage and SQL, and catalog.json for BI tools", runDocs},
		{"snapshot", "[--target T]", "record the members of every segment as of as_of in the target", runSnapshot},
		{"segments", "[--target T]", "print every segment's quality as of as_of: size, stability, reach, snapshots", runSegments},
		{"source", "add FILE [--name N]", "print a source block for a data file: its columns, typed as every cell reads", runSource},
		{"sources", "[--target T]", "count each source's rows and what changes the numbers silently: rows without a key, repeated keys, rows after as_of, empty cells", runSources},
		{"export", "NAME --out FILE", "write a segment's members, or its changes, to a file", runExport},
		{"show", "NAME [--limit N]", "print the rows of a view, segment or profile", runShow},
		{"sample-data", "--out DIR", "write the sample SaaS dataset (CSV)", runSampleData},
	}
}

// Run runs the strata command line and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	stdout, stderr = safeWriter{stdout}, safeWriter{stderr}
	e := &env{globals: globals{project: "."}, stdout: stdout, stderr: stderr}
	// --json decides how even a bad command line is reported, so it is
	// known before any flag is parsed.
	for _, a := range args {
		if a == "--json" || a == "-json" || a == "--json=true" || a == "-json=true" {
			e.json = true
		}
	}
	fs := newFlagSet("strata", e)
	fs.Usage = func() { usage(stderr) }
	if err := fs.Parse(args); err != nil {
		return e.flagError(err)
	}
	if fs.NArg() == 0 {
		if e.json {
			return e.fail(exitUsage, "no command given; run strata help")
		}
		usage(stderr)
		return exitUsage
	}
	name := fs.Arg(0)
	for _, c := range commands {
		if c.name == name {
			return c.run(e, fs.Args()[1:])
		}
	}
	if name == "help" {
		usage(stdout)
		return exitOK
	}
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return e.fail(exitUsage, "unknown command %q (commands: %s)", name, strings.Join(names, ", "))
}

func newFlagSet(name string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if e.json {
		fs.SetOutput(io.Discard) // reported as JSON by flagError
	}
	e.register(fs)
	return fs
}

// parseCommand parses a command's flags, which may come before or after its
// positional arguments, and returns the positional ones.
func parseCommand(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: strata [--project DIR] [--as-of YYYY-MM-DD] [--json] COMMAND [ARGS]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-12s %-22s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 invalid project or data, 2 usage, 3 database error, 4 internal error.")
}
