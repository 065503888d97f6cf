/**
 * `merge` of SARIF shard reports. A SARIF run holds no durations and no cache figures, so the merged log is
 * byte-identical to an unsplit run's: the results and the notifications are put back in the run's file order, the
 * rule list rebuilt from the results (`ruleIndex` follows), and the score recomputed from each shard's score total.
 */
import type { Log, Notification, Result, Run } from 'sarif';
import { meanScore } from './reporter';
import { sarifLog, sarifRules, type SarifShard } from './sarifReport';
import { byPath, checkHeader, checkShards, MergeError } from './shardReports';
import type { NamedReport } from './mergeJson';

const SRCROOT = '%SRCROOT%';

/** A shard's run, checked. */
interface ShardRun {
  readonly name: string;
  readonly run: Run;
  readonly shard: SarifShard;
}

/** Combines the SARIF logs of the N shards of one run into that run's log. Throws a {@link MergeError}. */
export function mergeSarifLogs(inputs: readonly NamedReport[]): Log {
  const shards = inputs.map(shardRun);
  checkShards(shards.map(({ name, run, shard }) => ({
    name, toolName: run.tool.driver.name, version: run.tool.driver.version, root: run.originalUriBaseIds?.[SRCROOT]?.uri, shard,
  })));
  const results = inFileOrder(shards.flatMap(({ name, run }) => (run.results ?? []).map((r) => ({ path: pathOf(name, r.locations), item: r }))));
  const rules = sarifRules(results.map((r) => r.ruleId ?? ''));
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  const notes = shards.flatMap(({ name, run }) => (run.invocations?.[0]?.toolExecutionNotifications ?? []).map((n) => ({ name, n })));
  const isSkip = (n: Notification) => n.descriptor?.id === 'file-skipped';
  const place = ({ name, n }: { name: string; n: Notification }) => ({ path: pathOf(name, n.locations), item: n });
  const audited = shards.reduce((sum, s) => sum + s.shard.audited, 0);
  return sarifLog({
    rootUri: String(shards[0].run.originalUriBaseIds?.[SRCROOT]?.uri),
    rules,
    results: results.map((r) => ({ ...r, ruleIndex: ruleIndex.get(r.ruleId ?? '') ?? 0 })),
    // The run lists the agents' failures file by file, then the skipped files.
    notifications: [...inFileOrder(notes.filter((x) => !isSkip(x.n)).map(place)), ...inFileOrder(notes.filter((x) => isSkip(x.n)).map(place))],
    executionSuccessful: shards.every(({ run }) => run.invocations?.[0]?.executionSuccessful === true),
    score: meanScore(shards.reduce((sum, s) => sum + s.shard.scoreTotal, 0), audited),
    cancelled: false,
  });
}

/** The log's one run and its shard marks, or a {@link MergeError} naming the file. */
function shardRun({ name, value }: NamedReport): ShardRun {
  const log = value as Partial<Log> | null;
  const run = Array.isArray(log?.runs) && log.runs.length === 1 ? log.runs[0] : undefined;
  if (!run?.tool?.driver || (run.results !== undefined && !Array.isArray(run.results))) {
    throw new MergeError(`${name} is not a SARIF log of one run`);
  }
  const props = (run.properties ?? {}) as { shard?: SarifShard; cancelled?: unknown };
  const shard = props.shard;
  checkHeader({ name, toolName: run.tool.driver.name, version: run.tool.driver.version, root: run.originalUriBaseIds?.[SRCROOT]?.uri, shard });
  const whole = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!whole(shard!.audited) || !whole(shard!.scoreTotal)) throw new MergeError(`${name} does not give its shard's score total`);
  if (props.cancelled !== false) throw new MergeError(`${name} is the report of a cancelled audit`);
  return { name, run, shard: shard! };
}

/** The file a result or notification is on (its first location), as the run's `path`; `''` for none. */
function pathOf(name: string, locations: Result['locations']): string {
  const uri = locations?.[0]?.physicalLocation?.artifactLocation?.uri;
  if (uri === undefined) return '';
  try {
    return uri.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw new MergeError(`${name} holds a location that is not a URI: ${uri}`);
  }
}

/** Items by their file's path, in the run's order (code units); each file's items keep their order (stable sort). */
function inFileOrder<T>(items: readonly { path: string; item: T }[]): T[] {
  return [...items].sort(byPath).map((x) => x.item);
}
