package check

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-analytics/strata/compiler/diag"
	"github.com/strata-analytics/strata/models"
)

// checkQuality resolves what a segment's quality reads and checks the
// floors it sets: the contact attributes (the segment's own, else its
// entity's) name the entity's columns; the metrics the rule reads are
// what measured counts; and floors need the segment's quality view,
// which is made from its history.
func (c *checker) checkQuality() {
	for _, ent := range c.model.Entities {
		entityContact := c.contactColumns(ent, ent.Decl.Contact)
		for _, sg := range ent.Segments {
			sg.Contact = entityContact
			if sg.Decl.Contact != nil {
				sg.Contact = c.contactColumns(ent, sg.Decl.Contact)
			}
			for _, name := range sg.Used {
				if m := c.model.metrics[name]; m != nil && m.Entity == ent {
					sg.Measured = append(sg.Measured, name)
				}
			}
			c.checkFloors(sg)
		}
	}
}

// contactColumns resolves contact attribute names to the entity's columns.
func (c *checker) contactColumns(ent *Entity, names []models.Ident) []*models.Column {
	var cols []*models.Column
	for _, id := range names {
		col := ent.Column(id.Name)
		if col == nil {
			var known []string
			for _, k := range ent.Rel.Decl.Columns {
				known = append(known, k.Name)
			}
			c.errorf(id.Range, "Unknown contact column",
				"Entity %q's source has no column %q to reach its members by.%s Name columns of %s, such as an email or an owner.",
				ent.Decl.Name, id.Name, diag.DidYouMean(id.Name, known), ent.Rel.Ref())
			continue
		}
		cols = append(cols, col)
	}
	return cols
}

// checkFloors reports floors a segment cannot have: any without a
// history (the quality view is made from it), contactable without
// contact columns, measured when the rule reads no metric.
func (c *checker) checkFloors(sg *Segment) {
	d := sg.Decl
	floors := make([]hcl.Range, 0, len(d.Expect)+1)
	if d.MinSize > 0 {
		floors = append(floors, d.MinSizeRange)
	}
	for _, e := range d.Expect {
		floors = append(floors, e.Range)
	}
	if len(floors) > 0 && sg.History == "" {
		c.errorf(floors[0], "Quality without history",
			"Segment %q sets a floor on its quality, which %s measures period by period from the segment's history, and it has none. "+
				"Add history = month (or another grain) to the segment, or set history in the project block for every segment.",
			d.Name, QualityView(sg))
	}
	for _, e := range d.Expect {
		switch {
		case e.Measure == "contactable" && len(sg.Decl.Contact) == 0 && len(sg.Entity.Decl.Contact) == 0:
			c.errorf(e.Range, "Contactable without contact",
				"Segment %q expects a share of contactable members, but neither it nor entity %q names contact columns. "+
					"Add contact = [email] (the columns a member is reached by) to the entity or the segment.", d.Name, sg.Entity.Decl.Name)
		case e.Measure == "measured" && len(sg.Measured) == 0:
			c.errorf(e.Range, "Measured without metrics",
				"Segment %q expects a share of members with a value for every metric its rule reads, and its rule reads no metric of %s (it reads %s). "+
					"Remove measured, or set it on a segment whose rule reads metrics.", d.Name, sg.Entity.Decl.Name, orNothing(sg.Used))
		}
	}
}

func orNothing(names []string) string {
	if len(names) == 0 {
		return "no column"
	}
	return strings.Join(names, ", ")
}
