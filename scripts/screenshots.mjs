// Screenshots of the status bar and the metrics dashboard for docs/screenshots/, taken in the real workbench
// (code-server's VS Code in headless chromium, as the UI tests run it) on a copy of the fixture workspace with 600
// generated files: an audit runs, then the status bar (alone, and with its tooltip), then the dashboard in the
// Light+ theme (where the issue saw two series in one colour) and in Dark Modern.
//
//   npm run build && node scripts/screenshots.mjs                   # this checkout → docs/screenshots/*-after.png
//   node scripts/screenshots.mjs --extension ../old --suffix before # another build of the extension, same workspace
//
// Options: --extension DIR (the extension's folder, built; default this checkout), --out DIR (default
// docs/screenshots), --suffix NAME (default "after"). Needs code-server and chromium as `npm run test:ui` does.
/* global console, document, window -- document and window: in the callbacks given to evaluate(), run in the page */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import server from './vscode-server.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GENERATED_FILES = 600;
const STATUS_ITEM = '[id$="maintenanceTeam.status"]';
const AUDITS = 3;
/** Where the mouse rests for a shot: the explorer's empty part (the title bar would show the command center's hover). */
const REST = { x: 150, y: 800 };

const { values: options } = parseArgs({
  options: { extension: { type: 'string', default: ROOT }, out: { type: 'string' }, suffix: { type: 'string', default: 'after' } },
});
const extension = resolve(options.extension);
const out = resolve(options.out ?? join(ROOT, 'docs', 'screenshots'));
const shot = (name) => join(out, `${name}-${options.suffix}.png`);

/**
 * The UI test's workspace: the fixture files, generated modules with an unused import or trailing blanks, and two
 * minified bundles the audit skips (so the status bar has skipped files to tell about).
 */
function makeWorkspace(ws) {
  cpSync(join(ROOT, 'test', 'fixtures', 'workspace'), ws, { recursive: true });
  mkdirSync(join(ws, 'vendor'), { recursive: true });
  for (const name of ['chart.js', 'editor.js']) writeFileSync(join(ws, 'vendor', name), `${'var a=1;'.repeat(300)}\n`);
  const dir = join(ws, 'src', 'generated');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < GENERATED_FILES; i++) {
    const unused = i % 3 === 0 ? "import { readFileSync } from 'fs';\n" : '';
    writeFileSync(join(dir, `module${i}.ts`), `${unused}export function compute${i}(a: number, b: number): number {${' '.repeat(i % 5)}\n`
      + `  if (a > b) {\n    return a - b;\n  }\n  return a + b + ${i};\n}\n`);
  }
}

/**
 * In the page: whether the dashboard shows a finished audit, and the runs the team made so far as its "Success rate"
 * figure says them ("3,656 runs, 0 failed"), so that each audit from a cleared cache can be waited for.
 */
function auditShown() {
  const done = /^Last audit/.test(document.getElementById('status')?.textContent ?? '');
  const kpi = [...document.querySelectorAll('.kpi')].find((k) => k.querySelector('dt')?.textContent.startsWith('Success rate'));
  const runs = Number((/^([\d,]+) runs?/.exec(kpi?.querySelector('.detail')?.textContent ?? '')?.[1] ?? '0').replace(/,/g, ''));
  return { done, runs };
}

/** The dashboard's frame once it shows a finished audit and more than `runsBefore` runs, and those runs. */
async function dashboardFrame(page, runsBefore = -1, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const shown = await frame.evaluate(auditShown).catch(() => undefined);
      if (shown?.done && shown.runs > runsBefore) return { frame, runs: shown.runs };
    }
    await sleep(200);
  }
  throw new Error(`no dashboard with a finished audit after ${timeoutMs} ms`);
}

async function waitForStatusText(page, pattern, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await page.locator(STATUS_ITEM).first().textContent().catch(() => '');
    if (pattern.test(text ?? '')) return text;
    if (Date.now() > deadline) throw new Error(`status bar still says "${text}" after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** The status bar's left part, up to a little past the extension's item (and `extraHeight` above it, for a tooltip). */
async function shootStatusBar(page, path, extraHeight = 0, minWidth = 0) {
  const bar = await page.locator('.part.statusbar').boundingBox();
  const item = await page.locator(STATUS_ITEM).first().boundingBox();
  const width = Math.min(bar.width, Math.max(minWidth, item.x + item.width + 120));
  await page.screenshot({ path, clip: { x: 0, y: bar.y - extraHeight, width, height: bar.height + extraHeight } });
}

/**
 * Switches the colour theme through the workspace's settings (the workbench follows the file live): steadier than
 * the theme picker, whose list replaces the command palette's a moment after the command runs.
 */
async function setTheme(page, ws, theme) {
  mkdirSync(join(ws, '.vscode'), { recursive: true });
  writeFileSync(join(ws, '.vscode', 'settings.json'), `${JSON.stringify({ 'workbench.colorTheme': theme }, null, 2)}\n`);
  const deadline = Date.now() + 15_000;
  const before = await page.evaluate(() => document.body.className);
  while (Date.now() < deadline && await page.evaluate(() => document.body.className) === before) await sleep(200);
  await sleep(1500);   // the webview's charts rebuild with the new colours
}

/** The status bar item's tooltip, when it shows one on hover: the hover box just above the status bar. */
async function tooltipBox(page) {
  const bar = await page.locator('.part.statusbar').boundingBox();
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    for (const hover of await page.locator('.workbench-hover').all()) {
      const box = await hover.boundingBox().catch(() => null);
      if (box && box.height > 0 && box.y + box.height > bar.y - 40) return box;
    }
    await sleep(200);
  }
  return undefined;
}

async function main() {
  mkdirSync(out, { recursive: true });
  const vscodeServer = await server.startServer();
  let browser;
  try {
    const ws = join(vscodeServer.tmp, 'ws');
    makeWorkspace(ws);
    browser = await server.launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 1300 }, deviceScaleFactor: 2 });
    await page.goto(server.workbenchUrl(vscodeServer, { folder: ws, extensionDevelopmentPath: extension, openFile: join(ws, 'src', 'clean.ts') }));
    await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 60_000 });
    await page.locator(STATUS_ITEM).first().waitFor({ timeout: 60_000 });
    await server.runCommand(page, 'Maintenance: Open metrics dashboard');
    // Three audits from a cleared cache: the duration chart gets a point per audit.
    let runs = -1;
    for (let audit = 1; audit <= AUDITS; audit++) {
      if (audit > 1) await server.runCommand(page, 'Maintenance: Clear cache');
      await server.runCommand(page, 'Maintenance: Run maintenance audit');
      ({ runs } = await dashboardFrame(page, runs));
      await sleep(1000);   // the audit's last throttled metrics message
    }
    await sleep(1500);   // the last throttled metrics message, and the status bar's final text
    console.log(`status bar: ${await page.locator(STATUS_ITEM).first().textContent()}`);
    await server.runCommand(page, 'Notifications: Clear All Notifications');
    await page.mouse.move(REST.x, REST.y);
    await sleep(500);
    await shootStatusBar(page, shot('status-bar'));
    await page.locator(STATUS_ITEM).first().hover();
    const box = await tooltipBox(page);
    if (box) {
      const bar = await page.locator('.part.statusbar').boundingBox();
      await shootStatusBar(page, shot('status-bar-tooltip'), Math.ceil(bar.y - box.y) + 8, box.x + box.width + 8);
    }
    await page.mouse.move(REST.x, REST.y);
    await page.keyboard.press('Escape');
    for (const [theme, name] of [['Default Light+', 'dashboard'], ['Default Dark Modern', 'dashboard-dark']]) {
      await setTheme(page, ws, theme);
      await (await dashboardFrame(page)).frame.evaluate(() => window.scrollTo(0, 0));
      await page.mouse.move(REST.x, REST.y);
      await page.locator('iframe.webview.ready').first().screenshot({ path: shot(name) });
      if (process.env.SCREENSHOTS_FULL) await page.screenshot({ path: shot(`${name}-window`) });
    }
    await waitForStatusText(page, /./);
    console.log(`screenshots in ${out} (${options.suffix})`);
  } finally {
    try { await browser?.close(); } catch { /* already gone */ }
    await vscodeServer.stop();
  }
}

await main();
