// The seeds' monitoring loop end to end (issue 23), on the real components: the built CLI pushes its run to a
// Pushgateway, Prometheus scrapes it and evaluates the shipped monitoring/alerts.yml, Alertmanager runs the shipped
// monitoring/alertmanager.yml (webhook URL and timings changed, as a team deploying it would) and posts to a local
// sink. The test-only agent faulty:throw (MAINTENANCE_TEAM_TEST_AGENTS=throw) fails on every file, so its breaker
// opens; a second run of the same project without it replaces the group and the alert resolves.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { BUILT_CLI, cacheHome, runBuilt, tree } from './helpers/cli';
import { startSink, type Sink } from './helpers/httpSink';
import { missingStackTool, query, startAlertmanager, startStack, until } from './helpers/promStack';

const MONITORING = join(__dirname, '..', '..', 'monitoring');
const PROJECT = 'alert-loop-demo';
const FAULTY = 'faulty:throw';
const ALERT = 'MaintenanceTeamBreakerOpen';
/** The shortened timings: a notification a second after its alert arrives or changes. */
const TIMINGS = { group_wait: '1s', group_interval: '1s', repeat_interval: '30s' } as const;

interface WebhookConfig { url?: string; send_resolved?: boolean }
interface Receiver { readonly name: string; readonly webhook_configs?: WebhookConfig[] }
interface AlertmanagerConfig { readonly route: Record<string, unknown> & { receiver: string }; readonly receivers: Receiver[] }

/** What Alertmanager's webhook receiver posts (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
interface Notification {
  readonly version: string;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly alerts: readonly { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
}

/** monitoring/alertmanager.yml with only what a team changes: the webhook's URL, and (here) shorter timings. */
function deployedAlertmanagerConfig(webhookUrl: string): string {
  const config = parse(readFileSync(join(MONITORING, 'alertmanager.yml'), 'utf8')) as AlertmanagerConfig;
  for (const [key, value] of Object.entries(TIMINGS)) {
    assert.ok(key in config.route, `alertmanager.yml's route has no ${key}`);
    config.route[key] = value;
  }
  const webhook = config.receivers.find((receiver) => receiver.name === config.route.receiver)?.webhook_configs?.[0];
  assert.ok(webhook?.url, `the default receiver ${config.route.receiver} has no webhook url`);
  assert.equal(webhook.send_resolved, true, 'the example sends resolved notifications');
  webhook.url = webhookUrl;
  return stringify(config);
}

/** Every Alertmanager notification the sink received, in order; fails on anything else posted to it. */
function notifications(sink: Sink): Notification[] {
  return sink.received.map((request) => {
    assert.equal(`${request.method} ${request.url}`, 'POST /alerts');
    assert.match(request.contentType ?? '', /^application\/json/);
    return JSON.parse(request.body) as Notification;
  });
}

/**
 * Waits (at most 40 s) for a notification with `status` carrying the breaker alert of faulty:throw. The first one
 * takes ~6 s: Prometheus's service discovery hands the Alertmanager to its notifier only ~5 s after start.
 */
async function breakerNotification(sink: Sink, status: Notification['status']): Promise<Notification | undefined> {
  const match = () => notifications(sink).find((n) => n.status === status
    && n.alerts.some((a) => a.labels.alertname === ALERT && a.labels.agent === FAULTY));
  await until(() => match() !== undefined, 40_000);
  return match();
}

/** One CI run of the project at `root`, pushed to `gateway`; `faulty` adds the agent that fails on every file. */
async function pushRun(gateway: string, root: string, faulty: boolean): Promise<void> {
  const env = {
    XDG_CACHE_HOME: cacheHome, GITHUB_REF_NAME: 'main', GITHUB_JOB: 'nightly',
    ...(faulty ? { MAINTENANCE_TEAM_TEST_AGENTS: 'throw' } : {}),
  };
  const run = await runBuilt(env, ['audit', '.', '--metrics-push', gateway, '--fail-on', 'never'], root);
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /not pushed/, 'the gateway accepted the push');
  assert.equal(run.stdout.includes(`${FAULTY} `), faulty, `faulty:throw ran only when asked:\n${run.stdout}`);
}

/** Why this test cannot run here, or undefined. */
function missing(): string | undefined {
  const reason = missingStackTool(true);
  if (reason !== undefined) return reason;
  const testAgents = join(BUILT_CLI, '..', 'test-agents.js');
  return existsSync(BUILT_CLI) && existsSync(testAgents) ? undefined : `${BUILT_CLI} or ${testAgents} is missing: run \`npm run build\` first`;
}

describe('the monitoring loop: CLI push → Pushgateway → Prometheus (alerts.yml) → Alertmanager (alertmanager.yml) → webhook', () => {
  it('notifies an open breaker with its labels and summary, nothing for healthy agents, then its resolution', { timeout: 120_000 }, async (t) => {
    const reason = missing();
    if (reason) return t.skip(reason);
    const startedAt = Date.now();
    const sink = await startSink();
    const alertmanager = await startAlertmanager(deployedAlertmanagerConfig(`${sink.base}/alerts`));
    const stack = await startStack({ ruleFiles: [join(MONITORING, 'alerts.yml')], alertmanager: alertmanager.address });
    try {
      // 8 files: faulty:throw fails 5 times in a row and its breaker opens within the one run.
      const files = Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((i) => [`f${i}.ts`, `export const f${i} = ${i};\n`]));
      const root = tree({ 'package.json': JSON.stringify({ name: PROJECT }), ...files });
      const pushedAt = Date.now();
      await pushRun(stack.gateway, root, true);
      const auditedAt = Date.now();

      const firing = await breakerNotification(sink, 'firing');
      assert.ok(firing, `no firing ${ALERT} notification within 40 s:\n${JSON.stringify(sink.received)}\n${alertmanager.daemon.output()}`);
      const firedAt = Date.now();
      assert.equal(firing.version, '4');
      assert.equal(firing.receiver, 'team-webhook');
      const alert = firing.alerts.find((a) => a.labels.alertname === ALERT);
      assert.equal(alert?.status, 'firing');
      assert.deepEqual(alert.labels, { alertname: ALERT, agent: FAULTY, project: PROJECT, severity: 'critical' });
      assert.match(alert.annotations.summary ?? '', new RegExp(`Agent ${FAULTY} .*${PROJECT}`));

      // The healthy agents were pushed too (closed breakers), and none of them has an alert, firing or pending.
      const healthy = await query(stack.prometheus, `maintenance_team_agent_breaker_state{project="${PROJECT}",agent!="${FAULTY}"} == 0`);
      assert.ok(healthy.length >= 5, JSON.stringify(healthy));
      assert.deepEqual(await query(stack.prometheus, `ALERTS{agent!="${FAULTY}"}`), []);

      // It resolves because of the second run, not on its own: Prometheus keeps re-sending it (every second here).
      assert.deepEqual(notifications(sink).map((n) => n.status), ['firing']);
      const resolvingAt = Date.now();
      await pushRun(stack.gateway, root, false);
      const resolved = await breakerNotification(sink, 'resolved');
      assert.ok(resolved, `no resolved ${ALERT} notification within 40 s:\n${JSON.stringify(sink.received)}`);
      assert.deepEqual(resolved.alerts.map((a) => [a.labels.alertname, a.labels.agent, a.status]), [[ALERT, FAULTY, 'resolved']]);

      // Everything the webhook received, firing or resolved, was about faulty:throw's breaker: no other alert fired.
      const delivered = notifications(sink).flatMap((n) => n.alerts.map((a) => `${a.labels.alertname} ${a.labels.agent}`));
      assert.deepEqual([...new Set(delivered)], [`${ALERT} ${FAULTY}`]);
      const seconds = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;
      t.diagnostic(`stack up in ${seconds(startedAt, pushedAt)}; audit and push ${seconds(pushedAt, auditedAt)}; alert at the ` +
        `webhook ${seconds(auditedAt, firedAt)} later; resolved ${seconds(resolvingAt, Date.now())} after the second run started`);
    } finally {
      await Promise.all([stack.stop(), alertmanager.daemon.stop()]);
      await sink.close();
    }
  });
});
