// Parses SQL files with sqlparser-rs (the Rust crate, built to WebAssembly
// as the npm package @guanmingchiu/sqlparser-ts, pinned in package.json),
// for Strata's dialect checks: a third parser, independent of parse.py's.
//
// Usage: node sqlparser.mjs DIALECT=PATH ...
//
// Prints one JSON object per file, as parse.py does: {"path", "dialect",
// "parser": "sqlparser-rs", "ok", "errors"}, one error per statement
// rejected, with the line it stopped on. Each statement must parse as
// exactly one statement: a string or comment read differently would split
// it or swallow the next one.
//
// The package is read from STRATA_CHECK_NODE_MODULES, or from the
// node_modules `make checkers` installs in .cache/checkers/npm.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PACKAGE = '@guanmingchiu/sqlparser-ts';

// sqlparser-rs's names for the Strata dialects it checks. 0.62 has no
// Trino dialect: its generic one accepts every Trino golden, but checks
// no Trino grammar, so Trino is left to sqlglot and sqlfluff.
const DIALECTS = {
  snowflake: 'snowflake', redshift: 'redshift', bigquery: 'bigquery', databricks: 'databricks',
};

// V8's optimising WebAssembly compiler takes seconds over this module, more
// than all the parsing: the baseline compiler alone parses every golden in
// well under a second.
setFlagsFromString('--liftoff-only');

const here = dirname(fileURLToPath(import.meta.url));
const modules = process.env.STRATA_CHECK_NODE_MODULES || join(here, '../../.cache/checkers/npm/node_modules');
const packageDir = join(modules, PACKAGE);
const want = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).dependencies[PACKAGE];
const have = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
if (have !== want) {
  console.error(`${packageDir} is version ${have}, package.json pins ${want}: run \`make checkers\``);
  process.exit(2);
}
const { init, parse, validate } = await import(pathToFileURL(join(packageDir, 'dist/index.mjs')).href);
await init();

// statements splits a golden into its statements as parse.py does: Strata
// ends each with ';' at the end of a line. Yields [first line, text].
function* statements(sql) {
  let start = 1;
  let lines = [];
  const all = sql.split(/(?<=\n)/);
  for (let i = 0; i < all.length; i++) {
    if (lines.length === 0) start = i + 1;
    lines.push(all[i]);
    if (all[i].replace(/\n$/, '').endsWith(';')) {
      yield [start, lines.join('')];
      lines = [];
    }
  }
  if (lines.join('').trim()) yield [start, lines.join('')];
}

// check parses one statement. An error names the line of the statement
// the parser stopped on, so that exceptions.tsv can name the construct.
function check(dialect, sql) {
  try {
    validate(sql, DIALECTS[dialect]);
    // Only a ';' before the end can make two statements of one. Building
    // the tree (parse) costs 20 times validating, so only then.
    if (/;(?!\s*$)/.test(sql)) {
      const n = parse(sql, DIALECTS[dialect]).length;
      if (n !== 1) return `read ${n} statements, not 1, in: ${sql.trim().split('\n').pop()}`;
    }
  } catch (e) {
    const message = String(e.message || e);
    const at = /at Line: (\d+), Column: \d+/.exec(message);
    const line = at && sql.split('\n')[Number(at[1]) - 1];
    return line === undefined || line === null ? message : `${message}, in: ${line.trim()}`;
  }
  return null;
}

for (const arg of process.argv.slice(2)) {
  const at = arg.indexOf('=');
  const dialect = arg.slice(0, at);
  const path = arg.slice(at + 1);
  if (!(dialect in DIALECTS)) {
    console.error(`sqlparser-rs has no dialect for ${dialect}`);
    process.exit(2);
  }
  const errors = [];
  for (const [line, text] of statements(readFileSync(path, 'utf8'))) {
    const error = check(dialect, text);
    if (error) errors.push(`line ${line}: ${error.split(/\s+/).join(' ')}`);
  }
  console.log(JSON.stringify({ path, dialect, parser: 'sqlparser-rs', ok: errors.length === 0, errors }));
}
