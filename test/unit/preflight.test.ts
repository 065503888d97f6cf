/**
 * `npm test` on a fresh machine (issue 19, items 1, 2 and 6): what scripts/test-all.js decides to install or to
 * ask for (scripts/preflight.js, on described machines), how it counts skipped tests (scripts/testCounts.js, on
 * real node:test output), and the private temp folder each tier runs in (scripts/tierTmp.js).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { aptCommand, findMissing, installBatches, planPreflight, REQUIREMENTS, type Facts, type Probe } from '../../scripts/preflight.js';
import { countTap } from '../../scripts/testCounts.js';
import { privateTmp, removeTmp, SHARED_TMP_CACHES } from '../../scripts/tierTmp.js';

const ROOT = resolve(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const ALL = REQUIREMENTS.map((r) => r.pkg);
const PROMETHEUS = ['prometheus', 'prometheus-pushgateway', 'prometheus-alertmanager'];
const CODE_SERVER_COMMAND = 'bash scripts/install-code-server.sh "/home/u/.cache/vscode-host/code-server-4.100.3" 4.100.3';

/** A machine that has exactly `have` (package names; a package's probe answers through it). */
function machine(have: readonly string[]): Probe {
  const commands: Record<string, string> = { rg: 'ripgrep', 'pkg-config': 'pkg-config', 'g++': 'g++', make: 'make', python3: 'python3', patch: 'patch', 'redis-server': 'redis-server',
    promtool: 'prometheus', amtool: 'prometheus-alertmanager' };
  const files: Record<string, string> = { [CHROMIUM]: 'chromium', '/usr/include/gssapi/gssapi.h': 'libkrb5-dev' };
  return {
    hasCommand: (name) => have.includes(commands[name] ?? name),
    hasFile: (path) => have.includes(files[path] ?? path),
  };
}

function facts(have: readonly string[], over: Partial<Facts> = {}): Facts {
  const codeServerInstalled = over.codeServerInstalled ?? false;
  return {
    dependencies: true, root: true, apt: true, codeServerInstalled, codeServerCommand: CODE_SERVER_COMMAND,
    missing: findMissing(machine(have), { chromiumPath: CHROMIUM, codeServerInstalled }),
    ...over,
  };
}

describe('#1 npm test on a fresh machine: install what it needs, or stop at once with the command', () => {
  it('as root with apt-get: installs every missing package, then the VS Code test host', { timeout: 5_000 }, () => {
    const plan = planPreflight(facts([]));
    assert.deepEqual(plan.install, ALL);
    assert.equal(plan.installCodeServer, true);
    assert.equal(plan.error, null);
  });

  it('not root: installs nothing and gives the exact command, with every missing package', { timeout: 5_000 }, () => {
    const plan = planPreflight(facts(['chromium', 'make', 'redis-server', ...PROMETHEUS], { root: false }));
    assert.deepEqual(plan.install, []);
    assert.match(plan.error ?? '', /^missing system packages: ripgrep \(/);
    const command = 'sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ripgrep pkg-config libkrb5-dev g++ python3 patch';
    assert.ok(plan.error!.split('\n').includes(`  ${command}`), plan.error!);
    assert.match(plan.error!, /npm run test:unit/);
    assert.ok(plan.error!.includes(CODE_SERVER_COMMAND));
  });

  it('no apt-get: says which Debian packages to find equivalents of', { timeout: 5_000 }, () => {
    const plan = planPreflight(facts(['ripgrep'], { root: true, apt: false, codeServerInstalled: true }));
    assert.deepEqual(plan.install, []);
    assert.match(plan.error ?? '', /no apt-get here: install the equivalents of the Debian packages chromium patch redis-server/);
  });

  it('with the test host installed, its build tools are not asked for', { timeout: 5_000 }, () => {
    const plan = planPreflight(facts(['chromium', 'ripgrep', 'patch', 'redis-server', ...PROMETHEUS], { codeServerInstalled: true, root: false }));
    assert.deepEqual(plan, { install: [], installCodeServer: false, error: null, notes: [] });
  });

  it('only optional packages missing and not root: runs, and says which tests will skip and how not to', { timeout: 5_000 }, () => {
    const plan = planPreflight(facts(ALL.filter((p) => p !== 'redis-server'), { root: false }));
    assert.equal(plan.error, null);
    assert.equal(plan.installCodeServer, true);
    assert.deepEqual(plan.notes, ['redis-server is not installed: the shared-cache tests will be skipped ' +
      '(to run them: sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server)']);
  });

  it('the Prometheus tools are optional: missing, their tests skip with the command; installed one call each', { timeout: 5_000 }, () => {
    const notRoot = planPreflight(facts(ALL.filter((p) => !PROMETHEUS.includes(p)), { root: false }));
    assert.equal(notRoot.error, null);
    assert.deepEqual(notRoot.notes.map((n) => n.split(' ')[0]), PROMETHEUS);
    assert.match(notRoot.notes[0], /promtool checks .* will be skipped \(to run them: sudo apt-get update && .* install -y prometheus\)/);
    const asRoot = planPreflight(facts(['ripgrep', 'patch']));
    assert.deepEqual(installBatches(asRoot.install), [
      ['chromium', 'pkg-config', 'libkrb5-dev', 'g++', 'make', 'python3'], ['redis-server'], ...PROMETHEUS.map((p) => [p]),
    ]);
    // apt-get ran and the Pushgateway is still absent (a distribution without it): the run goes on, with a note.
    const after = planPreflight(facts(ALL.filter((p) => p !== 'prometheus-pushgateway'), { aptTried: true }));
    assert.equal(after.error, null);
    assert.match(after.notes.join('\n'), /^prometheus-pushgateway is not installed: the test against a real Pushgateway will be skipped/);
  });

  it('apt-get already ran and a package is still missing: an error, never a second install', { timeout: 5_000 }, () => {
    const plan = planPreflight(facts(ALL.filter((p) => p !== 'chromium'), { aptTried: true }));
    assert.deepEqual(plan.install, []);
    assert.match(plan.error ?? '', /apt-get install ran but did not provide them/);
    assert.ok(plan.error!.includes(aptCommand(['chromium'], { root: true })));
  });

  it('another Node than the test host runs on: says so before anything is installed', { timeout: 5_000 }, () => {
    const plan = planPreflight(facts([], { nodeVersion: 'v22.11.0', hostNodeMajor: 20 }));
    assert.deepEqual(plan.install, []);
    assert.match(plan.error ?? '', /^the VS Code test host \(code-server\) runs on Node 20, and this is Node v22\.11\.0\. Switch to Node 20/);
    assert.equal(planPreflight(facts(ALL, { nodeVersion: 'v20.19.0', hostNodeMajor: 20 })).error, null);
  });

  it('without node_modules: npm ci first', { timeout: 5_000 }, () => {
    assert.match(planPreflight(facts(ALL, { dependencies: false })).error ?? '', /\n {2}npm ci$/);
  });

  it('npm test itself stops within seconds, with the command and the totals line last', { timeout: 30_000 }, () => {
    // No PATH: no apt-get, no rg; a chromium that is not there. The unit tests (minutes) must not start.
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'test-all.js')], {
      cwd: ROOT, encoding: 'utf8', timeout: 25_000,
      env: { HOME: process.env.HOME, PATH: '', CHROMIUM_PATH: '/nonexistent/chromium', TEST_ALL_BUDGET_MS: '25000' },
    });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /missing system packages: chromium \(hosts the VS Code web workbench\), ripgrep/);
    assert.doesNotMatch(run.stdout, /unit tests:/);
    assert.equal(run.stdout.trim().split('\n').pop(), '0 passed, 1 failed, 0 skipped');
  });
});

describe('#2 skipped tests are counted, per tier', () => {
  it('a suite skipped as a whole counts, next to skipped tests, each with its reason', { timeout: 30_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-skips-'));
    try {
      const file = join(dir, 'skips.test.mjs');
      writeFileSync(file, [
        "import { describe, it } from 'node:test';",
        "describe('shared cache', { skip: 'redis-server is not installed' }, () => { it('a', () => {}); });",
        "it('uses patch', { skip: 'patch is not installed' }, () => {});",
        "it('runs', () => {});",
      ].join('\n'));
      // Without the variable node:test sets in the files it runs, which would make this run report to ours.
      const env = { ...process.env, NODE_TEST_CONTEXT: undefined };
      const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', file], { encoding: 'utf8', timeout: 25_000, env });
      assert.deepEqual(countTap(run.stdout), {
        passed: 1, failed: 0, skipped: 2,
        skipReasons: ['shared cache: redis-server is not installed', 'uses patch: patch is not installed'],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a run that never printed its summary has no counts', { timeout: 5_000 }, () => {
    assert.equal(countTap('TAP version 13\n# Subtest: a\n'), null);
  });
});

describe('#6 each node:test tier runs in a temp folder of its own', () => {
  it('names what the tests left, removes it all, and keeps the shared caches', { timeout: 5_000 }, () => {
    const parent = mkdtempSync(join(tmpdir(), 'mt-tiertmp-'));
    try {
      const dir = privateTmp(parent, 'unit');
      assert.equal(statSync(dir).mode & 0o7777, 0o1777, 'open like /tmp: tests run the CLI as nobody');
      mkdirSync(join(dir, 'mt-cli-abc'));
      writeFileSync(join(dir, SHARED_TMP_CACHES[0], 'entry'), 'kept');
      writeFileSync(join(dir, 'stray.txt'), '');
      mkdirSync(join(dir, 'tsx-65534'));
      assert.deepEqual(removeTmp(dir), ['mt-cli-abc', 'stray.txt']);
      assert.equal(existsSync(dir), false);
      assert.equal(existsSync(join(parent, SHARED_TMP_CACHES[0], 'entry')), true);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
