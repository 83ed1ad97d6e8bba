package compiler

import (
	"github.com/strata-analytics/strata/dialects"
	"github.com/strata-analytics/strata/models"
)

// TargetPlace is the path of the schema a target puts the views in, as
// its dialect qualifies it (["my-project", "analytics"] for a BigQuery
// target with a project), or nil where that is the project's schema.
func TargetPlace(p *models.Project, t *models.Target, d dialects.Dialect) []string {
	schema := p.Schema
	if t.Schema != "" {
		schema = t.Schema
	}
	settings := make(map[string]string, len(t.Settings))
	for name, s := range t.Settings {
		settings[name] = s.Value
	}
	place := d.Needs().Place(schema, settings)
	if len(place) == 1 && place[0] == p.Schema {
		return nil
	}
	return place
}
