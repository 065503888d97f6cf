/**
 * Issue 18, the trust boundary: what a hostile repository may configure and what only the user may (items 1, 2, the
 * first half of 4, and Workspace Trust). Every case runs against loopback listeners and temp folders it removes.
 */
import assert from 'node:assert/strict';
import { chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parseArgs } from '../../src/cli/args';
import { defaultCacheDir } from '../../src/cli/cache';
import { openSharedTier } from '../../src/core/cache/shared/openSharedTier';
import { parseRedisUrl } from '../../src/core/cache/shared/redisUrl';
import { redactSecrets } from '../../src/core/redact';
import { resolveSharedEndpoint, SHARED_CACHE_ENV } from '../../src/core/cache/shared/sharedEndpoint';
import { findConfigFile } from '../../src/core/config/configFile';
import { parseConfig } from '../../src/core/config/load';
import { defaultConfig } from '../../src/core/config/schema';
import { discoveryRoot } from '../../src/core/files/discoveryRoot';
import { ProjectIndex } from '../../src/core/files/projectContext';
import { editorSharedEndpoint, trustPolicy } from '../../src/core/trust/workspaceTrust';
import { runIn, tree } from './helpers/cli';
import { FakeRedis } from './helpers/fakeRedis';

const TIMEOUT = { timeout: 30_000 };
const SECRET = 'planted-s3cret-value';

/** A loopback TCP listener that records every connection and every byte it receives. */
interface Listener {
  readonly port: number;
  connections: number;
  received: string;
  /** Resolves at the first connection (bounded by the test's timeout). */
  readonly connected: Promise<void>;
  close(): Promise<void>;
}

async function listen(): Promise<Listener> {
  const sockets: Socket[] = [];
  let onConnect = () => undefined as void;
  const connected = new Promise<void>((resolve) => (onConnect = resolve));
  const state = { connections: 0, received: '' };
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    state.connections++;
    socket.on('data', (chunk) => (state.received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    onConnect();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return Object.assign(state, {
    port,
    connected,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  });
}

/** Runs the real CLI in-process; the environment is only what the test gives (plus a private cache home). */
function cli(argv: string[], cwd: string, env: Record<string, string> = {}) {
  return runIn({ XDG_CACHE_HOME: tree(), ...env }, argv, cwd);
}

const SHARED = (lines: string) => `global:\n  cache:\n    shared:\n${lines}`;

describe('#1 network destinations and credentials come only from the user', () => {
  it('a repository config naming a listener in url, with passwordEnv on a planted variable: the listener receives nothing', TIMEOUT, async () => {
    const hostile = await listen();
    try {
      const root = tree({
        'a.ts': 'export const a = 1;\n',
        'maintenance-team.yaml': SHARED(`      url: redis://x@127.0.0.1:${hostile.port}\n      passwordEnv: PLANTED\n`),
      });
      const run = await cli(['audit', '.', '--cache-dir', tree()], root, { PLANTED: SECRET });
      assert.equal(run.code, 0, run.stderr);
      // A connection of our own, accepted after any the audit could have made: the listener's queue is drained.
      await probe(hostile);
      assert.equal(hostile.connections, 1, 'only the probe connected');
      assert.ok(!hostile.received.includes(SECRET));
      assert.match(run.stderr, /warning: global\.cache\.shared\.url: .*--cache-url.*; ignored/);
      assert.match(run.stderr, /warning: global\.cache\.shared\.passwordEnv: .*; ignored/);
      assert.ok(!run.stderr.includes(SECRET) && !run.stderr.includes(String(hostile.port)), run.stderr);
    } finally {
      await hostile.close();
    }
  });

  it('with --cache-url pinned by CI, a repository config adding nodes receives nothing (the team password stays home)', TIMEOUT, async () => {
    const team = await listen();
    const hostile = await listen();
    try {
      const root = tree({
        'a.ts': 'export const a = 1;\n',
        'maintenance-team.yaml': SHARED(`      nodes: ["127.0.0.1:${hostile.port}"]\n      cluster: true\n      passwordEnv: PLANTED\n`),
      });
      const run = await cli(['audit', '.', '--cache-dir', tree(), '--cache-url', `redis://127.0.0.1:${team.port}`,
        '--cache-password-env', 'TEAM_PW'], root, { TEAM_PW: SECRET, PLANTED: 'other' });
      assert.equal(run.code, 0, run.stderr);
      await probe(hostile);
      assert.equal(hostile.connections, 1, 'only the probe connected');
      assert.match(run.stderr, /warning: global\.cache\.shared\.nodes: .*; ignored/);
      assert.match(run.stderr, /warning: global\.cache\.shared\.cluster: .*; ignored/);
      // The user's own endpoint is the one reached, with the user's password.
      await team.connected;
      assert.ok(team.received.includes(SECRET), 'AUTH with the variable the user named');
    } finally {
      await Promise.all([team.close(), hostile.close()]);
    }
  });

  it('the URL the user passes by flag (or environment variable) is reached: the listener test can fail', TIMEOUT, async () => {
    const user = await listen();
    try {
      const root = tree({ 'a.ts': 'export const a = 1;\n' });
      const run = await cli(['audit', '.', '--cache-dir', tree(), '--cache-url', `redis://127.0.0.1:${user.port}`], root,
        { MAINTENANCE_TEAM_CACHE_PASSWORD: SECRET });
      assert.equal(run.code, 0, run.stderr);
      await user.connected;
      assert.ok(user.received.includes(SECRET), 'the default password variable is read');
      assert.ok(!run.stderr.includes(SECRET));
      const before = user.connections;
      await cli(['audit', '.', '--cache-dir', tree()], root, { [SHARED_CACHE_ENV.url]: `redis://127.0.0.1:${user.port}` });
      await probe(user);
      assert.ok(user.connections >= before + 2, 'the environment variable is a user-side source too');
    } finally {
      await user.close();
    }
  });

  it('repository keys naming a destination or credential are warnings on the key, ignored; the other knobs apply', () => {
    const text = SHARED('      url: redis://cache:6379\n      nodes: ["h:1"]\n      cluster: true\n      passwordEnv: AWS_SECRET\n'
      + '      tls: true\n      keyPrefix: acme\n      projectId: web\n      ttlSeconds: 60\n      timeoutMs: 90\n');
    const { config, problems } = parseConfig(text);
    assert.deepEqual(problems.map((p) => [p.severity, p.message.split(':')[0], p.range.start.line, p.range.start.column]), [
      ['warning', 'global.cache.shared.url', 4, 7], ['warning', 'global.cache.shared.nodes', 5, 7],
      ['warning', 'global.cache.shared.cluster', 6, 7], ['warning', 'global.cache.shared.passwordEnv', 7, 7],
      ['warning', 'global.cache.shared.tls', 8, 7],
    ]);
    assert.ok(problems.every((p) => !p.message.includes('AWS_SECRET') && !p.message.includes('cache:6379')));
    assert.deepEqual(config.global.cache.shared, { keyPrefix: 'acme', projectId: 'web', ttlSeconds: 60, timeoutMs: 90 });
  });

  it('the tier only ever opens on an endpoint the user resolved', () => {
    const redis = new FakeRedis();
    const seen: string[] = [];
    const settings = defaultConfig().global.cache.shared;
    assert.equal(openSharedTier(settings, { root: '/r', env: { [SHARED_CACHE_ENV.url]: 'redis://h:1' } }), undefined);
    const endpoint = resolveSharedEndpoint({}, { [SHARED_CACHE_ENV.url]: 'redis://h:1', [SHARED_CACHE_ENV.nodes]: 'h2:2,h3:3' });
    assert.deepEqual(endpoint, { url: 'redis://h:1', nodes: ['h2:2', 'h3:3'], cluster: false, passwordEnv: 'MAINTENANCE_TEAM_CACHE_PASSWORD' });
    assert.ok(openSharedTier(settings, { root: '/r', env: {}, endpoint, createClient: (s) => (seen.push(s.url), redis) }));
    assert.deepEqual(seen, ['redis://h:1']);
    // Flags win over the environment, field by field.
    assert.deepEqual(resolveSharedEndpoint({ url: 'redis://flag:1', passwordEnv: 'PW' }, { [SHARED_CACHE_ENV.url]: 'redis://env:1', [SHARED_CACHE_ENV.cluster]: '1' }),
      { url: 'redis://flag:1', nodes: [], cluster: true, passwordEnv: 'PW' });
  });
});

/** Connects to the listener and waits until the server has accepted it: every earlier connection was seen first. */
async function probe(listener: Listener): Promise<void> {
  const before = listener.connections;
  const { connect } = await import('node:net');
  const socket = connect(listener.port, '127.0.0.1');
  socket.on('error', () => undefined);
  while (listener.connections === before) await new Promise((resolve) => setTimeout(resolve, 5));
  socket.destroy();
}

describe('#2 discovery stops at the repository root', () => {
  const layout = () => tree({
    'maintenance-team.yaml': 'team:\n  hygiene:\n    enabled: false\n',
    'node_modules/.keep': '',
    'package.json': '{ "name": "parent-pkg", "dependencies": { "lodash": "1" } }\n',
    'tsconfig.json': '{ "compilerOptions": { "paths": { "@parent/*": ["./x/*"] } } }\n',
    'build/x/a.ts': 'export const a = 1;   \n',
  });

  it('no .git anywhere: an audit of parent/build/x ignores the parent config and writes nothing into parent/node_modules', TIMEOUT, async () => {
    const parent = layout();
    const folder = join(parent, 'build', 'x');
    const run = await cli(['audit', folder, '--format', 'json'], parent);
    const report = JSON.parse(run.stdout) as { files: { findings: { rule: string }[] }[] };
    assert.ok(report.files[0].findings.some((f) => f.rule === 'hygiene/trailing-whitespace'), 'the parent config did not apply');
    assert.ok(!existsSync(join(parent, 'node_modules', '.cache')), 'nothing written into the parent node_modules');
    assert.equal(discoveryRoot(folder), folder);
    assert.equal(await findConfigFile(folder), undefined);
    assert.notEqual(dirname(dirname(defaultCacheDir(folder, { XDG_CACHE_HOME: '/xdg' }))), join(parent, 'node_modules'));
    const context = await new ProjectIndex(folder).contextFor(join(folder, 'a.ts'));
    assert.equal(context.manifestPath, undefined);
    assert.deepEqual(context.pathAliases, []);
  });

  it('with the parent a repository of the user, the parent config, manifests and node_modules are found (control)', TIMEOUT, async () => {
    const parent = layout();
    mkdirSync(join(parent, '.git'));
    const folder = join(parent, 'build', 'x');
    assert.equal(discoveryRoot(folder), parent);
    assert.equal(await findConfigFile(folder), join(parent, 'maintenance-team.yaml'));
    assert.equal(defaultCacheDir(folder, {}), join(parent, 'node_modules', '.cache', 'maintenance-team'));
    const context = await new ProjectIndex(folder).contextFor(join(folder, 'a.ts'));
    assert.equal(context.manifestPath, '../../package.json');
    assert.deepEqual(context.pathAliases, ['@parent/*']);
  });

  it('a .git above the folder owned by another user is not a repository root (as git\'s safe.directory)', {
    ...TIMEOUT, skip: process.getuid?.() !== 0 && 'needs root to plant a .git owned by another user',
  }, async () => {
    const parent = layout();
    mkdirSync(join(parent, '.git'));
    chownSync(join(parent, '.git'), 4242, 4242);
    const folder = join(parent, 'build', 'x');
    assert.equal(discoveryRoot(folder), folder);
    assert.equal(await findConfigFile(folder), undefined);
    // The audited folder's own .git counts whoever owns it: the folder is the boundary anyway.
    assert.equal(discoveryRoot(parent), parent);
  });
});

describe('#4 (first half) credentials are never printed', () => {
  const PASSWORD = 'hunter2-Pa55';

  it('usage errors name the flag, never the value', () => {
    const cases: string[][] = [
      ['--cache-url', `redis://admin:${PASSWORD}@cache:6379`],
      ['--cache-url', `${PASSWORD}:x`],
      ['--cache-url', `redis://cache:6379/${PASSWORD}`],
      ['--cache-nodes', `admin:${PASSWORD}@cache:6379`],
      ['--cache-nodes', `cache:1,${PASSWORD}`],
      ['--cache-password-env', `${PASSWORD} with spaces`],
      ['--cache-password-env', `x:${PASSWORD}`],
    ];
    for (const [flag, value] of cases) {
      const parsed = parseArgs(['audit', '.', flag, value]);
      assert.equal(parsed.kind, 'usage-error', `${flag} ${value}`);
      assert.ok(parsed.kind === 'usage-error' && parsed.message.includes(flag) && !parsed.message.includes(PASSWORD), parsed.kind === 'usage-error' ? parsed.message : '');
    }
  });

  it('a password put into passwordEnv, nodes or url of a repository config is not repeated', () => {
    const { problems } = parseConfig(SHARED(`      url: redis://u:${PASSWORD}@h:1\n      passwordEnv: "${PASSWORD} x"\n      nodes: ["u:${PASSWORD}@h:1"]\n`));
    assert.equal(problems.length, 3);
    assert.ok(problems.every((p) => !p.message.includes(PASSWORD)), problems.map((p) => p.message).join('\n'));
  });

  it('environment variables with a password in them warn without echoing it; the variable name is not echoed either', () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    assert.equal(resolveSharedEndpoint({}, { [SHARED_CACHE_ENV.url]: `redis://u:${PASSWORD}@h:1` }, warn), undefined);
    resolveSharedEndpoint({}, { [SHARED_CACHE_ENV.url]: 'redis://h:1', [SHARED_CACHE_ENV.passwordEnv]: `${PASSWORD}!`, [SHARED_CACHE_ENV.nodes]: `${PASSWORD}` }, warn);
    openSharedTier(defaultConfig().global.cache.shared, {
      root: '/r', env: {}, warn, createClient: () => new FakeRedis(),
      endpoint: { url: 'redis://h:1', nodes: [], cluster: false, passwordEnv: PASSWORD.replace(/-/g, '_') },
    });
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.ok(warnings.every((w) => !w.includes(PASSWORD) && !w.includes(PASSWORD.replace(/-/g, '_'))), warnings.join('\n'));
  });

  it('URLs are redacted wherever they are quoted', () => {
    assert.equal(redactSecrets(`failed on redis://admin:${PASSWORD}@h:1/0 and https://tok@x.io/p`), 'failed on redis://***@h:1/0 and https://***@x.io/p');
    assert.throws(() => parseRedisUrl(`redis://h:1/${PASSWORD}`), (e: Error) => !e.message.includes(PASSWORD));
  });
});

describe('Workspace Trust', () => {
  it('Restricted Mode audits but connects nowhere and fixes nothing on save; trust enables both', () => {
    assert.deepEqual(trustPolicy(false), { audit: true, sharedCache: false, fixOnSave: false });
    assert.deepEqual(trustPolicy(true), { audit: true, sharedCache: true, fixOnSave: true });
    const settings = { url: 'redis://h:1', nodes: [], cluster: false, passwordEnv: '' };
    const env = { [SHARED_CACHE_ENV.url]: 'redis://env:1' };
    assert.equal(editorSharedEndpoint(trustPolicy(false), settings, env), undefined);
    assert.equal(editorSharedEndpoint(trustPolicy(true), settings, env)?.url, 'redis://h:1');
    assert.equal(editorSharedEndpoint(trustPolicy(true), { url: '', nodes: [], cluster: false, passwordEnv: '' }, env)?.url, 'redis://env:1');
  });

  it('package.json declares limited support, restricts configPath, and keeps the shared cache settings out of workspaces', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      capabilities?: { untrustedWorkspaces?: { supported: string; description?: string; restrictedConfigurations?: string[] } };
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    const declared = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(declared?.supported, 'limited');
    assert.ok(declared?.description && declared.restrictedConfigurations?.includes('maintenanceTeam.configPath'));
    const shared = Object.entries(manifest.contributes.configuration.properties).filter(([key]) => key.startsWith('maintenanceTeam.sharedCache.'));
    assert.deepEqual(shared.map(([key]) => key).sort(), ['maintenanceTeam.sharedCache.cluster', 'maintenanceTeam.sharedCache.nodes',
      'maintenanceTeam.sharedCache.passwordEnv', 'maintenanceTeam.sharedCache.url']);
    for (const [key, property] of shared) assert.ok(property.scope === 'machine' || property.scope === 'application', key);
  });
});
