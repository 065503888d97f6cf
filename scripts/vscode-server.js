// Starts the VS Code server bundled in the npm package `code-server`, and Debian's headless chromium to host its web
// workbench. We use this instead of @vscode/test-electron because that one downloads VS Code from the internet, and
// this machine (and CI) reaches only the npm registry and Debian. See /work/shared/vscode-host/README.md.
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const net = require('net');
const { spawn } = require('child_process');

const CODE_SERVER_VERSION = '4.100.3';   // the newest code-server that runs on Node 20 (bundles VS Code 1.100.3)
const CODE_SERVER_NODE_MAJOR = 20;        // its package.json engines (scripts/install-code-server.sh lists the others)
// Outside the repo, so a fresh clone or `git clean` does not throw away a ~2 min native build.
const DEFAULT_CODE_SERVER_DIR = path.join(os.homedir(), '.cache', 'vscode-host', `code-server-${CODE_SERVER_VERSION}`);
const CODE_SERVER_DIR = path.resolve(process.env.CODE_SERVER_DIR || DEFAULT_CODE_SERVER_DIR);
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
// An extension gallery without a serviceUrl is a disabled one, in the server and in the workbench it configures: the
// tests install no extension, and code-server's default (open-vsx.org) is unreachable offline (an ENOTFOUND stack).
const NO_EXTENSION_GALLERY = '{}';
const SERVER_START_TIMEOUT_MS = 60000;
const STOP_GRACE_MS = 5000;

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.on('error', reject);
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});

/** True while any process of the group led by `pid` is alive. */
function groupAlive(pid) {
  try { process.kill(-pid, 0); return true; } catch { return false; }
}

/**
 * Starts `lib/vscode/out/server-main.js --enable-smoke-test-driver` on a free 127.0.0.1 port with throw-away
 * user-data, extensions and XDG dirs. We start server-main rather than the code-server CLI because the built
 * workbench only honours the extensionDevelopmentPath / extensionTestsPath payload when the smoke-test driver is
 * enabled, and the CLI rejects that flag.
 * `env` is added to the server's environment; the extension host inherits it.
 */
async function startServer({ env = {} } = {}) {
  const serverMain = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
  if (!fs.existsSync(serverMain)) {
    throw new Error(`code-server is not installed in ${CODE_SERVER_DIR}; run: ` +
      `bash scripts/install-code-server.sh "${CODE_SERVER_DIR}" ${CODE_SERVER_VERSION}`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-host-'));
  const port = await freePort();
  const args = [serverMain, '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms', '--enable-smoke-test-driver',
    '--disable-telemetry', '--disable-workspace-trust', '--server-data-dir', path.join(tmp, 'server-data'),
    '--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions')];
  // detached => its own process group, so stop() ends the server AND the extension host / pty host it spawned.
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    env: { ...process.env, EXTENSIONS_GALLERY: NO_EXTENSION_GALLERY, ...env, XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'), XDG_DATA_HOME: path.join(tmp, 'xdg-data') },
  });
  let log = '';
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start in ${SERVER_START_TIMEOUT_MS} ms\n${log}`)), SERVER_START_TIMEOUT_MS);
    const onData = (d) => { log += d; if (/Extension host agent listening|Web UI available/.test(log)) { clearTimeout(t); resolve(); } };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (c) => { clearTimeout(t); reject(new Error(`server exited early (${c})\n${log}`)); });
  }).catch((e) => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } throw e; });

  const authority = `127.0.0.1:${port}`;   // the web client uses location.host as its remote authority
  return {
    port, tmp, authority, baseUrl: `http://${authority}`, log: () => log,
    remoteUri: (p) => `vscode-remote://${authority}${p}`,
    /** SIGTERM to the whole group; SIGKILL whatever is left after a grace period (a hung extension host ignores TERM). */
    async stop() {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const deadline = Date.now() + STOP_GRACE_MS;
      await Promise.race([exited, new Promise((r) => setTimeout(r, STOP_GRACE_MS))]);
      while (groupAlive(child.pid) && Date.now() < deadline) { await new Promise((r) => setTimeout(r, 100)); }
      if (groupAlive(child.pid)) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* raced with exit */ } }
      if (!process.env.KEEP_TMP) { try { fs.rmSync(tmp, { recursive: true, force: true }); } catch { /* best effort */ } }
    },
  };
}

/** Headless Debian chromium through playwright-core (playwright's own browser download is unreachable here). */
async function launchBrowser() {
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * URL that opens `folder` (or the .code-workspace file `workspace`) with the extension under development (and
 * optionally a test module) in the server's extension host.
 */
function workbenchUrl(server, { folder, workspace, extensionDevelopmentPath, extensionTestsPath, openFile }) {
  const payload = [['extensionDevelopmentPath', server.remoteUri(extensionDevelopmentPath)], ['skipWelcome', 'true'], ['skipReleaseNotes', 'true']];
  if (extensionTestsPath) payload.push(['extensionTestsPath', server.remoteUri(extensionTestsPath)]);
  if (openFile) payload.push(['openFile', server.remoteUri(openFile)]);
  const opened = workspace ? `workspace=${encodeURIComponent(workspace)}` : `folder=${encodeURIComponent(folder)}`;
  return `${server.baseUrl}/?${opened}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Runs a command from the workbench's palette in a playwright `page`; retried, as the palette can open before the
 * extension's commands exist, or close again when a webview takes the focus.
 */
async function runCommand(page, title) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

module.exports = { startServer, launchBrowser, workbenchUrl, runCommand, CODE_SERVER_DIR, CODE_SERVER_VERSION, CODE_SERVER_NODE_MAJOR, CHROMIUM_PATH };
