// Package synthetic generates large, valid Strata projects for benchmarks:
// N definitions (metrics and segments, half each) spread over entities of
// 200 definitions, using every kind of construct (filters, windows,
// validity intervals, derived metrics, percent ranks, tiers). It is for
// benchmarks only.
package synthetic

import (
	"fmt"
	"strings"

	"github.com/strata-analytics/strata/compiler"
)

// perEntity is how many definitions each entity gets; real projects have
// tens to hundreds per entity, not thousands in one view.
const perEntity = 200

// Project returns the files of a project with n metric and segment definitions.
func Project(n int) []compiler.File {
	files := []compiler.File{{Name: "project.hcl", Bytes: []byte(`project "synthetic" {
  schema         = "analytics"
  default_target = "local"
}
target "local" {
  dialect = "duckdb"
  path    = "synthetic.duckdb"
}
target "warehouse" {
  dialect        = "postgres"
  connection_env = "SYNTHETIC_DSN"
}
`)}}
	for e := 0; n > 0; e++ {
		count := min(n, perEntity)
		n -= count
		files = append(files, compiler.File{Name: fmt.Sprintf("entity_%04d.hcl", e), Bytes: []byte(entity(e, count))})
	}
	return files
}

func entity(e, definitions int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `source "accounts_%[1]d" {
  table       = "raw.accounts_%[1]d"
  primary_key = account_id
  time        = created_at
  column "account_id" { type = string }
  column "created_at" { type = timestamp }
  column "channel"    { type = string }
  column "country"    { type = string }
  column "seats"      { type = integer }
  column "last_seen"  { type = timestamp }
}
source "events_%[1]d" {
  table  = "raw.events_%[1]d"
  entity = account_%[1]d
  time   = occurred_at
  column "account_id"  { type = string }
  column "name"        { type = string }
  column "occurred_at" { type = timestamp }
  column "amount"      { type = number }
}
source "plans_%[1]d" {
  table  = "raw.plans_%[1]d"
  entity = account_%[1]d
  column "account_id" { type = string }
  column "price"      { type = number }
  column "starts"     { type = date }
  column "ends"       { type = date }
}
entity "account_%[1]d" {
  source = source.accounts_%[1]d
  key    = account_id
}
`, e)
	metrics := definitions / 2
	for i := 0; i < metrics; i++ {
		name := fmt.Sprintf("m%d_%d", e, i)
		switch {
		case i == 0:
			fmt.Fprintf(&b, "metric %q {\n  from  = source.plans_%d\n  value = sum(price)\n  valid = [starts, ends]\n}\n", name, e)
		case i%4 == 1:
			fmt.Fprintf(&b, "metric %q {\n  from   = source.events_%d\n  where  = name == \"event_%d\" && amount > %d\n  value  = count()\n  window = \"%d days\"\n}\n", name, e, i, i%7, 7+i%90)
		case i%4 == 2:
			fmt.Fprintf(&b, "metric %q {\n  from  = source.events_%d\n  value = sum(amount) / count_if(amount > 0)\n}\n", name, e)
		default:
			fmt.Fprintf(&b, "metric %q {\n  description = \"Derived metric %d\"\n  value       = 0.5 * metric.m%d_%d + metric.m%d_0 * 12\n}\n", name, i, e, i-1, e)
		}
	}
	for i := 0; i < definitions-metrics; i++ {
		name := fmt.Sprintf("s%d_%d", e, i)
		m := fmt.Sprintf("metric.m%d_%d", e, i%max(metrics, 1))
		switch {
		case metrics == 0:
			fmt.Fprintf(&b, "segment %q {\n  where = seats > %d\n}\n", name, i)
		case i%5 == 0:
			fmt.Fprintf(&b, "segment %q {\n  tier \"high\" { where = %s >= 1000 }\n  tier \"mid\" { where = %s >= 100 }\n  tier \"low\" {}\n}\n", name, m, m)
		case i%5 == 1:
			fmt.Fprintf(&b, "segment %q {\n  where = percent_rank(%s) >= 0.9 && seats > %d\n}\n", name, m, i%50)
		default:
			fmt.Fprintf(&b, "segment %q {\n  description = \"Rule %d\"\n  where = (contains([\"twitter\", \"ads\"], channel) || country == \"US\") && (days_since(last_seen) > %d || %s < %d)\n}\n", name, i, i%30, m, i)
		}
	}
	return b.String()
}

// perFile is how many definitions each file of a one-entity project holds.
const perFile = 1000

// OneEntity returns the files of a project whose n metric and segment
// definitions all measure and group one entity, as real projects do, in
// files of 1,000 definitions.
func OneEntity(n int) []compiler.File {
	files := Project(0)
	text := entity(0, n)
	// Split after the sources and entity, at block boundaries.
	var blocks []string
	start := 0
	for i := 0; i < len(text); i++ {
		if i > 0 && text[i-1] == '\n' && (strings.HasPrefix(text[i:], "metric \"") || strings.HasPrefix(text[i:], "segment \"")) {
			blocks = append(blocks, text[start:i])
			start = i
		}
	}
	blocks = append(blocks, text[start:])
	files = append(files, compiler.File{Name: "entity.hcl", Bytes: []byte(blocks[0])})
	for i := 1; i < len(blocks); i += perFile {
		end := min(i+perFile, len(blocks))
		files = append(files, compiler.File{Name: fmt.Sprintf("definitions_%04d.hcl", i/perFile), Bytes: []byte(strings.Join(blocks[i:end], ""))})
	}
	return files
}
