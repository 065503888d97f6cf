#!/usr/bin/env node
// `npm test`: runs the test tiers and sums them up, so CI (and a person) gets one verdict.
//   0. setup:       what the tiers need (scripts/preflight.js decides): as root with apt-get, installs the missing
//                   Debian packages, else stops within seconds with the exact command; then the VS Code test host.
//   1. unit:        node:test + tsx on test/unit/*.test.ts (no VS Code), after building dist/ (some run the CLI)
//   2. integration: compile out/test/integration, then mocha inside a real VS Code extension host
//                   (scripts/run-vscode-tests.js), on the code-server of step 0.
//   3. ui:          node:test on test/ui/*.test.mjs: the workbench in headless chromium (the dashboard webview),
//                   on the build and code-server of tier 2.
// A tier that crashes or times out counts as at least one failure; so do temp folders the unit tests leave behind
// (each node:test tier gets its own TMPDIR, removed afterwards). The whole run stays within BUDGET_MS.
// Exit 1 if anything failed. The last line is "N passed, N failed, N skipped" (totals over every tier).
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawn } = require('child_process');
const { CODE_SERVER_DIR, CODE_SERVER_VERSION, CODE_SERVER_NODE_MAJOR, CHROMIUM_PATH } = require('./vscode-server');
const { findMissing, installBatches, planPreflight } = require('./preflight');
const { countTap } = require('./testCounts');
const { privateTmp, removeTmp } = require('./tierTmp');

const ROOT = path.resolve(__dirname, '..');
const UNIT_DIR = path.join(ROOT, 'test', 'unit');
const UI_DIR = path.join(ROOT, 'test', 'ui');
const UI_TIMEOUT_MS = 10 * 60_000;
const INTEGRATION_OUT = path.join(ROOT, 'out', 'test', 'integration');
const UNIT_TIMEOUT_MS = 10 * 60_000;
const BUILD_TIMEOUT_MS = 5 * 60_000;
const INSTALL_TIMEOUT_MS = 15 * 60_000;   // ~1.5-2.5 min measured; a cold npm cache on a slow machine takes longer
const APT_TIMEOUT_MS = 15 * 60_000;
// Every step's timeout is cut to what is left of this, so a fresh machine's run (installs included) ends in time.
const BUDGET_MS = Number(process.env.TEST_ALL_BUDGET_MS || 30 * 60_000);
const DEADLINE = Date.now() + BUDGET_MS;
const CODE_SERVER_COMMAND = `bash scripts/install-code-server.sh "${CODE_SERVER_DIR}" ${CODE_SERVER_VERSION}`;
// The in-host runner enforces its own timeout (exit 2); ours is only a safety net above it.
const INTEGRATION_TIMEOUT_MS = Number(process.env.VSCODE_TEST_TIMEOUT_MS || 300_000) + 60_000;

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
  const left = DEADLINE - Date.now();
  if (left <= 0) {
    console.error(`\n[test-all] ${label}: not run, the ${BUDGET_MS / 60_000}-min budget is spent`);
    return Promise.resolve({ code: null, timedOut: true });
  }
  timeoutMs = Math.min(timeoutMs, left);
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
function tier(name, { passed = 0, failed = 0, skipped = 0, skipReasons = [], crashed = null, durationMs = 0 }) {
  return { name, passed, failed: crashed && failed === 0 ? 1 : failed, skipped, skipReasons, crashed, durationMs };
}

/** Reads a node:test TAP report's counts (scripts/testCounts.js); null if the run never got to print its summary. */
function parseTapSummary(file) {
  try { return countTap(fs.readFileSync(file, 'utf8')); } catch { return null; }
}

/**
 * Runs node:test on the `suffix` files of `dir` (with `nodeArgs` first) in a TMPDIR of its own; counts from its
 * TAP report. With `strictTmp`, anything the tests leave in that TMPDIR is one more failure, named in the summary.
 */
async function runNodeTestTier(name, dir, suffix, { nodeArgs = [], timeoutMs, env = {}, strictTmp = false }) {
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
  const tmp = privateTmp(os.tmpdir(), name);
  // Node 20's --test takes no globs, so the file list is expanded here.
  const { code, timedOut } = await step(`${name} tests`, process.execPath, [...nodeArgs, '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`, ...files], { timeoutMs, env: { ...env, TMPDIR: tmp } });
  const counts = parseTapSummary(tapFile);
  try { fs.rmSync(tapFile, { force: true }); } catch { /* best effort */ }
  const left = removeTmp(tmp);
  let crashed = null;
  if (timedOut) crashed = 'timed out';
  else if (!counts) crashed = `no test summary (exit ${code})`;
  else if (code !== 0 && counts.failed === 0) crashed = `exit ${code} with no failing test`;
  const result = tier(name, { ...(counts || {}), crashed, durationMs: Date.now() - t0 });
  if (strictTmp && left.length > 0 && !timedOut) {
    result.failed += 1;
    result.crashed = `${result.crashed ? `${result.crashed}; ` : ''}tests left ${left.length} entries in the temp folder: ` +
      `${left.slice(0, 5).join(', ')}${left.length > 5 ? ', ...' : ''}`;
  }
  return result;
}

function runUnitTier() {
  return runNodeTestTier('unit', UNIT_DIR, '.test.ts', { nodeArgs: ['--import', 'tsx'], timeoutMs: UNIT_TIMEOUT_MS, strictTmp: true });
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

/** Whether the install script's marker says this code-server version is installed for this Node. */
function codeServerInstalled() {
  const marker = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', '.offline-install-ok');
  try { return fs.readFileSync(marker, 'utf8').trim() === `${CODE_SERVER_VERSION} ${process.version}`; } catch { return false; }
}

/** This machine, as scripts/preflight.js's planPreflight takes it. */
function machineFacts(aptTried) {
  const installed = codeServerInstalled();
  return {
    dependencies: fs.existsSync(path.join(ROOT, 'node_modules', 'tsx', 'package.json')),
    missing: findMissing({ hasCommand, hasFile: (f) => fs.existsSync(f) }, { chromiumPath: CHROMIUM_PATH, codeServerInstalled: installed }),
    root: typeof process.getuid === 'function' && process.getuid() === 0,
    apt: hasCommand('apt-get'),
    codeServerInstalled: installed,
    codeServerCommand: CODE_SERVER_COMMAND,
    aptTried,
    nodeVersion: process.version,
    hostNodeMajor: CODE_SERVER_NODE_MAJOR,
  };
}

/**
 * Step 0. Returns { fatal } (stop now: the message ends with the command to run), or { hostError } (the VS Code test
 * host could not be installed: the unit tier still runs), and `did` (what was installed) and `durationMs`.
 */
async function setUp() {
  const t0 = Date.now();
  const did = [];
  const result = (r) => ({ fatal: null, hostError: null, did, ...r, durationMs: Date.now() - t0 });
  let plan = planPreflight(machineFacts(false));
  if (plan.install.length > 0) {
    console.log(`\n[test-all] installing the system packages the tests need: ${plan.install.join(' ')}`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    const update = await step('apt-get update', 'apt-get', ['update'], { timeoutMs: APT_TIMEOUT_MS, env });
    // One call per optional package: one that cannot be installed leaves the others, and the run, as they are.
    for (const batch of update.code === 0 ? installBatches(plan.install) : []) {
      await step(`apt-get install ${batch.join(' ')}`, 'apt-get', ['install', '-y', ...batch], { timeoutMs: APT_TIMEOUT_MS, env });
    }
    const facts = machineFacts(true);
    const got = plan.install.filter((pkg) => !facts.missing.some((m) => m.pkg === pkg));
    if (got.length > 0) did.push(`installed ${got.join(' ')}`);
    plan = planPreflight(facts);
  }
  if (plan.error) return result({ fatal: plan.error });
  for (const note of plan.notes) console.log(`[test-all] note: ${note}`);
  if (!plan.installCodeServer) return result({});
  console.log(`\n[test-all] code-server ${CODE_SERVER_VERSION} (the VS Code test host) is not installed in ${CODE_SERVER_DIR}; installing (about 2 min, once)`);
  const { code, timedOut } = await step('install code-server', 'bash',
    [path.join(__dirname, 'install-code-server.sh'), CODE_SERVER_DIR, CODE_SERVER_VERSION], { timeoutMs: INSTALL_TIMEOUT_MS });
  if (code === 0 && !timedOut) { did.push(`code-server ${CODE_SERVER_VERSION} installed`); return result({}); }
  return result({ hostError: timedOut ? 'code-server install timed out' : `code-server install failed (exit ${code}); by hand: ${CODE_SERVER_COMMAND}` });
}

async function runIntegrationTier(hostError, built) {
  const t0 = Date.now();
  const crashed = (why) => tier('integration', { crashed: why, durationMs: Date.now() - t0 });
  if (hostError) return crashed(`not run: ${hostError}`);
  if (!built) return crashed('not run: the extension build failed');

  // Stale compiled tests (a renamed or deleted .ts) would still be loaded by the in-host runner.
  fs.rmSync(INTEGRATION_OUT, { recursive: true, force: true });
  const tsc = await step('compile integration tests', process.execPath,
    [require.resolve('typescript/bin/tsc', { paths: [ROOT] }), '-p', path.join('test', 'integration')], { timeoutMs: BUILD_TIMEOUT_MS });
  if (tsc.code !== 0) return crashed('integration tests did not compile');

  const resultFile = path.join(os.tmpdir(), `integration-result-${process.pid}-${Date.now()}.json`);
  const run = await step('integration tests (VS Code extension host)', process.execPath, [path.join(__dirname, 'run-vscode-tests.js')],
    { timeoutMs: INTEGRATION_TIMEOUT_MS, env: { CODE_SERVER_DIR, TEST_RESULT_JSON: resultFile } });
  let r = null;
  try { r = JSON.parse(fs.readFileSync(resultFile, 'utf8')); fs.rmSync(resultFile, { force: true }); } catch { /* runner died before writing */ }
  if (!r) return crashed(run.timedOut ? 'timed out' : `runner exit ${run.code} without results`);
  let why = null;
  if (r.timedOut) why = 'timed out';
  else if (run.code !== 0 && r.failed === 0) why = `runner exit ${run.code}`;
  return tier('integration', { passed: r.passed, failed: r.failed, skipped: r.skipped, skipReasons: r.skipReasons || [], crashed: why, durationMs: Date.now() - t0 });
}

/** A skip reason on one short line (TAP escapes a multi-line reason's newlines as `\n`). */
function firstLine(text) {
  const line = text.split(/\\n|\n/)[0];
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/** Per tier: counts (skipped included), time, why it crashed, what it skipped; then the totals, last. */
function printSummary(setup, tiers, t0) {
  console.log('\n[test-all] summary');
  if (setup.did.length > 0 || setup.hostError) {
    console.log(`  ${'setup'.padEnd(12)} ${[...setup.did, setup.hostError].filter(Boolean).join('; ')}  ${(setup.durationMs / 1000).toFixed(1)} s`);
  }
  for (const t of tiers) {
    const note = t.crashed ? `  (${t.crashed})` : '';
    console.log(`  ${t.name.padEnd(12)} ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped  ${(t.durationMs / 1000).toFixed(1)} s${note}`);
    for (const reason of t.skipReasons.slice(0, 10)) console.log(`  ${''.padEnd(12)} skipped: ${firstLine(reason)}`);
  }
  console.log(`  ${'wall time'.padEnd(12)} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const sum = (k) => tiers.reduce((n, t) => n + t[k], 0);
  console.log(`${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
  return sum('failed');
}

async function main() {
  const t0 = Date.now();
  const setup = await setUp();
  if (setup.fatal) {
    console.error(`\n[test-all] ${setup.fatal.split('\n').join('\n[test-all] ')}`);
    process.exit(printSummary(setup, [tier('setup', { crashed: 'the tests need what is listed above' })], t0) > 0 ? 1 : 0);
  }
  // Before the unit tier: some unit tests run the built CLI (dist/cli.js), which must be this checkout's.
  const build = await step('build extension and CLI', process.execPath, [path.join(ROOT, 'esbuild.config.mjs')], { timeoutMs: BUILD_TIMEOUT_MS });
  // The integration tier runs even when unit tests fail: one CI run should show every problem.
  const unit = await runUnitTier();
  const integration = await runIntegrationTier(setup.hostError, build.code === 0);
  const tiers = [unit, integration, await runUiTier(integration)];
  process.exit(printSummary(setup, tiers, t0) > 0 ? 1 : 0);
}

void main();
