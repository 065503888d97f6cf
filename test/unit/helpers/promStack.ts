import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { stringify } from 'yaml';
import { startDaemon, type Daemon } from './daemon';
import { freePort } from './httpSink';
import { missingTool } from './promtool';
import { tempDir } from './tempDirs';

// Every daemon started here is stopped when the test file ends, even when a test failed before its own `stop()`.
const started: Daemon[] = [];
after(async () => {
  await Promise.all(started.splice(0).map((daemon) => daemon.stop()));
});

/** A Pushgateway and a Prometheus scraping it, and how to stop them. */
export interface Stack {
  /** The Pushgateway's base URL (for `--metrics-push`). */
  readonly gateway: string;
  /** Prometheus's base URL (for {@link query}). */
  readonly prometheus: string;
  readonly daemons: readonly Daemon[];
  stop(): Promise<void>;
}

/** What Prometheus does beside scraping the gateway. */
export interface StackOptions {
  /** Rule files it loads (`rule_files`, evaluated every second), unmodified. */
  readonly ruleFiles?: readonly string[];
  /** The Alertmanager (`host:port`) it sends its alerts to, re-sending firing ones every second. */
  readonly alertmanager?: string;
}

/** Why the stack (and, with `alertmanager`, an Alertmanager) cannot start here, or undefined when it can. */
export function missingStackTool(alertmanager = false): string | undefined {
  return missingTool('prometheus', 'prometheus') ?? missingTool('prometheus-pushgateway', 'prometheus-pushgateway')
    ?? (alertmanager ? missingTool('prometheus-alertmanager', 'prometheus-alertmanager') : undefined);
}

function prometheusConfig(gateway: string, options: StackOptions): string {
  return stringify({
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    ...(options.ruleFiles ? { rule_files: options.ruleFiles } : {}),
    ...(options.alertmanager ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [options.alertmanager] }] }] } } : {}),
    scrape_configs: [{ job_name: 'pushgateway', honor_labels: true, static_configs: [{ targets: [gateway] }] }],
  });
}

/**
 * A Pushgateway on a free loopback port (`address` is its `host:port`), persisting to a file of its own: Debian's
 * build persists to /var/lib/prometheus/pushgateway.data by default, so it would serve the groups every earlier run
 * (of any test, on this machine) left there. Checked empty.
 */
export async function startPushgateway(): Promise<{ address: string; url: string; daemon: Daemon }> {
  const address = `127.0.0.1:${await freePort()}`;
  const url = `http://${address}`;
  const daemon = await startDaemon('prometheus-pushgateway', [
    `--web.listen-address=${address}`, `--persistence.file=${join(tempDir('mt-pgw-'), 'pushgateway.data')}`,
  ], `${url}/-/ready`);
  started.push(daemon);
  const groups = await (await fetch(`${url}/api/v1/metrics`)).json() as { data: { labels: Record<string, string> }[] };
  assert.deepEqual(groups.data.map((group) => group.labels), [], 'the Pushgateway starts empty: no group from another run');
  return { address, url, daemon };
}

/** A Pushgateway and a Prometheus scraping it every second (`honor_labels`), on free loopback ports. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const { url: gateway, address, daemon: pgw } = await startPushgateway();
  const promPort = await freePort();
  const prometheus = `http://127.0.0.1:${promPort}`;
  const dir = tempDir('mt-prom-');
  writeFileSync(join(dir, 'prometheus.yml'), prometheusConfig(address, options));
  const prom = await startDaemon('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`, '--rules.alert.resend-delay=1s',
  ], `${prometheus}/-/ready`, 30_000);
  started.push(prom);
  return { gateway, prometheus, daemons: [pgw, prom], stop: async () => { await Promise.all([prom.stop(), pgw.stop()]); } };
}

/** An Alertmanager with `config` (YAML text), without gossip, on a free loopback port; `address` is its `host:port`. */
export async function startAlertmanager(config: string): Promise<{ address: string; url: string; daemon: Daemon }> {
  const dir = tempDir('mt-alertmanager-');
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const address = `127.0.0.1:${await freePort()}`;
  const daemon = await startDaemon('prometheus-alertmanager', [
    `--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=${address}`, '--cluster.listen-address=',
  ], `http://${address}/-/ready`);
  started.push(daemon);
  return { address, url: `http://${address}`, daemon };
}

/** One sample of an instant query's vector. */
export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** The vector `expr` evaluates to now on the Prometheus at `base`; fails the test on a query error. */
export async function query(base: string, expr: string): Promise<Sample[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = await res.json() as { status: string; error?: string; data?: { resultType: string; result: Sample[] } };
  assert.equal(body.status, 'success', `${expr}: ${body.error ?? ''}`);
  assert.equal(body.data?.resultType, 'vector', expr);
  return body.data.result;
}

/** Polls until `ready()` holds, at most `timeoutMs`; false when it never did. */
export async function until(ready: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
