#!/usr/bin/env node
// Runs the compiled mocha suite INSIDE a real VS Code extension host (code-server's bundled VS Code server), with the
// same contract as @vscode/test-electron's runTests(), but driven through the web workbench in headless chromium.
//
// Usage: node scripts/run-vscode-tests.js [extensionTestsPath] [fixtureWorkspaceDir | fixture.code-workspace]
//   default: two sessions, out/test/integration/index.js on test/fixtures/workspace (one folder), then
//   out/test/integration/multiRoot/index.js on test/fixtures/multiRoot/multi-root.code-workspace (a multi-root
//   workspace cannot be opened in a running session: the extension host restarts). Counts are added up.
//   A .code-workspace fixture is copied with its folder and opened as a workspace (`?workspace=`).
// Env: CODE_SERVER_DIR (default ~/.cache/vscode-host/code-server-4.100.3), VSCODE_TEST_TIMEOUT_MS (default 300000),
//   TEST_RESULT_JSON (write {passed, failed, skipped, skipReasons, exitCode, timedOut, durationMs} there, for scripts/test-all.js),
//   SHOW_SERVER_LOG / SHOW_ALL_LOGS (more output), KEEP_TMP (keep the temp workspace and server dirs),
//   VSCODE_TEST_GREP (run only the tests whose full title matches, e.g. "#9"; mocha's grep).
// Exit: 0 all passed, 1 a test failed or the run crashed, 2 timeout. Last line: "N passed, N failed, N skipped".
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { startServer, launchBrowser, workbenchUrl } = require('./vscode-server');

const ROOT = path.resolve(__dirname, '..');   // the extension under development: package.json "main" -> dist/extension.js
const OUT = path.join(ROOT, 'out', 'test', 'integration');
const SESSIONS = process.argv[2]
  ? [{ tests: path.resolve(process.argv[2]), fixture: path.resolve(process.argv[3] || path.join(ROOT, 'test', 'fixtures', 'workspace')) }]
  : [
    { tests: path.join(OUT, 'index.js'), fixture: path.join(ROOT, 'test', 'fixtures', 'workspace') },
    { tests: path.join(OUT, 'multiRoot', 'index.js'), fixture: path.join(ROOT, 'test', 'fixtures', 'multiRoot', 'multi-root.code-workspace') },
  ];
const RESULT_FILE = path.join(os.tmpdir(), `vscode-test-result-${process.pid}-${Date.now()}.json`);
const TIMEOUT_MS = Number(process.env.VSCODE_TEST_TIMEOUT_MS || 300000);
// The workbench tries to reach open-vsx, GitHub auth etc. and logs chatter that drowns the mocha output.
const NOISE = /^(Resolving|Resolved|Creating a socket|Updating additional|\[Service Worker\]|ChatSessionStore|\[AgentHost|\[ChatModelSelection|\[AccountPolicyGate|\[reconnection-grace-time)/;

const t0 = Date.now();
let server;
let browser;
let finishing = false;
/** Counts of the sessions that ran to the end, added up; null until one did. */
let total = null;

/** Stops everything we started, prints the counts, and exits. Runs once, whichever of done / timeout / signal comes first. */
async function finish(exitCode, { timedOut = false, hostExitCode = null } = {}) {
  if (finishing) return;
  finishing = true;
  // If closing hangs (a wedged chromium), still exit: the kill of the server's process group has already been tried.
  setTimeout(() => { console.error('[runner] cleanup hung; exiting anyway'); process.exit(exitCode || 1); }, 20000).unref();
  await endSession(exitCode);
  // No counts means the suite never ran to the end (crash, missing build, timeout): that is at least one failure.
  const r = total || { passes: 0, failures: 1, pending: 0 };
  if (exitCode !== 0 && r.failures === 0) r.failures = 1;
  const durationMs = Date.now() - t0;
  console.log(`[runner] extension host exit code ${hostExitCode}; ${durationMs} ms`);
  if (process.env.TEST_RESULT_JSON) {
    fs.writeFileSync(process.env.TEST_RESULT_JSON, JSON.stringify({
      passed: r.passes, failed: r.failures, skipped: r.pending, skipReasons: r.pendingTitles || [], exitCode, timedOut, durationMs,
    }));
  }
  console.log(`${r.passes} passed, ${r.failures} failed, ${r.pending} skipped`);
  process.exit(exitCode);
}

/** Closes the browser and stops the server of the current session, adding its counts to the total. */
async function endSession(exitCode) {
  try { if (browser) await browser.close(); } catch { /* already gone */ }
  browser = undefined;
  try {
    const c = JSON.parse(fs.readFileSync(RESULT_FILE, 'utf8'));
    fs.rmSync(RESULT_FILE);
    total = {
      passes: (total?.passes ?? 0) + c.passes, failures: (total?.failures ?? 0) + c.failures, pending: (total?.pending ?? 0) + c.pending,
      pendingTitles: [...(total?.pendingTitles ?? []), ...(c.pendingTitles ?? [])],
    };
  } catch { /* suite never reported */ }
  if (server) {
    if (process.env.SHOW_SERVER_LOG || exitCode !== 0) console.log('--- vscode server log ---\n' + server.log());
    await server.stop();
  }
  server = undefined;
}

async function main() {
  const timer = setTimeout(() => {
    console.error(`[runner] TIMEOUT after ${TIMEOUT_MS} ms (VSCODE_TEST_TIMEOUT_MS)`);
    void finish(2, { timedOut: true });
  }, TIMEOUT_MS);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { console.error(`[runner] ${sig}`); void finish(1); });
  let hostExitCode = 0;
  for (const session of SESSIONS) {
    if (finishing) return;
    const code = await runSession(session);
    if (hostExitCode === 0) hostExitCode = code;
    if (!finishing) await endSession(code === 0 ? 0 : 1);
  }
  clearTimeout(timer);
  await finish(hostExitCode === 0 ? 0 : 1, { hostExitCode });
}

/** One extension host on one fixture (a folder, or a .code-workspace with its folder); resolves with its exit code. */
async function runSession({ tests: TESTS, fixture: FIXTURE }) {
  let hostExitCode = null;
  try {
    if (!fs.existsSync(TESTS)) throw new Error(`missing ${TESTS} (compile the tests first: npx tsc -p test/integration)`);
    if (!fs.existsSync(FIXTURE)) throw new Error(`missing fixture workspace ${FIXTURE}`);
    // The extension host inherits the server's environment: that is how the suite learns where to write its counts.
    server = await startServer({
      env: {
        VSCODE_TEST_RESULT_FILE: RESULT_FILE,
        // Fault-injection agents for test/integration/faultInjection.test.ts: they act only on files whose path
        // contains "fault-injection", which that test creates and deletes; everywhere else they find nothing.
        MAINTENANCE_TEAM_TEST_AGENTS: 'throw@fault-injection,hang@fault-injection,slow:30@fault-injection',
        MAINTENANCE_TEAM_TEST_TIMEOUT_MS: '500',
      },
    });
    // Tests apply fixes and save: work on a throw-away copy so the fixture stays pristine.
    const isWorkspaceFile = FIXTURE.endsWith('.code-workspace');
    const ws = path.join(server.tmp, 'ws');
    fs.cpSync(isWorkspaceFile ? path.dirname(FIXTURE) : FIXTURE, ws, { recursive: true });
    browser = await launchBrowser();
    const page = await browser.newPage();
    const exited = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationLog', (type, msg) => {
        if (process.env.SHOW_ALL_LOGS || !NOISE.test(String(msg))) console.log(`[vscode ${type}] ${msg}`);
      });
      void page.exposeFunction('codeAutomationExit', (c) => resolve(c));
    });
    page.on('pageerror', (e) => console.log('[pageerror]', e.message));
    const opened = isWorkspaceFile ? { workspace: path.join(ws, path.basename(FIXTURE)) } : { folder: ws };
    await page.goto(workbenchUrl(server, { ...opened, extensionDevelopmentPath: ROOT, extensionTestsPath: TESTS }));
    hostExitCode = await exited;
  } catch (e) {
    console.error('[runner] ERROR', e && (e.stack || e));
  }
  return hostExitCode === 0 ? 0 : 1;
}

void main();
