import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus';

/**
 * Sends a run's metrics to a Prometheus Pushgateway (`PUT /metrics/job/<job>/<label>/<value>…`): a PUT replaces
 * every metric of the group, so each run of a project's branch and CI job overwrites the previous one, as a
 * batch job's metrics should. The destination is the user's (CLI flag or environment), never the repository's.
 */

/** The job label of every push. */
export const PUSH_JOB = 'maintenance_team';

/** How long a push may take before it is abandoned. */
export const PUSH_TIMEOUT_MS = 5_000;

/** The grouping labels, in path order; an absent one is left out of the path. */
export interface GroupingLabels {
  readonly project: string;
  readonly branch?: string;
  readonly ci_job?: string;
}

/**
 * A URL problem for a Pushgateway base URL (http or https, no credentials, query or fragment), or undefined.
 * Credentials in a URL end up in process listings and CI logs; a reverse proxy on the runner can add them.
 */
export function pushUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a URL: '${url}'`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `expected http:// or https://, got '${parsed.protocol}'`;
  if (parsed.username !== '' || parsed.password !== '') return 'the URL must not hold credentials';
  if (parsed.search !== '' || parsed.hash !== '') return 'the URL must not have a query or a fragment';
  return undefined;
}

/**
 * One path segment pair for a label, encoded as the Pushgateway reads it: a value with a `/` (or empty) in the
 * base64 form `label@base64/<base64url>`, any other value percent-encoded.
 */
export function encodeGroupingLabel(name: string, value: string): string {
  if (value === '' || value.includes('/')) return `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url') || '='}`;
  return `${name}/${encodeURIComponent(value)}`;
}

/** The full push URL: `<base>/metrics/job/maintenance_team/project/…[/branch/…][/ci_job/…]`. */
export function pushUrl(base: string, labels: GroupingLabels): string {
  const pairs: [string, string | undefined][] = [['project', labels.project], ['branch', labels.branch], ['ci_job', labels.ci_job]];
  const path = pairs.filter((pair): pair is [string, string] => pair[1] !== undefined)
    .map(([name, value]) => encodeGroupingLabel(name, value)).join('/');
  return `${base.replace(/\/+$/, '')}/metrics/job/${PUSH_JOB}/${path}`;
}

/** PUTs `body` (Prometheus text) to `url`; resolves when the gateway accepts it (2xx), rejects with the reason. */
export function putMetrics(url: string, body: string, timeoutMs = PUSH_TIMEOUT_MS): Promise<void> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<void>((resolve, reject) => {
    const req = request(target, {
      method: 'PUT', agent: false,
      headers: { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      let answer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { if (answer.length < 500) answer += chunk; });
      // A gateway that sends headers and then stalls: the timer destroys the request, and the answer errors.
      res.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      res.on('end', () => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new Error(`HTTP ${status}${answer.trim() ? `: ${answer.trim().split('\n')[0].slice(0, 200)}` : ''}`));
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}
