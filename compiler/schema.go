package compiler

import "github.com/hashicorp/hcl/v2"

// The body schemas of the language, one per block type. hcl reports any
// argument or block not listed here, with a suggestion.

var fileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "project", LabelNames: []string{"name"}},
		{Type: "target", LabelNames: []string{"name"}},
		{Type: "source", LabelNames: []string{"name"}},
		{Type: "model", LabelNames: []string{"name"}},
		{Type: "entity", LabelNames: []string{"name"}},
		{Type: "metric", LabelNames: []string{"name"}},
		{Type: "segment", LabelNames: []string{"name"}},
		{Type: "cohort", LabelNames: []string{"name"}},
	},
}

var projectSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "schema"},
		{Name: "default_target"},
		{Name: "week_start"},
		{Name: "fiscal_year_start"},
	},
}

var targetSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "dialect", Required: true},
		{Name: "path"},
		{Name: "connection_env"},
	},
}

// relationAttributes are shared by source and model blocks.
var relationAttributes = []hcl.AttributeSchema{
	{Name: "description"},
	{Name: "primary_key"},
	{Name: "entity"},
	{Name: "entity_key"},
	{Name: "time"},
}

var sourceSchema = &hcl.BodySchema{
	Attributes: append([]hcl.AttributeSchema{
		{Name: "table"},
		{Name: "file"},
	}, relationAttributes...),
	Blocks: []hcl.BlockHeaderSchema{{Type: "column", LabelNames: []string{"name"}}},
}

var modelSchema = &hcl.BodySchema{
	Attributes: append([]hcl.AttributeSchema{
		{Name: "sql", Required: true},
	}, relationAttributes...),
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "column", LabelNames: []string{"name"}},
		{Type: "dialect", LabelNames: []string{"name"}},
	},
}

var modelDialectSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "sql", Required: true}},
}

var columnSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type", Required: true},
		{Name: "description"},
	},
}

var entitySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "source", Required: true},
		{Name: "key", Required: true},
		{Name: "description"},
	},
}

var metricSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "value", Required: true},
		{Name: "of"},
		{Name: "from"},
		{Name: "where"},
		{Name: "window"},
		{Name: "valid"},
		{Name: "allow_overlap"},
		{Name: "grain"},
		{Name: "by"},
		{Name: "movements"},
		{Name: "description"},
	},
}

var segmentSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "of"},
		{Name: "where"},
		{Name: "description"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "tier", LabelNames: []string{"name"}}},
}

var tierSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "where"},
		{Name: "description"},
	},
}

var cohortSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "joined", Required: true},
		{Name: "active", Required: true},
		{Name: "of"},
		{Name: "grain"},
		{Name: "periods"},
		{Name: "retention"},
		{Name: "measures"},
		{Name: "by"},
		{Name: "description"},
	},
}
