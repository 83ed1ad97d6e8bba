// evaluate.mjs runs BigQuery SQL on ZetaSQL's reference implementation
// (the evaluator that defines GoogleSQL's semantics, which BigQuery
// implements), through the server of the npm package
// @fivetrandevelopers/zetasql (server.mjs). It speaks the protocol of
// internal/enginecheck/runner.py, so that the engine tests run it as one
// more engine:
//
//   node evaluate.mjs REQUEST.json > RESPONSE.json
//
// with the request and response that runner.py documents: cases of setup
// statements and queries, cells typed from the result's column types
// ({"int": "1"}, {"float": 1.5}, {"decimal": "12.5"}, {"str": "x"},
// {"date": "2025-01-01"}, {"ts": "2025-01-01 12:00:00[.ffffff]"}, true,
// false, null). Timestamps are printed in UTC.
//
// The reference implementation evaluates a query over tables whose rows
// the request gives, and keeps nothing between requests. So evaluate.mjs
// keeps each case's tables itself, in the order the setup creates them:
//
//   CREATE TABLE t (columns)     an empty table with the analysed types
//                                (none if IF NOT EXISTS and t is known)
//   INSERT INTO t ... VALUES     the rows the evaluator makes of the values
//   CREATE VIEW v AS q           the rows of q, evaluated now: a view over
//   CREATE TABLE t AS q          tables that do not change is its rows
//   anything else                skipped (CREATE SCHEMA, ALTER VIEW ...
//                                SET OPTIONS): it changes no rows, and
//                                analyze.mjs analyses every statement
//
// The server gives rows only to tables at the root of the catalog, not in
// nested catalogs (local_service.cc sets the content of the root's tables
// alone), and BigQuery's names have two or three parts: raw.customers.
// So every table path of a statement (a FROM item the parser finds, never
// text in a string or a comment) naming one of the case's tables is
// replaced by a root name of the case's own before the statement is sent.
// Only names change; the SQL is otherwise the statement as given.
//
// Exit status: 0 when a response was printed (cases may have failed); 2
// when the server could not start or the request could not be read.

import fs from 'node:fs';
import {
  ERROR_MESSAGE_ONE_LINE, call, fail, languageOptions as maxLanguageOptions, readStdin, startServer, writeAndExit,
} from './server.mjs';

// rangeOf is a parse tree node's [start, end) in bytes: the range of the
// first ancestor record (the node's "parent" chain) that has one.
function rangeOf(node) {
  for (let n = node; n; n = n.parent) {
    if (n.parseLocationRange) return [n.parseLocationRange.start || 0, n.parseLocationRange.end || 0];
  }
  return null;
}

// walk calls visit on every object of a decoded parse tree.
function walk(obj, visit) {
  if (obj === null || typeof obj !== 'object') return;
  visit(obj);
  for (const v of Object.values(obj)) if (v && typeof v === 'object') walk(v, visit);
}

// leaf follows a parse tree's oneofs ("node" names the field that is
// set) down to the statement itself, and returns its field name
// (astCreateViewStatementNode, ...) and record.
function leaf(any) {
  let name = '', node = any;
  while (node && typeof node.node === 'string') {
    name = node.node;
    node = node[name];
  }
  return { name, node };
}

// pathKey is a table path's catalog key: its parts, lower-cased (BigQuery
// dataset and table names compare without case here as ZetaSQL's
// catalog compares them).
const pathKey = parts => parts.map(p => p.toLowerCase()).join('\u0000');

// A Case is one request case's tables, each with a root name, its
// columns and its rows.
class Case {
  constructor(api, options) {
    this.api = api;
    this.options = options;
    this.tables = new Map(); // pathKey -> {root, columns, rows}
  }

  // catalog is the root catalog with the tables named in refs, their
  // rows as table content.
  catalog(refs) {
    const table = [], content = {};
    for (const key of refs) {
      const t = this.tables.get(key);
      table.push({ name: t.root, column: t.columns });
      content[t.root] = { tableData: { row: t.rows.map(cell => ({ cell })) } };
    }
    return { simpleCatalog: { name: '', table, builtinFunctionOptions: { languageOptions: this.options.languageOptions } }, tableContent: content };
  }

  // parse returns a statement's parse tree.
  async parse(sql) {
    const res = await call(this.api, 'parse', { sqlStatement: sql, options: this.options.languageOptions });
    return leaf(res.parsedStatement);
  }

  // rename replaces the table paths of the statement in buf (bytes from
  // start to end) that name tables of the case by their root names, and
  // returns the text and the tables it reads.
  rename(tree, buf, start, end) {
    const edits = [];
    walk(tree, o => {
      // A FROM item, or the table an INSERT writes.
      const p = (o.astTablePathExpressionNode && o.astTablePathExpressionNode.pathExpr) ||
        (o.targetPath && o.targetPath.astPathExpressionNode);
      if (!p || !Array.isArray(p.names) || p.names.length === 0) return;
      const key = pathKey(p.names.map(n => n.idString));
      if (!this.tables.has(key)) return; // a CTE, or a table the case lacks (an error follows)
      const first = rangeOf(p.names[0]), last = rangeOf(p.names[p.names.length - 1]);
      if (first && last && first[0] >= start && last[1] <= end) edits.push([first[0], last[1], key]);
    });
    edits.sort((a, b) => a[0] - b[0]);
    const parts = [], refs = new Set();
    let at = start;
    for (const [from, to, key] of edits) {
      parts.push(buf.subarray(at, from).toString('utf8'), this.tables.get(key).root);
      refs.add(key);
      at = to;
    }
    parts.push(buf.subarray(at, end).toString('utf8'));
    return { sql: parts.join(''), refs: [...refs] };
  }

  // add makes a table of the case for a created object's name.
  add(nameNode, columns, rows) {
    const parts = nameNode.names.map(n => n.idString);
    const key = pathKey(parts);
    const known = this.tables.get(key);
    const root = known ? known.root : `strata_zetasql_${this.tables.size}`;
    this.tables.set(key, { root, columns, rows });
  }

  // query evaluates a query (bytes start to end of buf, parsed as tree)
  // over the case's tables, and returns its columns and rows.
  async query(tree, buf, start, end) {
    const { sql, refs } = this.rename(tree, buf, start, end);
    const res = await call(this.api, 'evaluateQuery', { sql, options: this.options, ...this.catalog(refs) });
    const columns = (res.prepared && res.prepared.columns) || [];
    const rows = ((res.content && res.content.tableData && res.content.tableData.row) || []).map(r => r.cell || []);
    return { columns: columns.map(c => ({ name: c.name, type: c.type })), rows };
  }

  // run runs one setup statement.
  async run(sql) {
    const buf = Buffer.from(sql, 'utf8');
    const { name, node } = await this.parse(sql);
    switch (name) {
      case 'astCreateViewStatementNode':
      case 'astCreateTableStatementNode': {
        const query = inherited(node, 'query');
        if (query) {
          const [from, to] = rangeOf(query);
          const { columns, rows } = await this.query(query, buf, from, to);
          this.add(inherited(node, 'name'), columns, rows);
        } else if (name === 'astCreateTableStatementNode') {
          // IF NOT EXISTS keeps a table the case has (Strata's
          // snapshot tables, which a case may seed).
          const path = inherited(node, 'name').names.map(n => n.idString);
          if (inherited(node, 'isIfNotExists') && this.tables.has(pathKey(path))) return;
          // The table's columns, as ZetaSQL resolves their types.
          const { sql: renamed } = this.rename(node, buf, 0, buf.length);
          const res = await call(this.api, 'analyze', { sqlStatement: renamed, options: this.options, ...this.catalog([]) });
          const defs = [];
          walk(res.resolvedStatement, o => { if (Array.isArray(o.columnDefinitionList)) defs.push(...o.columnDefinitionList); });
          this.add(inherited(node, 'name'), defs.map(d => ({ name: d.name, type: d.type })), []);
        }
        return;
      }
      case 'astInsertStatementNode': {
        const { sql: renamed, refs } = this.rename(node, buf, 0, buf.length);
        const res = await call(this.api, 'evaluateModify', { sql: renamed, options: this.options, ...this.catalog(refs) });
        const target = [...this.tables.values()].find(t => t.root === res.tableName);
        if (!target) throw new Error(`the evaluator inserted into ${res.tableName}, which is no table of the case`);
        for (const r of res.content || []) target.rows.push(r.cell || []);
        return;
      }
    }
  }
}

// inherited is a statement's field key, from the statement's record or
// the first of its parent records that has it (the name and query of a
// CREATE VIEW are in ASTCreateViewStatementBase's record).
function inherited(node, key) {
  for (let n = node; n; n = n.parent) if (n[key] !== undefined) return n[key];
  return undefined;
}

// Cells: a ValueProto of a column type as runner.py types it.
const kinds = { 2: 'int64', 5: 'bool', 7: 'double', 8: 'string', 10: 'date', 19: 'timestamp', 23: 'numeric', 24: 'bignumeric' };

function cell(type, v) {
  if (!v || v.value === undefined) return null;
  const x = v[v.value];
  switch (v.value) {
    case 'int64Value': return { int: String(x) };
    case 'boolValue': return x;
    case 'doubleValue':
      if (typeof x === 'number' && !Number.isFinite(x)) return { float: Number.isNaN(x) ? 'NaN' : (x > 0 ? 'Infinity' : '-Infinity') };
      return { float: x };
    case 'stringValue': return { str: x };
    case 'dateValue': return { date: new Date(x * 86400000).toISOString().slice(0, 10) };
    case 'timestampValue': return { ts: timestamp(x) };
    case 'numericValue': return { decimal: scaled(x, 9) };
    case 'bignumericValue': return { decimal: scaled(x, 38) };
  }
  return { other: `${kinds[type && type.typeKind] || (type && type.typeKind)}: ${JSON.stringify(v)}` };
}

// timestamp prints a google.protobuf.Timestamp in UTC, with a fraction
// only when it is not zero.
function timestamp({ seconds = '0', nanos = 0 }) {
  const s = BigInt(seconds);
  const d = new Date(Number(s) * 1000);
  let text = d.toISOString().slice(0, 19).replace('T', ' ');
  if (nanos) {
    let frac = String(nanos).padStart(9, '0');
    frac = frac.endsWith('000') ? frac.slice(0, 6) : frac;
    text += '.' + frac;
  }
  return text;
}

// scaled prints a NUMERIC (BIGNUMERIC) value: a little-endian two's
// complement integer of the value times 10^scale.
function scaled(bytes, scale) {
  const b = Buffer.from(bytes || []);
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]);
  if (b.length && b[b.length - 1] & 0x80) n -= 1n << BigInt(8 * b.length);
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(scale + 1, '0');
  let text = digits.slice(0, -scale) + '.' + digits.slice(-scale);
  text = text.replace(/\.?0+$/, '');
  return (negative ? '-' : '') + text;
}

function message(e) {
  return String((e && (e.details || e.message)) || e);
}

async function runCase(api, options, c) {
  const started = Date.now();
  const out = { name: c.name, error: '', seconds: 0, results: [] };
  const state = new Case(api, options);
  for (const [i, sql] of (c.setup || []).entries()) {
    try {
      await state.run(sql);
    } catch (e) {
      out.error = `statement ${i + 1} failed: ${message(e)}\n${sql}`;
      out.seconds = (Date.now() - started) / 1000;
      return out;
    }
  }
  for (const q of c.queries || []) {
    try {
      const buf = Buffer.from(q.sql, 'utf8');
      const { node } = await state.parse(q.sql);
      const { columns, rows } = await state.query(node, buf, 0, buf.length);
      out.results.push({
        name: q.name, error: '',
        columns: columns.map(col => col.name),
        rows: rows.map(r => r.map((v, j) => cell(columns[j] && columns[j].type, v))),
      });
    } catch (e) {
      out.results.push({ name: q.name, error: message(e), columns: [], rows: [] });
    }
  }
  out.seconds = (Date.now() - started) / 1000;
  return out;
}

async function main() {
  const file = process.argv[2];
  if (!file) fail('usage: node evaluate.mjs REQUEST.json');
  let request;
  try {
    request = JSON.parse(file === '-' ? await readStdin() : fs.readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`reading the request: ${e.message}`);
  }
  const api = await startServer();
  const languageOptions = await maxLanguageOptions(api);
  const options = { languageOptions, errorMessageMode: ERROR_MESSAGE_ONE_LINE, defaultTimezone: 'UTC' };
  const pkg = JSON.parse(fs.readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
  const cases = request.cases || [];
  // Cases are independent: a few at a time keep the server's threads busy.
  const results = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await runCase(api, options, cases[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, cases.length) }, worker));
  writeAndExit({ engine: 'zetasql', version: pkg.dependencies['@fivetrandevelopers/zetasql'], cases: results });
}

main().catch(e => fail(e.stack || String(e)));
