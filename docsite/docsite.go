package docsite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler"
	"github.com/strata-analytics/strata/compiler/check"
)

// Input is what the site is made of.
type Input struct {
	Plan *compiler.Plan
	// Files are the project's files by name, for the source of each
	// definition; ProjectDir is where they are, and OutDir where the site
	// goes, so that links to the files resolve from the pages.
	Files      map[string]*hcl.File
	ProjectDir string
	OutDir     string
	// Compiled is the project rendered for each dialect shown, by name.
	Compiled map[string]*compiler.Compiled
	// Sizes, when known (a built target), are each segment's members.
	Sizes map[string]int64
	// SizesFrom says where the sizes come from: "target local, as of 2025-06-30".
	SizesFrom string
}

// Catalog is the machine-readable description of every view, for a BI
// tool or a data catalog to import: catalog.json.
type Catalog struct {
	Project  string        `json:"project"`
	Schema   string        `json:"schema"`
	Dialects []string      `json:"dialects"`
	Views    []CatalogView `json:"views"`
}

// CatalogView is one view in the catalog.
type CatalogView struct {
	Name         string            `json:"name"`
	Kind         string            `json:"kind"`
	Materialized string            `json:"materialized"`
	Description  string            `json:"description,omitempty"`
	Columns      []CatalogColumn   `json:"columns"`
	DefinedIn    *CatalogPlace     `json:"defined_in,omitempty"`
	Definition   string            `json:"definition,omitempty"` // "segment.at_risk"
	Rule         string            `json:"rule,omitempty"`       // a segment's rule, as written
	Members      *int64            `json:"members,omitempty"`
	Upstream     []string          `json:"upstream"`
	Downstream   []string          `json:"downstream"`
	SQL          map[string]string `json:"sql"`
	Page         string            `json:"page"`
}

// CatalogColumn is one column of a view.
type CatalogColumn struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description,omitempty"`
}

// CatalogPlace is where a definition is written.
type CatalogPlace struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Link string `json:"link"` // relative to the site
}

// Build returns the site's files by name: index.html, a page per view
// under views/, catalog.json and style.css.
func Build(in Input) (map[string][]byte, error) {
	cat := catalog(in)
	files := map[string][]byte{"style.css": []byte(style)}
	b, err := json.MarshalIndent(cat, "", "  ")
	if err != nil {
		return nil, err
	}
	files["catalog.json"] = append(b, '\n')
	var index bytes.Buffer
	if err := indexPage.Execute(&index, cat); err != nil {
		return nil, err
	}
	files["index.html"] = index.Bytes()
	byName := map[string]*CatalogView{}
	for i := range cat.Views {
		byName[cat.Views[i].Name] = &cat.Views[i]
	}
	for _, v := range cat.Views {
		var page bytes.Buffer
		data := viewData{CatalogView: v, Project: cat.Project, Dialects: cat.Dialects, SizesFrom: in.SizesFrom}
		for _, u := range v.Upstream {
			data.Up = append(data.Up, link(u, byName))
		}
		for _, d := range v.Downstream {
			data.Down = append(data.Down, link(d, byName))
		}
		if err := viewPage.Execute(&page, data); err != nil {
			return nil, err
		}
		files[v.Page] = page.Bytes()
	}
	return files, nil
}

type viewData struct {
	CatalogView
	Project   string
	Dialects  []string
	SizesFrom string
	Up, Down  []linked
}

// linked is a lineage node with its page, when it has one.
type linked struct {
	Name, Href string
}

func link(id string, views map[string]*CatalogView) linked {
	if name, ok := strings.CutPrefix(id, "view."); ok {
		if v := views[name]; v != nil {
			return linked{Name: name, Href: "../" + v.Page}
		}
	}
	if name, ok := strings.CutPrefix(id, "model."); ok {
		if v := views[name]; v != nil {
			return linked{Name: id, Href: "../" + v.Page}
		}
	}
	return linked{Name: id}
}

// pageName is a view's page.
func pageName(view string) string { return "views/" + compiler.FileStem(view) + ".html" }

func catalog(in Input) Catalog {
	plan := in.Plan
	cat := Catalog{Project: plan.Project.Name, Schema: plan.Project.Schema}
	for d := range in.Compiled {
		cat.Dialects = append(cat.Dialects, d)
	}
	sort.Strings(cat.Dialects)
	// Each dialect's SQL by view, each view's found once.
	sqlByView := map[string]map[string]string{}
	for _, d := range cat.Dialects {
		sqlByView[d] = map[string]string{}
		for _, cv := range in.Compiled[d].Views {
			sqlByView[d][cv.Output.Name] = cv.SQL
		}
	}
	lineage := compiler.BuildLineage(plan)
	owners := plan.Model.ViewOwners()
	id := func(o *compiler.Output) string {
		if o.Kind == compiler.KindModel {
			return "model." + o.Name
		}
		return "view." + o.Name
	}
	for _, o := range plan.Outputs {
		v := CatalogView{Name: o.Name, Kind: o.Kind, Materialized: string(o.Materialized), Description: o.Description,
			Definition: owners[o.Name], SQL: map[string]string{}, Page: pageName(o.Name), Upstream: []string{}, Downstream: []string{}}
		if v.Materialized == "" {
			v.Materialized = "view"
		}
		for _, c := range o.Columns {
			v.Columns = append(v.Columns, CatalogColumn{Name: c.Name, Type: c.Type.String(), Description: c.Description})
		}
		if r := o.DeclRange; r.Filename != "" {
			v.DefinedIn = &CatalogPlace{File: r.Filename, Line: r.Start.Line, Link: fileLink(in, r)}
		}
		if o.Kind == compiler.KindSegment {
			if sg := plan.Model.Segment(strings.TrimPrefix(v.Definition, "segment.")); sg != nil {
				v.Rule = ruleText(in.Files, sg)
			}
			if n, ok := in.Sizes[o.Name]; ok {
				v.Members = &n
			}
		}
		for _, d := range cat.Dialects {
			if sql, ok := sqlByView[d][o.Name]; ok {
				v.SQL[d] = sql
			}
		}
		up := lineage.Around(id(o), true, false)
		for _, n := range up.Nodes {
			if n.ID != id(o) {
				v.Upstream = append(v.Upstream, n.ID)
			}
		}
		// Read by: what reads the view, and what reads the definition it
		// comes from (a segment's history reads the segment, not its view).
		seen := map[string]bool{id(o): true, v.Definition: true}
		for _, from := range []string{id(o), v.Definition} {
			if from == "" || !lineage.Has(from) {
				continue
			}
			for _, n := range lineage.Around(from, false, true).Nodes {
				if !seen[n.ID] {
					seen[n.ID] = true
					v.Downstream = append(v.Downstream, n.ID)
				}
			}
		}
		cat.Views = append(cat.Views, v)
	}
	return cat
}

// fileLink is the link from a view's page to the file a definition is
// in, at its line.
func fileLink(in Input, r hcl.Range) string {
	// The files are named as the project was read: relative to the
	// working directory, as the output directory is.
	path := r.Filename
	pages := filepath.Join(in.OutDir, "views")
	rel, err := filepath.Rel(absolute(pages), absolute(path))
	if err != nil {
		return ""
	}
	return filepath.ToSlash(rel) + fmt.Sprintf("#L%d", r.Start.Line)
}

func absolute(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// ruleText is a segment's rule as written in its file: its where, or
// its tiers' (or its split's) lines.
func ruleText(files map[string]*hcl.File, sg *check.Segment) string {
	d := sg.Decl
	source := func(e hcl.Expression) string {
		if e == nil {
			return ""
		}
		r := e.Range()
		f := files[r.Filename]
		if f == nil || r.End.Byte > len(f.Bytes) {
			return ""
		}
		return string(f.Bytes[r.Start.Byte:r.End.Byte])
	}
	if d.Where != nil {
		return source(d.Where)
	}
	var lines []string
	if d.Split != nil {
		lines = append(lines, "split of "+source(d.Split))
	}
	for _, t := range d.Tiers {
		switch {
		case t.Where != nil:
			lines = append(lines, t.Name+": "+source(t.Where))
		case t.Share > 0:
			lines = append(lines, fmt.Sprintf("%s: %d%%", t.Name, t.Share))
		default:
			lines = append(lines, t.Name+": the rest")
		}
	}
	return strings.Join(lines, "\n")
}
