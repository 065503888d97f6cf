#!/usr/bin/env node
// `npm test`: runs the test tiers and sums them up, so CI (and a person) gets one verdict.
//   1. unit:        node:test + tsx on test/unit/*.test.ts (no VS Code)
//   2. integration: build dist/ and out/test/integration, then mocha inside a real VS Code extension host
//                   (scripts/run-vscode-tests.js), installing code-server first if this machine lacks it.
//   3. ui:          node:test on test/ui/*.test.mjs: the workbench in headless chromium (the dashboard webview),
//                   on the build and code-server of tier 2.
// A tier that crashes or times out counts as at least one failure. Exit 1 if anything failed.
// The last line is "N passed, N failed, N skipped" (totals over every tier).
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawn } = require('child_process');
const { CODE_SERVER_DIR, CODE_SERVER_VERSION, CHROMIUM_PATH } = require('./vscode-server');

const ROOT = path.resolve(__dirname, '..');
const UNIT_DIR = path.join(ROOT, 'test', 'unit');
const UI_DIR = path.join(ROOT, 'test', 'ui');
const UI_TIMEOUT_MS = 10 * 60_000;
const INTEGRATION_OUT = path.join(ROOT, 'out', 'test', 'integration');
const UNIT_TIMEOUT_MS = 10 * 60_000;
const BUILD_TIMEOUT_MS = 5 * 60_000;
const INSTALL_TIMEOUT_MS = 20 * 60_000;   // ~1.5-2.5 min measured; a cold npm cache on a slow machine takes longer
// The in-host runner enforces its own timeout (exit 2); ours is only a safety net above it.
const INTEGRATION_TIMEOUT_MS = Number(process.env.VSCODE_TEST_TIMEOUT_MS || 300_000) + 60_000;
const APT_HINT = 'apt-get install -y chromium ripgrep libkrb5-dev pkg-config';

let active = null;   // the step running now, so a Ctrl-C / CI cancel reaches its whole process group
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (active) { try { process.kill(-active.pid, sig); } catch { /* already gone */ } }
    process.exit(130);
  });
}

/**
 * Runs a command with inherited output in its own process group, so a timeout kills the node:test workers or the
 * VS Code server it spawned, not just the parent. Resolves to { code, timedOut }.
 */
function step(label, cmd, args, { timeoutMs, env = {} }) {
  console.log(`\n[test-all] ${label}: ${[cmd === process.execPath ? 'node' : cmd, ...args].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', detached: true, env: { ...process.env, ...env } });
    active = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`[test-all] ${label} timed out after ${timeoutMs} ms`);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutMs);
    const done = (code) => { clearTimeout(timer); active = null; resolve({ code, timedOut }); };
    child.on('error', (e) => { console.error(`[test-all] ${label} could not start: ${e.message}`); done(127); });
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

/** A tier's result line for the summary; a crash with no failing test still counts as one failure. */
function tier(name, { passed = 0, failed = 0, skipped = 0, crashed = null, durationMs = 0 }) {
  return { name, passed, failed: crashed && failed === 0 ? 1 : failed, skipped, crashed, durationMs };
}

/** Reads node:test's TAP summary ("# pass N", "# fail N", ...); null if the run never got to print it. */
function parseTapSummary(file) {
  let tap;
  try { tap = fs.readFileSync(file, 'utf8'); } catch { return null; }
  const count = (key) => { const m = [...tap.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].pop(); return m ? Number(m[1]) : null; };
  const pass = count('pass');
  const fail = count('fail');
  if (pass === null || fail === null) return null;
  return { passed: pass, failed: fail + (count('cancelled') ?? 0), skipped: (count('skipped') ?? 0) + (count('todo') ?? 0) };
}

/** Runs node:test on the `suffix` files of `dir` (with `nodeArgs` first); counts from its TAP summary. */
async function runNodeTestTier(name, dir, suffix, { nodeArgs = [], timeoutMs, env }) {
  const t0 = Date.now();
  const relative = path.relative(ROOT, dir);
  const files = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.endsWith(suffix)).sort().map((f) => path.join(relative, f))
    : [];
  if (files.length === 0) {
    console.log(`\n[test-all] ${name}: no ${relative}/*${suffix} files`);
    return tier(name, {});
  }
  // Two reporters: spec for people reading the log, TAP to a file for the counts (its summary lines are stable).
  const tapFile = path.join(os.tmpdir(), `${name}-tap-${process.pid}-${Date.now()}.tap`);
  // Node 20's --test takes no globs, so the file list is expanded here.
  const { code, timedOut } = await step(`${name} tests`, process.execPath, [...nodeArgs, '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`, ...files], { timeoutMs, env });
  const counts = parseTapSummary(tapFile);
  try { fs.rmSync(tapFile, { force: true }); } catch { /* best effort */ }
  let crashed = null;
  if (timedOut) crashed = 'timed out';
  else if (!counts) crashed = `no test summary (exit ${code})`;
  else if (code !== 0 && counts.failed === 0) crashed = `exit ${code} with no failing test`;
  return tier(name, { ...(counts || {}), crashed, durationMs: Date.now() - t0 });
}

function runUnitTier() {
  return runNodeTestTier('unit', UNIT_DIR, '.test.ts', { nodeArgs: ['--import', 'tsx'], timeoutMs: UNIT_TIMEOUT_MS });
}

/** The chromium UI tests reuse the integration tier's build and code-server; without them they cannot run. */
function runUiTier(integration) {
  if (integration.crashed && integration.passed === 0) {
    return tier('ui', { crashed: `not run: the integration tier did not get to run (${integration.crashed})` });
  }
  return runNodeTestTier('ui', UI_DIR, '.test.mjs', { timeoutMs: UI_TIMEOUT_MS, env: { CODE_SERVER_DIR } });
}

function hasCommand(name) {
  return (process.env.PATH || '').split(path.delimiter).some((d) => { try { fs.accessSync(path.join(d, name), fs.constants.X_OK); return true; } catch { return false; } });
}

/** What the machine lacks to run (and, if `building`, to build) code-server; [] when all is there. */
function missingPrerequisites(building) {
  const missing = [];
  if (!fs.existsSync(CHROMIUM_PATH)) missing.push(`chromium (${CHROMIUM_PATH}; or set CHROMIUM_PATH)`);
  if (!hasCommand('rg')) missing.push('ripgrep (rg)');
  if (building) {
    if (!hasCommand('pkg-config')) missing.push('pkg-config');
    if (!fs.existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev (gssapi/gssapi.h, for the kerberos module)');
    for (const c of ['g++', 'make', 'python3']) if (!hasCommand(c)) missing.push(`${c} (node-gyp)`);
  }
  return missing;
}

/** Installs code-server unless the install script's marker says this version is there for this Node. Returns an error text or null. */
async function ensureCodeServer() {
  const marker = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', '.offline-install-ok');
  let installed = false;
  try { installed = fs.readFileSync(marker, 'utf8').trim() === `${CODE_SERVER_VERSION} ${process.version}`; } catch { /* not installed */ }
  const missing = missingPrerequisites(!installed);
  if (missing.length) {
    const buildTools = missing.some((m) => m.includes('node-gyp')) ? ' g++ make python3' : '';
    console.error(`\n[test-all] missing system packages: ${missing.join(', ')}.\n` +
      `[test-all] install them with:  ${APT_HINT}${buildTools}   (as root, after apt-get update)`);
    return 'missing system packages';
  }
  if (installed) return null;
  console.log(`\n[test-all] code-server ${CODE_SERVER_VERSION} is not installed in ${CODE_SERVER_DIR}; installing (about 2 min, once)`);
  const { code, timedOut } = await step('install code-server', 'bash',
    [path.join(__dirname, 'install-code-server.sh'), CODE_SERVER_DIR, CODE_SERVER_VERSION], { timeoutMs: INSTALL_TIMEOUT_MS });
  return timedOut ? 'code-server install timed out' : code !== 0 ? `code-server install failed (exit ${code})` : null;
}

async function runIntegrationTier() {
  const t0 = Date.now();
  const crashed = (why) => tier('integration', { crashed: why, durationMs: Date.now() - t0 });

  const build = await step('build extension', process.execPath, [path.join(ROOT, 'esbuild.config.mjs')], { timeoutMs: BUILD_TIMEOUT_MS });
  if (build.code !== 0) return crashed('extension build failed');
  // Stale compiled tests (a renamed or deleted .ts) would still be loaded by the in-host runner.
  fs.rmSync(INTEGRATION_OUT, { recursive: true, force: true });
  const tsc = await step('compile integration tests', process.execPath,
    [require.resolve('typescript/bin/tsc', { paths: [ROOT] }), '-p', path.join('test', 'integration')], { timeoutMs: BUILD_TIMEOUT_MS });
  if (tsc.code !== 0) return crashed('integration tests did not compile');

  const notReady = await ensureCodeServer();
  if (notReady) return crashed(notReady);

  const resultFile = path.join(os.tmpdir(), `integration-result-${process.pid}-${Date.now()}.json`);
  const run = await step('integration tests (VS Code extension host)', process.execPath, [path.join(__dirname, 'run-vscode-tests.js')],
    { timeoutMs: INTEGRATION_TIMEOUT_MS, env: { CODE_SERVER_DIR, TEST_RESULT_JSON: resultFile } });
  let r = null;
  try { r = JSON.parse(fs.readFileSync(resultFile, 'utf8')); fs.rmSync(resultFile, { force: true }); } catch { /* runner died before writing */ }
  if (!r) return crashed(run.timedOut ? 'timed out' : `runner exit ${run.code} without results`);
  let why = null;
  if (r.timedOut) why = 'timed out';
  else if (run.code !== 0 && r.failed === 0) why = `runner exit ${run.code}`;
  return tier('integration', { passed: r.passed, failed: r.failed, skipped: r.skipped, crashed: why, durationMs: Date.now() - t0 });
}

async function main() {
  // The integration tier runs even when unit tests fail: one CI run should show every problem.
  const unit = await runUnitTier();
  const integration = await runIntegrationTier();
  const tiers = [unit, integration, await runUiTier(integration)];
  console.log('\n[test-all] summary');
  for (const t of tiers) {
    const note = t.crashed ? `  (${t.crashed})` : '';
    console.log(`  ${t.name.padEnd(12)} ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped  ${(t.durationMs / 1000).toFixed(1)} s${note}`);
  }
  const sum = (k) => tiers.reduce((n, t) => n + t[k], 0);
  console.log(`${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
  process.exit(sum('failed') > 0 ? 1 : 0);
}

void main();
