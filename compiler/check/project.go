package check

import (
	"maps"
	"slices"
	"strings"

	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/models"
)

func (c *checker) checkProject() {
	p := c.project
	var targets []declared
	for _, t := range p.Targets {
		targets = append(targets, declared{t.Name, t.DeclRange})
		c.checkTarget(t)
	}
	c.checkUnique("target", targets)
	if p.DefaultTarget != "" && c.target(p.DefaultTarget) == nil {
		var names []string
		for _, t := range p.Targets {
			names = append(names, t.Name)
		}
		c.errorf(p.DeclRange, "Unknown target",
			"default_target names %q, but no target block has that name.%s", p.DefaultTarget, diag.DidYouMean(p.DefaultTarget, names))
	}
}

func (c *checker) target(name string) *models.Target {
	for _, t := range c.project.Targets {
		if t.Name == name {
			return t
		}
	}
	return nil
}

func (c *checker) checkTarget(t *models.Target) {
	if t.Dialect == "" {
		return
	}
	d, ok := dialects.Lookup(t.Dialect)
	if !ok {
		c.errorf(t.DialectRange, "Unknown dialect",
			"Target %q uses dialect %q, which Strata does not know. Known dialects: %s.%s",
			t.Name, t.Dialect, strings.Join(dialects.Names(), ", "), diag.DidYouMean(t.Dialect, dialects.Names()))
		return
	}
	// What a target needs is the dialect's to say.
	needs := d.Needs()
	if needs.File && t.Path == "" {
		c.errorf(t.DeclRange, "Missing database path",
			"Target %q is a %s target and needs path = \"file.%s\", relative to the project directory.", t.Name, d.DisplayName(), d.Name())
	}
	if needs.Connection && t.ConnectionEnv == "" {
		c.errorf(t.DeclRange, "Missing connection",
			"Target %q needs connection_env, the name of the environment variable that holds its connection string.", t.Name)
	}
	known := map[string]bool{}
	var names []string
	for _, s := range needs.Settings {
		known[s.Name] = true
		names = append(names, s.Name)
		if s.Required && t.Settings[s.Name].Value == "" {
			c.errorf(t.DeclRange, "Missing target setting", "Target %q is a %s target and needs %s: %s.", t.Name, d.DisplayName(), s.Name, s.Doc)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(t.Settings)) {
		if known[name] {
			continue
		}
		what := "no settings besides dialect, schema, path and connection_env"
		if len(names) > 0 {
			what = "the settings " + strings.Join(names, ", ") + " besides dialect, schema, path and connection_env"
		}
		c.errorf(t.Settings[name].Range, "Unknown target setting",
			"Target %q is a %s target, which has %s; %q is not one of them.%s Credentials never go in project files: name the environment variable that holds them with connection_env.",
			t.Name, d.DisplayName(), what, name, diag.DidYouMean(name, append(names, "schema", "path", "connection_env")))
	}
}
