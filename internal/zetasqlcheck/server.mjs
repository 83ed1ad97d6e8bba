// server.mjs runs the ZetaSQL gRPC server that the npm package
// @fivetrandevelopers/zetasql ships (pinned in package.json beside this
// file, installed by `make checkers` into .cache/zetasql, or found at
// $ZETASQL_PREFIX) and talks to it. analyze.mjs and evaluate.mjs share it.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const prefix = path.resolve(process.env.ZETASQL_PREFIX || path.join(here, '../../.cache/zetasql'));
const pkgDir = path.join(prefix, 'node_modules/@fivetrandevelopers/zetasql');

// fail ends the run: the check could not run (exit status 2).
export function fail(msg) {
  process.stderr.write(`${path.basename(process.argv[1] || 'zetasql')}: ${msg}\n`);
  process.exit(2);
}

if (!fs.existsSync(path.join(pkgDir, 'package.json'))) {
  fail(`the ZetaSQL package is not installed at ${pkgDir}: \`make checkers\` installs it (or set ZETASQL_PREFIX)`);
}
const require = createRequire(path.join(pkgDir, 'package.json'));

export const PRODUCT_EXTERNAL = 1;
export const ERROR_MESSAGE_ONE_LINE = 1;

// BigQuery type names (as requests give them) to ZetaSQL type kinds.
const typeKinds = {
  INT64: 2, INTEGER: 2, BOOL: 5, BOOLEAN: 5, FLOAT64: 7, STRING: 8, BYTES: 9,
  DATE: 10, TIMESTAMP: 19, TIME: 20, DATETIME: 21, GEOGRAPHY: 22,
  NUMERIC: 23, DECIMAL: 23, BIGNUMERIC: 24, BIGDECIMAL: 24, JSON: 26,
};

// typeProto is the TypeProto of a BigQuery type name.
export function typeProto(name) {
  const t = String(name).trim().toUpperCase();
  const arr = /^ARRAY<(.*)>$/.exec(t);
  if (arr) return { typeKind: 16, arrayType: { elementType: typeProto(arr[1]) } };
  const kind = typeKinds[t];
  if (kind === undefined) throw new Error(`unknown column type ${name}`);
  return { typeKind: kind };
}

export function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', c => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

let server, stopping = false;
export function stopServer() {
  stopping = true;
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
}
process.on('exit', stopServer);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { stopServer(); process.exit(2); });
}

// startServer runs the package's server binary and returns a client once
// the server says it listens.
//
// The client decodes messages as protobufjs does by default (unset fields
// absent, so a message can be sent back as it came, a NULL value being
// an empty ValueProto), except that 64-bit integers are strings and
// oneofs name the field that is set. With defaults, every field of a
// message is present, which analyze.mjs relies on: with it, the client
// is the package's own.
export async function startServer({ defaults = false } = {}) {
  const arm = process.arch.startsWith('arm');
  const bin = path.join(pkgDir, 'lib/zetasql', 'remote_server' + (arm ? '_arm' : '') + (process.platform === 'darwin' ? '' : '.so'));
  const port = await freePort();
  server = spawn(bin, ['localhost', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ZetaSQL server did not start in 60 s: ${output}`)), 60000);
    const onData = d => {
      output += d;
      if (/Server listening/.test(output)) { clearTimeout(timer); resolve(); }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('error', e => { clearTimeout(timer); reject(e); });
    server.on('exit', code => { clearTimeout(timer); reject(new Error(`the ZetaSQL server exited (${code}): ${output}`)); });
  });
  server.stdout.resume();
  server.stderr.resume();
  server.on('exit', code => { if (!stopping) fail(`the ZetaSQL server stopped (${code}): ${output}`); });

  const grpc = require('@grpc/grpc-js');
  const protoLoader = require('@grpc/proto-loader');
  const definition = protoLoader.loadSync('local_service.proto', {
    defaults, oneofs: true, longs: defaults ? undefined : String,
    includeDirs: [path.join(pkgDir, 'lib/zetasql/protos')],
  });
  const proto = grpc.loadPackageDefinition(definition);
  const limit = 500 * 1024 * 1024;
  return new proto.zetasql.local_service.ZetaSqlLocalService(`localhost:${port}`, grpc.credentials.createInsecure(), {
    'grpc.max_send_message_length': limit,
    'grpc.max_receive_message_length': limit,
  });
}

// call calls the server. An error about the request (the SQL) rejects
// the promise; losing the server ends the run.
export function call(api, method, request) {
  return new Promise((resolve, reject) => api[method](request, (err, res) => {
    if (err && (err.code === 14 || err.code === 4 || err.code === 1)) fail(`${method}: ${err.message}`); // UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED
    return err ? reject(err) : resolve(res);
  }));
}

// languageOptions are every released language feature, in external
// product mode (BigQuery's: no INT32, UINT64, PROTO...), every statement
// kind.
export async function languageOptions(api) {
  const max = await call(api, 'getLanguageOptions', { maximumFeatures: true });
  return {
    nameResolutionMode: 0,
    productMode: PRODUCT_EXTERNAL,
    errorOnDeprecatedSyntax: false,
    enabledLanguageFeatures: max.enabledLanguageFeatures,
    supportedStatementKinds: [], // empty: every kind
  };
}

// writeAndExit prints the response and exits once a pipe has taken it all.
export function writeAndExit(response) {
  stopServer();
  process.stdout.write(JSON.stringify(response) + '\n', () => process.exit(0));
}
