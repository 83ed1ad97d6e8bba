package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/strata-analytics/strata/internal/dbtest"
)

// TestDocsSite writes the docs of a built project (with a segment whose
// description is markup) and checks what a reader and a BI tool get:
// every link of every page resolves, the catalog lists every view with
// its columns, lineage, SQL and a segment's size, names are escaped; and,
// in a real headless Chromium, the index loads, its search finds a view
// by name and by a word of a description, and a view's page renders.
func TestDocsSite(t *testing.T) {
	dir := newProject(t)
	extra := "segment \"markup\" {\n  description = \"<script>alert('x')</script> & friends\"\n  where       = plan == \"free\"\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "extra.hcl"), []byte(extra), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := strata(t, "--project", dir, "--as-of", asOf, "build"); code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "site")
	code, stdout, stderr := strata(t, "--project", dir, "--as-of", asOf, "docs", "--out", out, "--target", "local")
	if code != exitOK || !strings.Contains(stdout, "wrote index.html, 45 view pages and catalog.json") {
		t.Fatalf("docs: exit %d\n%s%s", code, stdout, stderr)
	}

	var cat struct {
		Views []struct {
			Name, Kind, Rule, Page string
			Description            string
			Members                *int64
			Columns                []struct{ Name, Type string }
			Upstream, Downstream   []string
			SQL                    map[string]string
			DefinedIn              *struct {
				File string
				Line int
			} `json:"defined_in"`
		}
	}
	b, err := os.ReadFile(filepath.Join(out, "catalog.json"))
	if err != nil || json.Unmarshal(b, &cat) != nil || len(cat.Views) != 45 {
		t.Fatalf("catalog.json: %v, %d views", err, len(cat.Views))
	}
	for _, v := range cat.Views {
		if v.Name != "segment_at_risk" {
			continue
		}
		if v.Members == nil || *v.Members == 0 || !strings.Contains(v.Rule, "days_since(metric.last_seen) > 7") ||
			v.SQL["duckdb"] == "" || v.SQL["postgres"] == "" || v.DefinedIn == nil || !strings.HasSuffix(v.DefinedIn.File, "segments.hcl") ||
			!contains(v.Upstream, "metric.health_score") || !contains(v.Downstream, "view.segment_at_risk_history") || len(v.Columns) < 2 {
			t.Errorf("segment_at_risk in the catalog: %+v", v)
		}
	}

	// Every link of every page resolves to a file of the site or the project.
	href := regexp.MustCompile(`href="([^"]*)"`)
	pages, _ := filepath.Glob(filepath.Join(out, "views", "*.html"))
	pages = append(pages, filepath.Join(out, "index.html"))
	links := 0
	for _, page := range pages {
		b, _ := os.ReadFile(page)
		for _, m := range href.FindAllStringSubmatch(string(b), -1) {
			target := strings.SplitN(m[1], "#", 2)[0]
			if _, err := os.Stat(filepath.Join(filepath.Dir(page), target)); err != nil {
				t.Errorf("%s links to %s, which does not exist", page, m[1])
			}
			links++
		}
	}
	if links < 150 {
		t.Errorf("only %d links in %d pages", links, len(pages))
	}
	markup, _ := os.ReadFile(filepath.Join(out, "views", "segment_markup.html"))
	if strings.Contains(string(markup), "<script>alert") || !strings.Contains(string(markup), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; friends") {
		t.Errorf("a description's markup is not escaped:\n%s", markup)
	}

	// In a browser.
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		dbtest.Missing(t, "no chromium to load the site in (.ci/run installs Debian's)")
		return
	}
	load := func(page string) string {
		t.Helper()
		cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync", "--enable-logging=stderr",
			"--user-data-dir="+t.TempDir(), "--virtual-time-budget=3000", "--dump-dom", page)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		dom, err := cmd.Output()
		if err != nil {
			t.Fatalf("chromium %s: %v\n%s", page, err, stderr.String())
		}
		if strings.Contains(stderr.String(), "Uncaught") {
			t.Errorf("%s: a script failed:\n%s", page, stderr.String())
		}
		return string(dom)
	}
	index := "file://" + filepath.Join(out, "index.html")
	count := regexp.MustCompile(`id="count">(\d+) of (\d+) views<`)
	for _, search := range []struct {
		query string
		want  int
	}{
		{"", 45},
		{"segment_at_risk_history", 1},
		{"outreach", 0}, // counted below from the catalog
	} {
		want := search.want
		if search.query == "outreach" {
			// The search reads the name, kind, description and columns.
			for _, v := range cat.Views {
				text := v.Name + " " + v.Kind + " " + v.Description
				for _, c := range v.Columns {
					text += " " + c.Name
				}
				if strings.Contains(strings.ToLower(text), "outreach") {
					want++
				}
			}
		}
		dom := load(index + "#q=" + search.query)
		m := count.FindStringSubmatch(dom)
		if m == nil || m[1] != strconv.Itoa(want) || m[2] != "45" {
			t.Errorf("searching %q: %v, want %d of 45", search.query, m, want)
		}
		if search.query == "segment_at_risk_history" && !regexp.MustCompile(`<li data-search="segment_at_risk_history[^"]*"><a href="views/segment_at_risk_history.html">`).MatchString(dom) {
			t.Errorf("the search for segment_at_risk_history does not show it")
		}
	}
	dom := load("file://" + filepath.Join(out, "views", "segment_at_risk.html"))
	for _, want := range []string{"<h1>segment_at_risk</h1>", "<h2>Rule</h2>", "members (target local, as of 2025-06-30)", `<a href="../views/segment_at_risk_history.html">segment_at_risk_history</a>`, "<summary>postgres</summary>"} {
		if !strings.Contains(dom, want) {
			t.Errorf("segment_at_risk's page in Chromium lacks %q", want)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
