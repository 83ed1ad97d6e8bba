package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/strata-analytics/strata/deploy"
	"github.com/strata-analytics/strata/engine"
)

// runPlan shows what apply would do to a target: the views to create,
// replace and drop, and who would enter and leave each segment.
func runPlan(e *env, args []string) int {
	fs := newFlagSet("plan", e)
	targetName := fs.String("target", "", "target to compare with (default: the default target)")
	detailed := fs.Bool("detailed-exitcode", false, "exit 0 when there is nothing to change, 2 when there is (1 on an error), as terraform plan does")
	noImpact := fs.Bool("no-impact", false, "do not measure the segments' change (which runs the new views on the target's data)")
	if _, err := parseCommand(fs, args); err != nil {
		return e.flagError(err)
	}
	p, code := e.makePlan(*targetName, !*noImpact, false)
	if p == nil {
		return code
	}
	if e.json {
		if c := e.printJSON(p); c != exitOK {
			return c
		}
	} else {
		printPlan(e, p)
	}
	if *detailed && p.Changed() {
		return exitChanges
	}
	return exitOK
}

// exitChanges is plan --detailed-exitcode's "there are changes".
const exitChanges = 2

// runApply deploys the project to a target in one transaction.
func runApply(e *env, args []string) int {
	fs := newFlagSet("apply", e)
	targetName := fs.String("target", "", "target to deploy to (default: the default target)")
	planID := fs.String("plan", "", "the id plan printed: refuse if the target or the project changed since")
	adopt := fs.Bool("adopt", false, "take over views of the project's names that Strata did not record creating (a schema strata build made)")
	if _, err := parseCommand(fs, args); err != nil {
		return e.flagError(err)
	}
	p, code := e.makePlan(*targetName, false, true)
	if p == nil {
		return code
	}
	if *planID != "" && *planID != p.ID {
		return e.fail(exitInvalid, "apply: the plan is %s, not %s: the target's deployed views or the project changed since that plan. Run strata plan again and review it.", p.ID, *planID)
	}
	if len(p.Conflicts) > 0 && !*adopt {
		return e.fail(exitInvalid, "apply: %v", p.ConflictError())
	}
	ft, code := e.readForTarget(*targetName)
	if ft == nil {
		return code
	}
	ctx := context.Background()
	// Apply may create a DuckDB file that does not exist yet.
	wh, err := engine.Open(ctx, ft.target, e.project)
	if err != nil {
		return e.databaseError(err)
	}
	defer wh.Close()
	if !e.json {
		fmt.Fprintf(e.stderr, "applying plan %s to target %s in one transaction ...\n", p.ID, p.Target)
	}
	started := time.Now()
	if err := deploy.Apply(ctx, wh, p, time.Now(), *adopt); err != nil {
		if errors.Is(err, deploy.ErrStateChanged) {
			return e.fail(exitInvalid, "apply: %s. The database was left as it was.", deploy.StateChanged)
		}
		return e.databaseError(err)
	}
	if e.json {
		return e.printJSON(map[string]any{"applied": p.ID, "target": p.Target, "created": p.Count(deploy.Create), "replaced": p.Count(deploy.Replace),
			"dropped": p.Count(deploy.Drop), "unchanged": p.Count(deploy.Unchanged)})
	}
	fmt.Fprintf(e.stdout, "Applied plan %s to target %s: %d created, %d replaced, %d dropped, %d unchanged, in %.1fs.\n",
		p.ID, p.Target, p.Count(deploy.Create), p.Count(deploy.Replace), p.Count(deploy.Drop), p.Count(deploy.Unchanged), time.Since(started).Seconds())
	return exitOK
}

// makePlan reads the project and the target and plans; create lets a
// DuckDB target's file be new (apply), else it must exist (plan).
func (e *env) makePlan(targetName string, impact, create bool) (*deploy.Plan, int) {
	ft, code := e.readForTarget(targetName)
	if ft == nil {
		return nil, code
	}
	ctx := context.Background()
	open := engine.OpenExisting
	if create {
		open = engine.Open
	}
	wh, err := open(ctx, ft.target, e.project)
	if err != nil {
		return nil, e.databaseError(err)
	}
	defer wh.Close()
	if impact && !e.json {
		fmt.Fprintf(e.stderr, "reading target %s, and measuring each segment's change on its data ...\n", ft.target.Name)
	}
	p, err := deploy.MakePlan(ctx, wh, deploy.Target{Name: ft.target.Name, Dialect: ft.dialect, Compiled: ft.compiled, Plan: ft.plan}, impact)
	if err != nil {
		return nil, e.databaseError(err)
	}
	return p, exitOK
}

func printPlan(e *env, p *deploy.Plan) {
	fmt.Fprintf(e.stdout, "Plan %s for target %s (%s), schema %s:\n", p.ID, p.Target, p.Dialect, strings.Join(p.Schema, "."))
	marks := map[deploy.Action]string{deploy.Create: "+ create ", deploy.Replace: "~ replace", deploy.Drop: "- drop   "}
	for _, c := range p.Changes {
		if c.Action == deploy.Unchanged {
			continue
		}
		line := "  " + marks[c.Action] + "  " + c.View
		if c.Missing {
			line += " (recorded, but missing from the warehouse)"
		}
		fmt.Fprintln(e.stdout, line)
		for _, d := range c.Diff {
			fmt.Fprintf(e.stdout, "        %s\n", d)
		}
	}
	if n := p.Count(deploy.Unchanged); n > 0 {
		fmt.Fprintf(e.stdout, "  = %s unchanged\n", plural(n, "view"))
	}
	for _, name := range p.Conflicts {
		fmt.Fprintf(e.stdout, "  ! conflict %s: the schema has an object of that name that Strata did not record creating; apply refuses (rename the view, drop the object, or apply --adopt)\n", name)
	}
	if len(p.Impacts) > 0 {
		fmt.Fprintln(e.stdout, "\nSegments, on the target's current data:")
		width := 0
		for _, im := range p.Impacts {
			width = max(width, len(im.Segment))
		}
		for _, im := range p.Impacts {
			fmt.Fprintf(e.stdout, "  %-*s  +%s enter, −%s leave, %s stay\n", width, im.Segment,
				formatCount(im.Enter), formatCount(im.Leave), formatCount(im.Stay))
		}
	}
	if p.ImpactError != "" {
		fmt.Fprintf(e.stdout, "\nThe segments' change could not be measured (running the new views failed; apply may fail the same way): %s\n", p.ImpactError)
	}
	if !p.Changed() {
		fmt.Fprintln(e.stdout, "\nNo changes: the target has what the project deploys.")
		return
	}
	fmt.Fprintf(e.stdout, "\nPlan: %d to create, %d to replace, %d to drop. Deploy exactly this with: strata apply --target %s --plan %s\n",
		p.Count(deploy.Create), p.Count(deploy.Replace), p.Count(deploy.Drop), p.Target, p.ID)
}
