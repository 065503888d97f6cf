import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cacheHome, runIn, tree } from './helpers/cli';
import { missingStackTool, query, startStack, until } from './helpers/promStack';

interface Target { readonly refId: string; readonly expr: string; readonly datasource?: { readonly uid?: string } }
interface Panel { readonly id: number; readonly title: string; readonly targets?: readonly Target[] }
interface Dashboard {
  readonly __inputs: readonly { name: string; type: string; pluginId: string }[];
  readonly schemaVersion: number;
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly { name: string }[] };
}

const REPO = join(__dirname, '..', '..');
const dashboard = JSON.parse(readFileSync(join(REPO, 'monitoring', 'grafana-dashboard.json'), 'utf8')) as Dashboard;

/** Every panel's queries, with Grafana's variables replaced by fixed values as Grafana would. */
function queries(): { panel: string; expr: string }[] {
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({
    panel: `${panel.title} (${target.refId})`,
    expr: target.expr.replace(/\$__rate_interval|\$__interval/g, '1m').replace(/\$__range/g, '5m').replace(/\$project/g, '.*'),
  })));
}

describe('monitoring/grafana-dashboard.json', () => {
  it('is an importable dashboard: a Prometheus datasource input, and every panel queries it', () => {
    assert.ok(dashboard.schemaVersion >= 36, String(dashboard.schemaVersion));
    assert.deepEqual(dashboard.__inputs.map((i) => [i.name, i.type, i.pluginId]), [['DS_PROMETHEUS', 'datasource', 'prometheus']]);
    assert.ok(dashboard.panels.length >= 6);
    for (const panel of dashboard.panels) {
      assert.ok(panel.targets && panel.targets.length > 0, `${panel.title} has no targets`);
      for (const target of panel.targets) {
        assert.equal(target.datasource?.uid, '${DS_PROMETHEUS}', panel.title);
        assert.match(target.expr, /maintenance_team_/, panel.title);
      }
    }
    assert.deepEqual(dashboard.templating.list.map((v) => v.name), ['project']);
  });

  it('queries only metrics docs/operations.md lists', () => {
    const docs = readFileSync(join(REPO, 'docs', 'operations.md'), 'utf8');
    const names = new Set(queries().flatMap(({ expr }) => expr.match(/maintenance_team_\w+/g) ?? []));
    for (const name of names) assert.ok(docs.includes(`\`${name.replace(/_(bucket|sum|count)$/, '')}\``), name);
  });

  it('every panel returns data from a real Prometheus after two runs pushed through a Pushgateway', { timeout: 90_000 }, async (t) => {
    const reason = missingStackTool();
    if (reason) return t.skip(reason);
    const stack = await startStack();
    try {
      const root = tree({ 'package.json': '{"name": "grafana-demo"}\n', 'a.ts': 'export const a = 1; \nexport function f(x: string) { return eval(x); }\n' });
      const push = async () => {
        const { stderr } = await runIn({ XDG_CACHE_HOME: cacheHome }, ['audit', '.', '--metrics-push', stack.gateway, '--fail-on', 'never'], root);
        assert.equal(stderr, '', 'pushed without a warning');
      };
      const scraped = async (runs: number) => until(async () => {
        const changes = await query(stack.prometheus, 'changes(maintenance_team_last_run_timestamp_seconds{project="grafana-demo"}[1m])');
        const count = await query(stack.prometheus, 'count_over_time(maintenance_team_last_run_timestamp_seconds[1m])');
        return runs === 1 ? count.length > 0 : changes.some((s) => Number(s.value[1]) >= 1);
      }, 20_000);
      await push();
      assert.ok(await scraped(1), 'Prometheus scraped the first run');
      // The second run has more files (its counters rise, so rates are positive) and hits the cache for a.ts.
      writeFileSync(join(root, 'b.ts'), 'export const b = 2;\n');
      writeFileSync(join(root, 'c.ts'), 'export const c = 3;\n');
      await push();
      assert.ok(await scraped(2), 'Prometheus scraped the second run');
      // A rate needs two scrapes after the second run: poll until every query has data, then assert.
      await until(async () => (await Promise.all(queries().map(({ expr }) => query(stack.prometheus, expr)))).every((r) => r.length > 0), 15_000);
      for (const { panel, expr } of queries()) {
        const result = await query(stack.prometheus, expr);
        assert.ok(result.length > 0, `${panel}: no data for ${expr}`);
      }
      // The second run did more work than the first: the p95 of the bucket rates is a number, not NaN.
      const p95 = queries().find((q) => q.expr.startsWith('histogram_quantile'));
      const durations = await query(stack.prometheus, p95?.expr ?? 'missing p95 panel');
      assert.ok(durations.some((s) => Number.isFinite(Number(s.value[1]))), JSON.stringify(durations));
      const findings = await query(stack.prometheus, 'sum by (severity) (maintenance_team_findings)');
      const bySeverity = Object.fromEntries(findings.map((s) => [s.metric.severity, Number(s.value[1])]));
      assert.deepEqual(bySeverity, { error: 1, warning: 0, info: 1, hint: 0 });
    } finally {
      await stack.stop();
    }
    for (const daemon of stack.daemons) assert.notEqual(daemon.child.exitCode ?? daemon.child.signalCode, null, 'exited');
  });
});
