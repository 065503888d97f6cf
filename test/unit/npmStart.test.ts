import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseArgs, type AuditCommand } from '../../src/cli/args';
import { npmBannerNote } from '../../src/cli/npmBanner';

const command = (...argv: string[]) => parseArgs(['audit', '.', ...argv]) as AuditCommand;
/** What npm 11 sets for `npm start -- …` (no --silent) in this project. */
const NPM_START = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false', npm_lifecycle_event: 'start', npm_command: 'start',
  npm_lifecycle_script: 'node esbuild.config.mjs && node dist/cli.js audit',
};

describe('#4 the note about npm\'s banner (pure)', () => {
  it('is given for a report for a program on a redirected stdout under `npm start`', () => {
    assert.match(npmBannerNote(command('--format', 'json'), NPM_START, false) ?? '', /npm start --silent -- …/);
    const own = { ...NPM_START, npm_lifecycle_event: 'audit', npm_lifecycle_script: 'maintenance-team audit . --format sarif' };
    assert.match(npmBannerNote(command('--format', 'sarif'), own, false) ?? '', /npm run --silent audit -- …/);
  });

  it('is not given when the report is clean or for people', () => {
    const json = command('--format', 'json');
    assert.equal(npmBannerNote(json, { ...NPM_START, npm_config_loglevel: 'silent' }, false), undefined, '--silent');
    assert.equal(npmBannerNote(json, { ...NPM_START, npm_config_json: 'true' }, false), undefined, '--json sends the banner to stderr');
    assert.equal(npmBannerNote(json, NPM_START, true), undefined, 'on a terminal');
    assert.equal(npmBannerNote(command('--format', 'json', '--output', 'r.json'), NPM_START, false), undefined, '--output');
    assert.equal(npmBannerNote(command(), NPM_START, false), undefined, 'the text report');
    assert.equal(npmBannerNote(json, {}, false), undefined, 'not under npm');
    const testRunner = { ...NPM_START, npm_lifecycle_event: 'test', npm_lifecycle_script: 'node scripts/test-all.js' };
    assert.equal(npmBannerNote(json, testRunner, false), undefined, 'a test runner spawning the CLI');
  });
});

/**
 * The real `npm start` in a copy of the project (its build must not rewrite the dist/ that other tests are
 * reading), with npm's own variables left out of the environment (a run under `npm test` would pass its own on).
 */
describe('#4 `npm start` writes a clean JSON or SARIF file', () => {
  let project = '';
  let folder = '';
  before(() => {
    project = realpathSync(mkdtempSync(join(tmpdir(), 'mt-npm-')));
    for (const path of ['package.json', 'esbuild.config.mjs', 'tsconfig.json', 'src']) cpSync(path, join(project, path), { recursive: true });
    symlinkSync(realpathSync('node_modules'), join(project, 'node_modules'));
    folder = join(project, 'audited');
    cpSync('test/fixtures/report', folder, { recursive: true });
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  const npm = (argv: string[]) => new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
    execFile('npm', argv, { cwd: project, env, timeout: 90_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`npm ${argv.join(' ')}: ${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
  const audit = ['--', 'audited', '--no-cache', '--fail-on', 'never'];

  it('`npm start --silent -- <dir> --format json > report.json` gives JSON', { timeout: 120_000 }, async () => {
    const { stdout, stderr } = await npm(['start', '--silent', ...audit, '--format', 'json']);
    const report = JSON.parse(stdout) as { root: string; files: unknown[] };
    assert.equal(report.root, folder);
    assert.ok(report.files.length > 0);
    assert.doesNotMatch(stderr, /note: npm printed/);
  });

  it('`npm start -- <dir> --format sarif --output FILE` gives SARIF, whatever npm prints', { timeout: 120_000 }, async () => {
    const { stderr } = await npm(['start', ...audit, '--format', 'sarif', '--output', 'report.sarif']);
    assert.equal((JSON.parse(readFileSync(join(project, 'report.sarif'), 'utf8')) as { version: string }).version, '2.1.0');
    assert.doesNotMatch(stderr, /note: npm printed/);
  });

  it('`npm start -- <dir> --format json > report.json` says on stderr that npm spoiled the file, and how not to', { timeout: 120_000 }, async () => {
    const { stdout, stderr } = await npm(['start', ...audit, '--format', 'json']);
    assert.match(stdout, /^\n> maintenance-team@\S+ start\n/, 'npm\'s banner, which this test is about');
    assert.match(stderr, /maintenance-team: note: npm printed its "> start" banner on standard output .* `npm start --silent -- …` or .* --output FILE/);
  });
});
