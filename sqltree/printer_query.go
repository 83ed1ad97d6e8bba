package sqltree

import "strconv"

func (s *Select) formatQuery(p *printer) {
	if len(s.With) > 0 {
		p.write("WITH")
		p.indent++
		for i, cte := range s.With {
			p.newline()
			p.ident(cte.Name)
			p.write(" AS (")
			p.indent++
			p.newline()
			cte.Query.formatQuery(p)
			p.indent--
			p.newline()
			p.write(")")
			if i < len(s.With)-1 {
				p.write(",")
			}
		}
		p.indent--
		p.newline()
	}
	p.write("SELECT")
	if s.Distinct {
		p.write(" DISTINCT")
	}
	p.indent++
	for i, c := range s.Columns {
		p.newline()
		c = p.d.Project(c)
		c.X.format(p)
		if col, ok := c.X.(Column); c.Alias != "" && (c.AlwaysAlias || !(ok && col.Name == c.Alias)) {
			p.write(" AS ")
			p.ident(c.Alias)
		}
		if i < len(s.Columns)-1 {
			p.write(",")
		}
	}
	p.indent--
	if s.From != nil {
		p.newline()
		p.write("FROM ")
		s.From.formatFrom(p)
	}
	for _, j := range s.Joins {
		p.newline()
		p.write(j.Kind + " ")
		j.Right.formatFrom(p)
		if j.On != nil {
			p.write(" ON ")
			j.On.format(p)
		}
	}
	if s.Where != nil {
		p.newline()
		p.write("WHERE ")
		s.Where.format(p)
	}
	if len(s.GroupBy) > 0 {
		p.newline()
		p.write("GROUP BY ")
		p.list(s.GroupBy)
	}
	for _, u := range s.Union {
		p.newline()
		p.write(p.d.Union(s.UnionAll))
		p.newline()
		u.formatQuery(p)
	}
	if len(s.OrderBy) > 0 {
		p.newline()
		p.write("ORDER BY ")
		p.orderBy(s.OrderBy)
	}
	if s.Limit > 0 {
		p.newline()
		p.write("LIMIT " + strconv.Itoa(s.Limit))
	}
}

func (t Table) formatFrom(p *printer) {
	p.path(t.Path)
	if t.Alias != "" {
		p.write(" AS ")
		p.ident(t.Alias)
	}
}

func (d Derived) formatFrom(p *printer) {
	p.write("(")
	p.indent++
	p.newline()
	d.Query.formatQuery(p)
	p.indent--
	p.newline()
	p.write(")")
	if d.Alias != "" {
		p.write(" AS ")
		p.ident(d.Alias)
	}
}

func (r *Raw) formatQuery(p *printer) {
	for _, part := range r.Parts {
		if part.Table != nil {
			p.path(part.Table)
			continue
		}
		p.write(part.Text)
	}
}

func (v *CreateView) formatStatement(p *printer) {
	for _, s := range p.d.ViewStatements(v) {
		if _, again := s.(*CreateView); again {
			p.fail("sqltree: dialect %s turned a view into a view", p.d.Name())
			return
		}
		s.formatStatement(p)
	}
}

func (v *DefineView) formatStatement(p *printer) {
	p.createAs("VIEW", v.OrReplace, v.Name, v.Options, v.Query, v.Trailing)
}

// createAs writes CREATE [OR REPLACE] <object> name [options] AS query
// [trailing].
func (p *printer) createAs(object string, orReplace bool, name []string, options []Expr, q Query, trailing []Expr) {
	p.write("CREATE ")
	if orReplace {
		p.write("OR REPLACE ")
	}
	p.write(object + " ")
	p.path(name)
	for _, o := range options {
		p.write(" ")
		o.format(p)
	}
	p.write(" AS")
	p.newline()
	q.formatQuery(p)
	for _, t := range trailing {
		p.newline()
		t.format(p)
	}
	p.write(";\n")
}

func (a *AlterColumn) formatStatement(p *printer) {
	p.write("ALTER " + a.Object + " ")
	p.path(a.Name)
	action := a.Action
	if action == "" {
		action = "ALTER COLUMN"
	}
	p.write(" " + action + " ")
	p.ident(a.Column)
	p.write(" ")
	a.Change.format(p)
	p.write(";\n")
}

func (v *DropView) formatStatement(p *printer) {
	p.write("DROP VIEW ")
	if v.IfExists {
		p.write("IF EXISTS ")
	}
	p.path(v.Name)
	if v.Cascade {
		p.write(" CASCADE")
	}
	p.write(";\n")
}

func (c *CommentOn) formatStatement(p *printer) {
	p.write("COMMENT ON " + c.Object + " ")
	p.path(c.Name)
	p.write(" IS ")
	p.str(c.Comment)
	p.write(";\n")
}

func (s *DropSchema) formatStatement(p *printer) {
	p.write("DROP SCHEMA IF EXISTS ")
	p.path(s.Path)
	p.write(";\n")
}

func (r *RenameTable) formatStatement(p *printer) {
	p.write("ALTER TABLE ")
	p.path(r.Name)
	p.write(" RENAME TO ")
	p.path([]string{r.To})
	p.write(";\n")
}

func (s *CreateSchema) formatStatement(p *printer) {
	p.write("CREATE " + p.d.SchemaObject() + " IF NOT EXISTS ")
	p.path(s.Path)
	p.write(";\n")
}

func (t *CreateTableAs) formatStatement(p *printer) {
	p.createAs("TABLE", t.OrReplace, t.Name, t.Options, t.Query, t.Trailing)
}

func (t *CreateTable) formatStatement(p *printer) {
	p.write("CREATE TABLE ")
	if t.IfNotExists {
		p.write("IF NOT EXISTS ")
	}
	p.path(t.Name)
	p.write(" (")
	for i, c := range t.Columns {
		if i > 0 {
			p.write(", ")
		}
		p.ident(c.Name)
		p.write(" " + p.d.TypeName(c.Type))
	}
	p.write(")")
	if options := p.d.TableOptions(); options != "" {
		p.write(" " + options)
	}
	p.write(";\n")
}

func (s *Insert) formatStatement(p *printer) {
	p.write("INSERT INTO ")
	p.path(s.Table)
	p.write(" (")
	for i, c := range s.Columns {
		if i > 0 {
			p.write(", ")
		}
		p.ident(c)
	}
	p.write(")\n")
	s.Query.formatQuery(p)
	p.write(";\n")
}

func (s *Delete) formatStatement(p *printer) {
	p.write("DELETE FROM ")
	p.path(s.Table)
	p.write(" WHERE ")
	s.Where.format(p)
	p.write(";\n")
}

func (t *DropTable) formatStatement(p *printer) {
	p.write("DROP TABLE ")
	if t.IfExists {
		p.write("IF EXISTS ")
	}
	p.path(t.Name)
	if t.Cascade {
		p.write(" CASCADE")
	}
	p.write(";\n")
}

func (s DateSeries) formatFrom(p *printer) { p.d.Series(s).formatFrom(p) }

func (f FunctionRows) formatFrom(p *printer) {
	f.Call.format(p)
	p.write(" AS ")
	p.ident(f.Alias)
	p.write("(")
	p.ident(f.Column)
	p.write(")")
}

func (t TableCall) formatFrom(p *printer) {
	Call{Name: t.Name, Args: t.Args}.format(p)
	if t.Alias != "" {
		p.write(" AS ")
		p.ident(t.Alias)
	}
}
