// analyze.mjs analyses SQL scripts with ZetaSQL, BigQuery's own analyser,
// through the gRPC server that the npm package
// @fivetrandevelopers/zetasql ships (pinned in package.json beside this
// file, installed by `npm ci --prefix .cache/zetasql internal/zetasqlcheck`
// or found at $ZETASQL_PREFIX).
//
// It reads one JSON request on standard input:
//
//   {"cases": [{"file": "fixtures/x/bigquery/compiled.sql",
//               "tables": [{"name": ["raw", "customers"],
//                           "columns": [{"name": "customer_id", "type": "STRING"}]}],
//               "script": "CREATE SCHEMA ...; CREATE OR REPLACE VIEW ...;"}]}
//
// A case may give "statements": [{"index": 0, "sql": "..."}], one
// statement each, with "script" (analysed after it, with the catalog it
// left) or without; the form {"tables": [...], "statements": [{"file": ...,
// "index": ..., "sql": ...}]} is read as one case per file.
//
// A script is split into statements by the analyser itself (it resumes
// after each statement), so semicolons inside strings and comments are no
// concern. Each case has a catalog of its own: its tables, under nested
// catalogs named by the name's parts (raw.customers is table customers in
// catalog raw), and every view or table that an analysed CREATE statement
// of the case creates, with the column types the analyser resolved, so
// that later statements can read it.
//
// It writes one JSON object on standard output:
//
//   {"server_start_ms": ..., "analysis_ms": ..., "results": [
//     {"file": ..., "index": 0, "line": 3, "kind": "CREATE VIEW analytics.x",
//      "ok": false, "error": "No matching signature ... [at file:12:7]", "sql": "..."}]}
//
// index counts the statements of the script, and "line" is where the
// statement starts in it; error locations are lines and columns of the
// whole script. A result of "statements" has "listed": true, its own
// index, and lines of its own SQL. "sql" (the statement) is given for a
// rejected statement only; "consequence": true marks a "Table not found"
// for a view or table whose CREATE statement was rejected before; "note"
// says when a statement was analysed in another form (see below). The exit
// status is 0 whenever the analysis ran, whatever it found; 2 when it
// could not run (bad request, server that does not start).
//
// The analyser runs with every released language feature, in external
// product mode (BigQuery's: no INT32, UINT64, PROTO...), every statement
// kind, BigQuery's default time zone (UTC) and the standard builtin
// function set.

import {
  ERROR_MESSAGE_ONE_LINE, call, fail, languageOptions as maxLanguageOptions, readStdin, startServer, typeProto, writeAndExit,
} from './server.mjs';

// A Catalog is a case's tables, by lower-cased name path.
class Catalog {
  constructor(tables) {
    this.tables = new Map();
    for (const t of tables) {
      this.add(t.name, t.columns.map(c => ({ name: c.name, type: typeProto(c.type) })));
    }
  }

  add(namePath, columns) {
    this.tables.set(namePath.map(p => p.toLowerCase()).join('\u0000'), { namePath, columns });
  }

  // proto is the SimpleCatalogProto: nested catalogs for the leading
  // parts of each name, the table under its last part.
  proto(languageOptions) {
    const root = { name: '', table: [], catalog: [] };
    const sub = (cat, name) => {
      let c = cat.catalog.find(x => x.name.toLowerCase() === name.toLowerCase());
      if (!c) { c = { name, table: [], catalog: [] }; cat.catalog.push(c); }
      return c;
    };
    for (const { namePath, columns } of this.tables.values()) {
      let cat = root;
      for (const part of namePath.slice(0, -1)) cat = sub(cat, part);
      cat.table.push({
        name: namePath[namePath.length - 1],
        fullName: namePath.join('.'),
        column: columns.map(c => ({ name: c.name, type: c.type })),
      });
    }
    root.builtinFunctionOptions = { languageOptions };
    return root;
  }
}

// find returns the first value of key, breadth first, in a decoded
// resolved AST.
function find(obj, key) {
  const queue = [obj];
  while (queue.length) {
    const o = queue.shift();
    if (o === null || typeof o !== 'object') continue;
    if (Object.prototype.hasOwnProperty.call(o, key) && o[key] !== null && !(Array.isArray(o[key]) && o[key].length === 0)) return o[key];
    for (const v of Object.values(o)) if (v && typeof v === 'object') queue.push(v);
  }
  return undefined;
}

// onlyTrivia is true when text holds nothing but blanks and comments.
function onlyTrivia(text) {
  return text.replace(/--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() === '';
}

// normalName is a table name as written in SQL or in an error, without
// quotes, lower-cased: `a`.b and a.b are the same.
function normalName(name) {
  return name.replace(/`/g, '').toLowerCase().trim();
}

function lineOf(buf, byte) {
  let line = 1;
  for (let i = 0; i < byte && i < buf.length; i++) if (buf[i] === 10) line++;
  return line;
}

// headline names a statement: its first words and the object it creates
// or alters.
function headline(sql) {
  const s = sql.replace(/--[^\n]*\n/g, '').trim();
  const name = '(?:`(?:[^`\\\\]|\\\\.)*`|[^\\s(`.;]+)(?:\\.(?:`(?:[^`\\\\]|\\\\.)*`|[^\\s(`.;]+))*';
  const m = new RegExp('^((?:CREATE|ALTER|DROP)\\s+(?:OR\\s+REPLACE\\s+)?(?:(?:TEMP|TEMPORARY|MATERIALIZED)\\s+)?(?:VIEW|TABLE|SCHEMA)(?:\\s+IF\\s+NOT\\s+EXISTS)?\\s+' + name + ')', 'i').exec(s);
  return (m ? m[1] : s.split(/\s+/).slice(0, 3).join(' ')).replace(/\s+/g, ' ');
}

// leadingTrivia matches the blanks and comments before a statement.
const leadingTrivia = /^(?:\s+|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;

// relocate moves the "[at L:C]" of an error about one statement
// analysed alone to the script's lines; shift bytes were added at the
// start of the statement's first line, before column after.
function relocate(error, firstLine, file, shift, after) {
  return error.replace(/\[at (?:[^\]]*:)?(\d+):(\d+)\]/, (_, l, c) => {
    const col = Number(l) === 1 && Number(c) > after ? Number(c) - shift : Number(c);
    return `[at ${file ? file + ':' : ''}${Number(l) + firstLine - 1}:${col}]`;
  });
}

async function analyseCase(api, c, languageOptions) {
  const catalog = new Catalog(c.tables || []);
  const options = {
    languageOptions,
    errorMessageMode: ERROR_MESSAGE_ONE_LINE,
    defaultTimezone: 'UTC',
    // Unknown options pass, as in ZetaSQL's default; known ones must have
    // their BigQuery types.
    allowedHintsAndOptions: {
      option: [
        { name: 'description', type: { typeKind: 8 } },
        { name: 'friendly_name', type: { typeKind: 8 } },
      ],
    },
  };
  const file = c.file || '';
  const results = [];

  // record adds what a CREATE VIEW or CREATE TABLE ... AS statement
  // created to the catalog, with the columns the analyser resolved.
  const record = res => {
    const stmt = res.resolvedStatement;
    if (!stmt || stmt.node !== 'resolvedCreateStatementNode') return;
    const base = stmt.resolvedCreateStatementNode;
    const namePath = find(base, 'namePath');
    const outputs = find(base, 'outputColumnList');
    if (namePath && outputs) catalog.add(namePath, outputs.map(o => ({ name: o.name, type: o.column.type })));
  };

  // next is where the statement at pos ends, by the parser alone, or -1.
  const next = async (input, pos) => {
    try {
      const p = await call(api, 'parse', {
        parseResumeLocation: { filename: file, input, bytePosition: pos, allowResume: true },
        options: languageOptions,
      });
      return p.resumeBytePosition;
    } catch {
      return -1;
    }
  };

  // analyse analyses the statement of input that starts at byte pos (after
  // blanks and comments).
  const analyse = async (input, buf, pos) => {
    let end = -1, error = null, note = '';
    try {
      const res = await call(api, 'analyze', {
        options,
        simpleCatalog: catalog.proto(languageOptions),
        parseResumeLocation: { filename: file, input, bytePosition: pos, allowResume: true },
      });
      record(res);
      end = res.resumeBytePosition;
    } catch (e) {
      error = e.details || e.message;
      end = await next(input, pos);
    }
    const raw = buf.subarray(pos, end >= 0 ? end : buf.length).toString('utf8');
    const skipped = leadingTrivia.exec(raw)[0];
    const text = raw.slice(skipped.length).trim();
    const line = lineOf(buf, pos + Buffer.byteLength(skipped));
    const alterView = /^ALTER\s+VIEW\s/i;
    if (error !== null && /ALTER VIEW does not support ALTER COLUMN SET OPTIONS/.test(error) && alterView.test(text)) {
      // BigQuery has ALTER VIEW ... ALTER COLUMN ... SET OPTIONS; ZetaSQL
      // does not. Resolved as ALTER TABLE, the same statement is checked
      // the same way (the view is a table of the catalog): the view and
      // the column must exist and the options have their types.
      const head = /^ALTER\s+VIEW/i.exec(text)[0];
      const asTable = 'ALTER TABLE' + text.slice(head.length).replace(/;$/, '');
      note = 'ZetaSQL has no ALTER VIEW ... ALTER COLUMN SET OPTIONS (BigQuery has): analysed as ALTER TABLE';
      try {
        await call(api, 'analyze', { options, simpleCatalog: catalog.proto(languageOptions), sqlStatement: asTable });
        error = null;
      } catch (e) {
        error = relocate(e.details || e.message, line, file, 'ALTER TABLE'.length - head.length, 'ALTER TABLE'.length) + ' (' + note + ')';
      }
    }
    return { end, error, note, text, line };
  };

  // failed are the lower-cased names of the views and tables whose
  // CREATE statement failed: a later "Table not found" for one of them
  // is a consequence, marked so.
  const failed = new Set();
  const push = (r, index, listed) => {
    const kind = headline(r.text);
    const out = { file, index, line: r.line, kind, ok: r.error === null, error: r.error || '' };
    if (listed) out.listed = true; // from "statements": its line is its own
    if (r.note) out.note = r.note;
    if (!out.ok) {
      out.sql = r.text;
      const created = /^CREATE\s.*?(?:VIEW|TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?(.+)$/i.exec(kind);
      if (created) failed.add(normalName(created[1]));
      const missing = /^Table not found: (.+?) \[at /.exec(out.error);
      if (missing && failed.has(normalName(missing[1]))) out.consequence = true;
    }
    results.push(out);
  };

  if (typeof c.script === 'string') {
    const buf = Buffer.from(c.script, 'utf8');
    let pos = 0;
    for (let index = 0; pos < buf.length && !onlyTrivia(buf.subarray(pos).toString('utf8')); index++) {
      const r = await analyse(c.script, buf, pos);
      push(r, index);
      if (r.end <= pos) { // a statement the parser cannot end: the rest is not checked
        if (r.error === null) results[results.length - 1].error = 'the analyser did not advance';
        results[results.length - 1].ok = false;
        break;
      }
      pos = r.end;
    }
  }
  if (Array.isArray(c.statements)) {
    // After the script, if any: with the catalog it left.
    for (const [i, s] of c.statements.entries()) {
      const r = await analyse(s.sql, Buffer.from(s.sql, 'utf8'), 0);
      push(r, s.index ?? i, true);
    }
  }
  return results;
}

async function main() {
  let request;
  try {
    request = JSON.parse(await readStdin());
  } catch (e) {
    fail(`the request is not JSON: ${e.message}`);
  }
  let cases = request.cases;
  if (!cases) {
    const byFile = new Map();
    for (const s of request.statements || []) {
      if (!byFile.has(s.file)) byFile.set(s.file, { file: s.file, tables: request.tables || [], statements: [] });
      byFile.get(s.file).statements.push(s);
    }
    cases = [...byFile.values()];
  }

  const t0 = Date.now();
  const api = await startServer({ defaults: true });
  const serverStart = Date.now() - t0;
  const languageOptions = await maxLanguageOptions(api);

  const t1 = Date.now();
  // Cases are independent (a catalog each): a few at a time keep the
  // server's threads busy.
  const perCase = new Array(cases.length);
  let nextCase = 0;
  const worker = async () => {
    while (nextCase < cases.length) {
      const i = nextCase++;
      perCase[i] = await analyseCase(api, cases[i], languageOptions);
    }
  };
  const parallel = Math.max(1, Number(process.env.ZETASQL_PARALLEL) || 4);
  await Promise.all(Array.from({ length: Math.min(parallel, cases.length) }, worker));
  const results = perCase.flat();
  const analysis = Date.now() - t1;
  writeAndExit({
    server_start_ms: serverStart,
    analysis_ms: analysis,
    features: languageOptions.enabledLanguageFeatures.length,
    results,
  });
}

main().catch(e => fail(e.stack || String(e)));
