import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, describe, it } from 'node:test';
import { groupingLabels } from '../../src/cli/metricsPush';
import { encodeGroupingLabel, pushUrl, pushUrlProblem, putMetrics } from '../../src/core/metrics/pushgateway';
import { cacheHome, run, runIn, tree } from './helpers/cli';
import { freePort, startSink, type Sink } from './helpers/httpSink';
import { missingTool, promtool } from './helpers/promtool';

const sinks: Sink[] = [];
after(async () => {
  await Promise.all(sinks.splice(0).map((sink) => sink.close()));
});

async function sink(answer = true): Promise<Sink> {
  const started = await startSink(answer);
  sinks.push(started);
  return started;
}

/** A project with one finding (a trailing space): exit 0 by default, 1 with --fail-on info. */
const project = () => tree({ 'package.json': '{"name": "@team/demo"}\n', 'src/a.ts': 'export const a = 1; \n' });
const ciEnv = { XDG_CACHE_HOME: cacheHome, GITHUB_REF_NAME: 'feature/push', GITHUB_JOB: 'audit' };

describe('Pushgateway grouping', () => {
  it('encodes label values as the Pushgateway reads them: base64 for a slash, percent-encoding otherwise', () => {
    assert.equal(encodeGroupingLabel('branch', 'main'), 'branch/main');
    assert.equal(encodeGroupingLabel('branch', 'feature/x'), `branch@base64/${Buffer.from('feature/x').toString('base64url')}`);
    assert.equal(encodeGroupingLabel('ci_job', 'lint & test'), 'ci_job/lint%20%26%20test');
    assert.equal(encodeGroupingLabel('branch', ''), 'branch@base64/=');
    assert.equal(pushUrl('http://gw:9091/', { project: 'p', ci_job: 'j' }), 'http://gw:9091/metrics/job/maintenance_team/project/p/ci_job/j');
  });

  it('accepts http(s) base URLs only, without credentials, query or fragment', () => {
    assert.equal(pushUrlProblem('http://127.0.0.1:9091'), undefined);
    assert.equal(pushUrlProblem('https://gw.example/prefix'), undefined);
    assert.match(pushUrlProblem('ftp://gw') ?? '', /http/);
    assert.match(pushUrlProblem('http://u:p@gw') ?? '', /credentials/);
    assert.match(pushUrlProblem('http://gw?x=1') ?? '', /query/);
    assert.match(pushUrlProblem('not a url') ?? '', /not a URL/);
  });

  it('labels: package.json name, CI branch then git, CI job; absent ones left out', async () => {
    const root = project();
    assert.deepEqual(await groupingLabels(root, ciEnv), { project: '@team/demo', branch: 'feature/push', ci_job: 'audit' });
    assert.deepEqual(await groupingLabels(root, { CI_COMMIT_REF_NAME: 'dev', CI_JOB_NAME: 'mt' }),
      { project: '@team/demo', branch: 'dev', ci_job: 'mt' });
    const bare = tree({ 'a.ts': '' });
    const labels = await groupingLabels(bare, {});
    assert.equal(labels.project, bare.split('/').pop());
    assert.equal(labels.branch, undefined, 'not a git checkout: no branch');
    assert.equal(labels.ci_job, undefined);
  });
});

describe('--metrics-push', { timeout: 60_000 }, () => {
  it('PUTs the run in the Prometheus text format to the grouping path; the exit code is the audit\'s', async (t) => {
    const root = project();
    const gateway = await sink();
    const plain = await runIn(ciEnv, ['audit', '.', '--no-cache', '--fail-on', 'info'], root);
    const pushed = await runIn(ciEnv, ['audit', '.', '--no-cache', '--fail-on', 'info', '--metrics-push', gateway.base], root);
    assert.equal(pushed.code, plain.code);
    assert.equal(pushed.stderr, plain.stderr);
    assert.equal(gateway.received.length, 1);
    const [put] = gateway.received;
    assert.equal(put.method, 'PUT');
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    assert.equal(put.url, `/metrics/job/maintenance_team/project@base64/${b64('@team/demo')}/branch@base64/${b64('feature/push')}/ci_job/audit`);
    assert.match(put.contentType ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(put.body, /^maintenance_team_agent_duration_seconds_count\{agent="hygiene"\} [1-9]/m);
    const reason = missingTool('promtool', 'prometheus');
    if (reason) return t.skip(`body format not checked: ${reason}`);
    const checked = promtool(['check', 'metrics'], put.body);
    assert.equal(checked.status, 0, checked.output);
  });

  it('the environment variable sets the URL when the flag is absent', async () => {
    const gateway = await sink();
    const { code } = await runIn({ ...ciEnv, MAINTENANCE_TEAM_METRICS_PUSH: `${gateway.base}/` }, ['audit', '.'], project());
    assert.equal(code, 0);
    assert.equal(gateway.received.length, 1);
    assert.ok(gateway.received[0].url.startsWith('/metrics/job/maintenance_team/'), gateway.received[0].url);
  });

  it('a gateway that never answers: given up after 5 s, one warning line, same exit code', async () => {
    const root = project();
    const gateway = await sink(false);
    const plain = await runIn(ciEnv, ['audit', '.', '--no-cache', '--fail-on', 'info'], root);
    assert.equal(plain.code, 1, 'the trailing space fails --fail-on info');
    const started = Date.now();
    const { code, stderr } = await runIn(ciEnv, ['audit', '.', '--no-cache', '--fail-on', 'info', '--metrics-push', gateway.base], root);
    const elapsed = Date.now() - started;
    assert.equal(code, plain.code);
    assert.equal(gateway.received.length, 1, 'the request arrived and was held, never answered');
    const warnings = stderr.split('\n').filter((line) => line.includes('metrics not pushed'));
    assert.equal(warnings.length, 1, stderr);
    assert.match(warnings[0], /^maintenance-team: warning: metrics not pushed to http:\/\/127\.0\.0\.1:\d+: no answer within 5 s$/);
    assert.ok(elapsed >= 4_900 && elapsed < 20_000, `${elapsed} ms`);
  });

  it('a refused connection: one warning line, same exit code', async () => {
    const port = await freePort();
    const { code, stderr } = await run(['audit', '.', '--metrics-push', `http://127.0.0.1:${port}`], project());
    assert.equal(code, 0);
    const lines = stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0], /^maintenance-team: warning: metrics not pushed to .*ECONNREFUSED/);
  });

  it('a bad flag is a usage error; a bad environment value only warns', async () => {
    const root = project();
    const flag = await run(['audit', '.', '--metrics-push', 'http://user:secret@gw'], root);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /invalid --metrics-push: the URL must not hold credentials/);
    const env = await runIn({ ...ciEnv, MAINTENANCE_TEAM_METRICS_PUSH: 'gopher://x' }, ['audit', '.'], root);
    assert.equal(env.code, 0);
    assert.match(env.stderr, /^maintenance-team: warning: metrics not pushed: MAINTENANCE_TEAM_METRICS_PUSH: expected http/);
  });
});

describe('putMetrics', { timeout: 30_000 }, () => {
  it('a gateway that answers its headers and then stalls is given up at the timeout, with a rejection', async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('partial');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const started = Date.now();
      await assert.rejects(putMetrics(`http://127.0.0.1:${port}/metrics/job/x`, 'm 1\n', 300), /no answer within 0.3 s|aborted|reset/);
      assert.ok(Date.now() - started < 5_000);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('an HTTP error is a rejection that quotes the gateway', async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(400).end('pushed metrics are invalid or inconsistent with existing metrics\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      await assert.rejects(putMetrics(`http://127.0.0.1:${port}/metrics/job/x`, 'm 1\n'), /^Error: HTTP 400: pushed metrics are invalid/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
