package compiler

import (
	"encoding/json"
	"fmt"
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

// FileName is the file the index-th of total views is written to: a
// sequence number, zero-padded so that listing the files keeps dependency
// order, and the name made safe for any file system.
func FileName(index, total int, name string) string {
	number := strconv.Itoa(index + 1)
	width := max(3, len(strconv.Itoa(total)))
	b := make([]byte, 0, width+len(name)+5)
	for i := len(number); i < width; i++ {
		b = append(b, '0')
	}
	b = append(b, number...)
	b = append(b, '_')
	b = append(b, safeFileName(name)...)
	return string(append(b, ".sql"...))
}

// safeFileName is name with every run of characters other than ASCII
// letters, digits, '_' and '-' replaced by one '_', cut to 60 bytes. It
// is a loop, not a regular expression: compile names tens of thousands
// of files with it.
func safeFileName(name string) string {
	safe := 0
	for safe < len(name) && fileNameByte(name[safe]) {
		safe++
	}
	if safe < len(name) {
		b := []byte(name[:safe])
		for i := safe; i < len(name); i++ {
			switch {
			case fileNameByte(name[i]):
				b = append(b, name[i])
			case i == 0 || fileNameByte(name[i-1]):
				b = append(b, '_') // one for a whole run of unsafe bytes
			}
		}
		name = string(b)
	}
	if len(name) > 60 {
		return name[:60]
	}
	return name
}

func fileNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// FileStem is a file name, without extension, for one view among others
// when there is no number to keep them apart (a snapshot of the SQL, a
// page of the docs): the view's name when it is a safe file name, else
// its safe part and a hash of the name, so that two names never share a
// file and none leaves the directory.
func FileStem(name string) string {
	safe := safeFileName(name)
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
	if len(c.Views) > 0 {
		m.Outputs = make([]ManifestOutput, 0, len(c.Views))
	}
	for i, v := range c.Views {
		o := v.Output
		mo := ManifestOutput{Name: o.Name, Kind: o.Kind, Materialized: string(o.Materialized), File: FileName(i, len(c.Views), o.Name), Description: o.Description,
			DependsOn: append([]string{}, o.DependsOn...)}
		if len(o.Columns) > 0 {
			mo.Columns = make([]ManifestColumn, 0, len(o.Columns))
		}
		for _, col := range o.Columns {
			mo.Columns = append(mo.Columns, ManifestColumn{Name: col.Name, Type: col.Type.String(), Description: col.Description})
		}
		m.Outputs = append(m.Outputs, mo)
	}
	return m
}

// JSON encodes the manifest, indented, with a final newline: the bytes
// json.MarshalIndent(m, "", "  ") gives, written field by field. A
// manifest of 50,000 views is tens of megabytes, which the reflecting
// encoder took a quarter to half a second to write and indent.
func (m *Manifest) JSON() string {
	// Room for the whole manifest, so that tens of megabytes are not
	// copied as the buffer doubles: each column, output and dependency
	// takes its strings and about as much again in keys and indent.
	size := 512
	for _, o := range m.Outputs {
		size += 256 + 2*len(o.Name) + len(o.Description)
		for _, c := range o.Columns {
			size += 96 + len(c.Name) + len(c.Type) + len(c.Description)
		}
		for _, d := range o.DependsOn {
			size += 16 + len(d)
		}
	}
	var w jsonWriter
	w.b.Grow(size)
	w.open('{')
	w.field("project", m.Project)
	w.field("dialect", m.Dialect)
	w.field("schema", m.Schema)
	if len(m.Location) > 0 {
		w.key("location")
		w.strings(m.Location)
	}
	if m.AsOf != "" {
		w.field("as_of", m.AsOf)
	}
	w.key("outputs")
	if m.Outputs == nil {
		w.null()
	} else {
		w.open('[')
		for _, o := range m.Outputs {
			w.element()
			w.open('{')
			w.field("name", o.Name)
			w.field("kind", o.Kind)
			w.field("materialized", o.Materialized)
			w.field("file", o.File)
			if o.Description != "" {
				w.field("description", o.Description)
			}
			w.key("columns")
			if o.Columns == nil {
				w.null()
			} else {
				w.open('[')
				for _, c := range o.Columns {
					w.element()
					w.open('{')
					w.field("name", c.Name)
					w.field("type", c.Type)
					if c.Description != "" {
						w.field("description", c.Description)
					}
					w.close('}')
				}
				w.close(']')
			}
			w.key("depends_on")
			w.strings(o.DependsOn)
			w.close('}')
		}
		w.close(']')
	}
	w.close('}')
	w.b.WriteByte('\n')
	return w.b.String()
}

// jsonWriter writes indented JSON as json.MarshalIndent with the indent
// "  " does: each member or element on its own line, empty arrays and
// objects as [] and {}, strings escaped by encoding/json.
type jsonWriter struct {
	b     strings.Builder // its String does not copy tens of megabytes
	depth int
	empty bool // the array or object just opened has no member yet
}

func (w *jsonWriter) open(bracket byte) {
	w.b.WriteByte(bracket)
	w.depth++
	w.empty = true
}

func (w *jsonWriter) close(bracket byte) {
	w.depth--
	if !w.empty {
		w.newline()
	}
	w.b.WriteByte(bracket)
	w.empty = false
}

// element starts a member or an element: after a comma unless it is
// the first, on a new line.
func (w *jsonWriter) element() {
	if !w.empty {
		w.b.WriteByte(',')
	}
	w.empty = false
	w.newline()
}

func (w *jsonWriter) newline() {
	w.b.WriteByte('\n')
	for i := 0; i < w.depth; i++ {
		w.b.WriteString("  ")
	}
}

func (w *jsonWriter) key(k string) {
	w.element()
	w.string(k)
	w.b.WriteString(": ")
}

func (w *jsonWriter) field(k, v string) {
	w.key(k)
	w.string(v)
}

func (w *jsonWriter) null() { w.b.WriteString("null") }

// strings writes a list of strings; a nil one is null.
func (w *jsonWriter) strings(list []string) {
	if list == nil {
		w.null()
		return
	}
	w.open('[')
	for _, s := range list {
		w.element()
		w.string(s)
	}
	w.close(']')
}

// string writes s quoted. Printable ASCII that JSON and HTML leave alone
// is copied; anything else is escaped by encoding/json itself, so that
// control characters, '<', invalid UTF-8 and U+2028 come out as the
// standard encoder writes them.
func (w *jsonWriter) string(s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			quoted, _ := json.Marshal(s)
			w.b.Write(quoted)
			return
		}
	}
	w.b.WriteByte('"')
	w.b.WriteString(s)
	w.b.WriteByte('"')
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
