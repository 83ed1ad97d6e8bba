package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompileForTargets compiles the example project for a target of each
// warehouse: the views are named as that warehouse qualifies them (its
// database, project, dataset or catalog), and the manifest says where.
func TestCompileForTargets(t *testing.T) {
	dir := newProject(t)
	writeFile(t, dir, "targets.hcl", `
target "snow" {
  dialect   = "snowflake"
  account   = "acme-prod"
  database  = "analytics_db"
  warehouse = "transforming"
  role      = "transformer"
}
target "bq" {
  dialect  = "bigquery"
  project  = "acme-data"
  dataset  = "customer_success"
  location = "EU"
}
target "dbx" {
  dialect = "databricks"
  catalog = "main"
}
target "trino" {
  dialect = "trino"
  catalog = "lake"
  schema  = "cs"
}
target "ch" {
  dialect  = "clickhouse"
  database = "cs"
}
target "rs" {
  dialect = "redshift"
}
`)
	for _, c := range []struct {
		target, view, schema string
		location             []string
	}{
		{"snow", "CREATE OR REPLACE VIEW analytics_db.analytics.customer_profile AS", "CREATE SCHEMA IF NOT EXISTS analytics_db.analytics;", []string{"analytics_db", "analytics"}},
		{"bq", "CREATE OR REPLACE VIEW `acme-data`.customer_success.customer_profile", "CREATE SCHEMA IF NOT EXISTS `acme-data`.customer_success;", []string{"acme-data", "customer_success"}},
		{"dbx", "CREATE OR REPLACE VIEW main.analytics.customer_profile", "CREATE SCHEMA IF NOT EXISTS main.analytics;", []string{"main", "analytics"}},
		{"trino", "CREATE OR REPLACE VIEW lake.cs.customer_profile AS", "CREATE SCHEMA IF NOT EXISTS lake.cs;", []string{"lake", "cs"}},
		{"ch", "CREATE OR REPLACE VIEW cs.customer_profile AS", "CREATE DATABASE IF NOT EXISTS cs;", []string{"cs"}},
		{"rs", "CREATE VIEW analytics.customer_profile AS", "CREATE SCHEMA IF NOT EXISTS analytics;", nil},
	} {
		t.Run(c.target, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "sql")
			code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "compile", "--target", c.target, "--out", out)
			if code != exitOK {
				t.Fatalf("compile --target %s: exit %d\n%s", c.target, code, stderr)
			}
			files := readDir(t, out)
			all := strings.Join(values(files), "\n")
			if !strings.Contains(all, c.view) || !strings.Contains(files["000_schema.sql"], c.schema) {
				t.Errorf("the views are not where target %s puts them: want %q and %q in\n%s", c.target, c.view, c.schema, all[:min(len(all), 2000)])
			}
			// Views read each other where they are, not in the project's schema.
			if c.location != nil && strings.Contains(all, "FROM analytics.customer_profile") {
				t.Errorf("a view still reads analytics.customer_profile")
			}
			var manifest struct {
				Location []string `json:"location"`
			}
			if err := json.Unmarshal([]byte(files["manifest.json"]), &manifest); err != nil {
				t.Fatal(err)
			}
			if strings.Join(manifest.Location, ".") != strings.Join(c.location, ".") {
				t.Errorf("manifest location %v, want %v", manifest.Location, c.location)
			}
		})
	}
}

func values(m map[string]string) []string {
	var out []string
	for _, k := range keys(m) {
		out = append(out, m[k])
	}
	return out
}

// TestTargetSettingsAreChecked: a setting the dialect does not have is
// reported with its range and the settings it does have; a credential
// has no place in the file.
func TestTargetSettingsAreChecked(t *testing.T) {
	dir := newProject(t)
	writeFile(t, dir, "targets.hcl", `
target "snow" {
  dialect  = "snowflake"
  databse  = "analytics_db"
  password = "hunter2"
}
`)
	code, _, stderr := strata(t, "--project", dir, "validate")
	if code != exitInvalid {
		t.Fatalf("validate: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"targets.hcl:4:3", "Unknown target setting", `Did you mean "database"?`, "targets.hcl:5:3", "connection_env"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "hunter2") && !strings.Contains(stderr, `password = "hunter2"`) {
		t.Errorf("the value was printed outside its source line:\n%s", stderr)
	}
	code, _, stderr = strata(t, "--project", dir, "compile", "--dialect", "duckdb", "--target", "snow", "--out", filepath.Join(t.TempDir(), "x"))
	if code != exitUsage || !strings.Contains(stderr, "not both") {
		t.Errorf("--dialect with --target: exit %d\n%s", code, stderr)
	}
}
