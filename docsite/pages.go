package docsite

import "html/template"

// The pages are plain HTML and a little JavaScript, with no server and
// nothing fetched: they open from the disk. html/template escapes every
// name, description and SQL text, so no string from a project can become
// markup.

var indexPage = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Project}}: views</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<header><h1>{{.Project}}</h1><p>Every view Strata builds in schema <code>{{.Schema}}</code>. <a href="catalog.json">catalog.json</a> describes them for other tools.</p></header>
<main>
<label for="search">Search views</label>
<input id="search" type="search" placeholder="a view, a column, a word of a description" autofocus>
<p id="count"></p>
<ul id="views">
{{- range .Views}}
<li data-search="{{.Name}} {{.Kind}} {{.Description}}{{range .Columns}} {{.Name}}{{end}}"><a href="{{.Page}}">{{.Name}}</a> <span class="kind">{{.Kind}}</span>{{with .Members}} <span class="size">{{.}} members</span>{{end}}{{with .Description}}<br><span class="description">{{.}}</span>{{end}}</li>
{{- end}}
</ul>
</main>
<script>
// Search filters the list as one types; #q=word in the address searches on load.
const input = document.getElementById("search");
const items = Array.from(document.querySelectorAll("#views li"));
function search() {
  const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const li of items) {
    const text = li.dataset.search.toLowerCase();
    const match = words.every(w => text.includes(w));
    li.hidden = !match;
    if (match) shown++;
  }
  document.getElementById("count").textContent = shown + " of " + items.length + " views";
}
input.addEventListener("input", search);
const q = new URLSearchParams(location.hash.slice(1)).get("q");
if (q) input.value = q;
search();
</script>
</body>
</html>
`))

var viewPage = template.Must(template.New("view").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Name}}: {{.Project}}</title>
<link rel="stylesheet" href="../style.css">
</head>
<body>
<header><p><a href="../index.html">{{.Project}}</a></p><h1>{{.Name}}</h1>
<p><span class="kind">{{.Kind}}</span>, created as a {{.Materialized}}{{with .Definition}}, from <code>{{.}}</code>{{end}}{{with .DefinedIn}}, declared at <a class="source" href="{{.Link}}">{{.File}}:{{.Line}}</a>{{end}}.</p>
{{with .Description}}<p class="description">{{.}}</p>{{end}}
</header>
<main>
{{with .Rule}}<h2>Rule</h2><pre class="rule">{{.}}</pre>{{end}}
{{with .Members}}<p class="size">{{.}} members ({{$.SizesFrom}}).</p>{{end}}
<h2>Columns</h2>
<table>
<thead><tr><th>column</th><th>type</th><th>description</th></tr></thead>
<tbody>
{{- range .Columns}}
<tr><td><code>{{.Name}}</code></td><td>{{.Type}}</td><td>{{.Description}}</td></tr>
{{- end}}
</tbody>
</table>
<h2>Lineage</h2>
<div class="lineage">
<div><h3>Reads</h3><ul class="upstream">{{range .Up}}<li>{{if .Href}}<a href="{{.Href}}">{{.Name}}</a>{{else}}{{.Name}}{{end}}</li>{{else}}<li>nothing</li>{{end}}</ul></div>
<div><h3>Read by</h3><ul class="downstream">{{range .Down}}<li>{{if .Href}}<a href="{{.Href}}">{{.Name}}</a>{{else}}{{.Name}}{{end}}</li>{{else}}<li>nothing</li>{{end}}</ul></div>
</div>
<h2>SQL</h2>
{{- range $d := .Dialects}}
<details{{if eq $d "duckdb"}} open{{end}}><summary>{{$d}}</summary><pre class="sql">{{index $.SQL $d}}</pre></details>
{{- end}}
</main>
</body>
</html>
`))

const style = `body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
h1 { margin-bottom: .2rem; }
code, pre { font-family: ui-monospace, monospace; }
pre { background: #f5f5f5; padding: .8rem; overflow-x: auto; }
.kind { background: #e8eef7; border-radius: .3rem; padding: 0 .4rem; font-size: .85rem; }
.size { color: #555; }
.description { color: #444; }
#search { width: 100%; font-size: 1.1rem; padding: .4rem; margin: .3rem 0; }
#views li { margin: .4rem 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; border-bottom: 1px solid #ddd; padding: .3rem .5rem; vertical-align: top; }
.lineage { display: flex; gap: 2rem; }
.lineage > div { flex: 1; }
`
