package compiler

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Manifest is the machine-readable catalog of a compiled project: every
// view, its columns and types, and what it depends on.
type Manifest struct {
	Project string `json:"project"`
	Dialect string `json:"dialect"`
	Schema  string `json:"schema"`
	// Location is the path of the schema the views are in, where a
	// target moved them: ["my-project", "analytics"].
	Location []string         `json:"location,omitempty"`
	AsOf     string           `json:"as_of,omitempty"`
	Outputs  []ManifestOutput `json:"outputs"`
}

// ManifestOutput describes one view.
type ManifestOutput struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Materialized is "view" or "table".
	Materialized string           `json:"materialized"`
	File         string           `json:"file"`
	Description  string           `json:"description,omitempty"`
	Columns      []ManifestColumn `json:"columns"`
	DependsOn    []string         `json:"depends_on"`
}

// ManifestColumn describes one column.
type ManifestColumn struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description,omitempty"`
}

// SchemaFile is the file name of the schema statement in a compiled directory.
const SchemaFile = "000_schema.sql"

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// FileName is the file the index-th of total views is written to: a
// sequence number, zero-padded so that listing the files keeps dependency
// order, and the name made safe for any file system.
func FileName(index, total int, name string) string {
	safe := unsafeFileChars.ReplaceAllString(name, "_")
	if len(safe) > 60 {
		safe = safe[:60]
	}
	width := max(3, len(strconv.Itoa(total)))
	return fmt.Sprintf("%0*d_%s.sql", width, index+1, safe)
}

// FileStem is a file name, without extension, for one view among others
// when there is no number to keep them apart (a snapshot of the SQL, a
// page of the docs): the view's name when it is a safe file name, else
// its safe part and a hash of the name, so that two names never share a
// file and none leaves the directory.
func FileStem(name string) string {
	safe := unsafeFileChars.ReplaceAllString(name, "_")
	if len(safe) > 60 {
		safe = safe[:60]
	}
	// "index" is the docs' index page, "000_schema" the schema's file.
	if safe == name && safe != "" && !strings.EqualFold(safe, "index") && !strings.EqualFold(safe, strings.TrimSuffix(SchemaFile, ".sql")) {
		return safe
	}
	var h uint32 = 2166136261 // FNV-1a
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * 16777619
	}
	return fmt.Sprintf("%s-%08x", safe, h)
}

// Manifest describes a compiled project.
func (c *Compiled) Manifest(plan *Plan) *Manifest {
	m := &Manifest{Project: plan.Project.Name, Dialect: c.Dialect, Schema: plan.Project.Schema, AsOf: asOfText(plan), Location: c.Place}
	for i, v := range c.Views {
		o := v.Output
		mo := ManifestOutput{Name: o.Name, Kind: o.Kind, Materialized: string(o.Materialized), File: FileName(i, len(c.Views), o.Name), Description: o.Description,
			DependsOn: append([]string{}, o.DependsOn...)}
		for _, col := range o.Columns {
			mo.Columns = append(mo.Columns, ManifestColumn{Name: col.Name, Type: col.Type.String(), Description: col.Description})
		}
		m.Outputs = append(m.Outputs, mo)
	}
	return m
}

// JSON encodes the manifest, indented, with a final newline.
func (m *Manifest) JSON() []byte {
	b, _ := json.MarshalIndent(m, "", "  ")
	return append(b, '\n')
}

// Script is the whole compiled project as one SQL script: the schema and
// Strata's tables, then every view in dependency order.
func (c *Compiled) Script() string {
	var s strings.Builder
	s.WriteString(c.SchemaScript())
	for _, v := range c.Views {
		s.WriteString("\n-- " + v.Output.Kind + " " + strconv.Quote(v.Output.Name) + "\n")
		s.WriteString(v.SQL)
	}
	return s.String()
}

// SchemaScript is what SchemaFile holds: the statement that creates the
// schema, then those that create Strata's tables if they are missing.
func (c *Compiled) SchemaScript() string {
	return c.Schema + strings.Join(c.Tables, "")
}

// asOfText is the pinned as_of as written, or "" when it is live.
func asOfText(plan *Plan) string {
	if plan.Model.AsOf.IsZero() {
		return ""
	}
	return plan.Model.AsOf.Format("2006-01-02")
}
