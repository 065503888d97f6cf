import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheHome, runIn, tree } from './helpers/cli';
import { startPushgateway } from './helpers/promStack';
import { missingTool } from './helpers/promtool';

const BINARY = 'prometheus-pushgateway';
/** The series of `text` whose name is `name` and whose labels include every one of `labels`. */
function series(text: string, name: string, labels: Record<string, string>): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`)
    && Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`)));
}

describe('a real Prometheus Pushgateway', { timeout: 90_000 }, () => {
  it('accepts two runs pushed by the CLI and serves both groups back from /metrics', async (t) => {
    const reason = missingTool(BINARY, 'prometheus-pushgateway');
    if (reason) return t.skip(reason);
    const { url: base, daemon: gateway } = await startPushgateway();

    const root = tree({ 'package.json': '{"name": "demo"}\n', 'a.ts': 'export const a = 1; \n' });
    for (const job of ['lint', 'nightly']) {
      const env = { XDG_CACHE_HOME: cacheHome, GITHUB_REF_NAME: 'feature/x', GITHUB_JOB: job };
      const { code, stderr } = await runIn(env, ['audit', '.', '--no-cache', '--metrics-push', base], root);
      assert.equal(code, 0, stderr);
      assert.equal(stderr, '', 'the gateway accepted the push: no warning');
    }

    const text = await (await fetch(`${base}/metrics`)).text();
    for (const job of ['lint', 'nightly']) {
      // The base64-encoded branch comes back decoded: the gateway read the grouping path as the CLI meant it.
      const labels = { job: 'maintenance_team', project: 'demo', branch: 'feature/x', ci_job: job, agent: 'hygiene' };
      const counts = series(text, 'maintenance_team_agent_duration_seconds_count', labels);
      assert.equal(counts.length, 1, `${job}:\n${text.slice(0, 2000)}`);
      assert.match(counts[0], / [1-9]\d*$/);
      assert.equal(series(text, 'maintenance_team_agent_executions_total', labels).length, 1);
      assert.equal(series(text, 'push_failure_time_seconds', { ci_job: job }).map((l) => l.split(' ')[1]).join(), '0');
    }
    await gateway.stop();
    assert.notEqual(gateway.child.exitCode ?? gateway.child.signalCode, null, 'the gateway has exited');
  });
});
