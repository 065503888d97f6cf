import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MetricsCollector } from '../../src/core/metrics/collector';
import { toPrometheusText } from '../../src/core/metrics/prometheus';
import { missingTool, promtool } from './helpers/promtool';
import { tempDir } from './helpers/tempDirs';

const MONITORING = join(__dirname, '..', '..', 'monitoring');
const RULES = join(MONITORING, 'alerts.yml');

describe('monitoring/alerts.yml', { timeout: 120_000 }, () => {
  it('passes `promtool check rules`', (t) => {
    const reason = missingTool('promtool', 'prometheus');
    if (reason) return t.skip(reason);
    const checked = promtool(['check', 'rules', RULES]);
    assert.equal(checked.status, 0, checked.output);
    assert.match(checked.output, /SUCCESS: 7 rules found/);
  });

  it('fires each threshold and trend alert on its synthetic series, and no other (`promtool test rules`)', (t) => {
    const reason = missingTool('promtool', 'prometheus');
    if (reason) return t.skip(reason);
    const tested = promtool(['test', 'rules', join(MONITORING, 'alerts.test.yml')]);
    assert.equal(tested.status, 0, tested.output);
    assert.match(tested.output, /SUCCESS/);
  });

  it('every alert has a severity, a summary and a description, and reads only metrics the CLI writes', () => {
    const text = readFileSync(RULES, 'utf8');
    const alerts = text.split(/\n\s+- alert: /).slice(1);
    assert.equal(alerts.length, 7);
    for (const alert of alerts) {
      const name = alert.split('\n')[0];
      assert.match(alert, /\n\s+severity: (critical|warning|info)\n/, name);
      assert.match(alert, /\n\s+summary: "/, name);
      assert.match(alert, /\n\s+description: >-/, name);
    }
    // The names the exposition really has (a rename there must show here).
    const metrics = new MetricsCollector();
    metrics.record({ agent: 'imports', durationMs: 5, success: true, fromCache: false, memoryBytes: 1 });
    const exposition = toPrometheusText(metrics.snapshot({
      breakers: { imports: { state: 'closed', consecutiveFailures: 0, openTimeoutMs: 60_000 } },
    }), metrics.durationHistograms());
    const known = new Set(exposition.split('\n').filter((l) => l.startsWith('maintenance_team_'))
      .map((l) => l.replace(/^maintenance_team_/, '').replace(/[{ ].*$/, '')));
    for (const [, metric] of text.matchAll(/maintenance_team_(\w+)/g)) assert.ok(known.has(metric), `${metric} not in:\n${[...known].join('\n')}`);
  });
});

describe('monitoring/alertmanager.yml', { timeout: 60_000 }, () => {
  const amtool = (file: string) => {
    const run = spawnSync('amtool', ['check-config', file], { encoding: 'utf8', timeout: 30_000 });
    return { status: run.status, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
  };

  it('passes `amtool check-config`, and so does its commented Slack receiver once uncommented', (t) => {
    const reason = missingTool('amtool', 'prometheus-alertmanager');
    if (reason) return t.skip(reason);
    const example = join(MONITORING, 'alertmanager.yml');
    const checked = amtool(example);
    assert.equal(checked.status, 0, checked.output);
    assert.match(checked.output, /SUCCESS/);
    // Uncomment the Slack block: from its `# - name:` line to the blank line that ends it.
    const lines = readFileSync(example, 'utf8').split('\n');
    const start = lines.indexOf('  # - name: team-slack');
    const end = lines.indexOf('', start);
    const slack = lines.map((line, i) => (i >= start && i < end ? line.replace(/^ {2}# /, '  ') : line)).join('\n');
    assert.match(slack, /^ {4}slack_configs:$/m);
    const file = join(tempDir('mt-am-'), 'alertmanager.yml');
    writeFileSync(file, slack);
    const withSlack = amtool(file);
    assert.equal(withSlack.status, 0, withSlack.output);
    assert.match(withSlack.output, /2 receivers/);
  });
});
