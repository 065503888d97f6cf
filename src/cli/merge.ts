import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeReadError, readBoundedText } from '../core/files/boundedRead';
import { formatReport } from '../reports/reportFormat';
import { mergeJsonReports, type NamedReport } from '../reports/mergeJson';
import { mergeSarifLogs } from '../reports/mergeSarif';
import { MergeError } from '../reports/shardReports';
import { TOOL_NAME } from '../core/version';
import type { MergeCommand } from './args';
import type { CliIo } from './main';

type MergeFormat = 'json' | 'sarif';

/**
 * `maintenance-team merge <report>...`: the shard reports of one run (`audit --shard K/N`), all JSON or all SARIF,
 * combined into the report of the whole run (src/reports/mergeJson.ts, mergeSarif.ts), written to `--output` or
 * stdout. Returns 0, or 2 with a message naming the report that cannot be merged.
 */
export async function merge(command: MergeCommand, io: CliIo): Promise<number> {
  try {
    const reports = await Promise.all(command.reports.map((name) => readReport(name, io.cwd)));
    const format = formatOf(reports, command.format);
    const text = format === 'json'
      ? formatReport(mergeJsonReports(reports), 'json')
      : `${JSON.stringify(mergeSarifLogs(reports), null, 2)}\n`;
    await writeOutput(text, command, io);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`${TOOL_NAME}: merge: ${error instanceof MergeError ? message : `internal error: ${message}`}\n`);
    return 2;
  }
}

/**
 * Largest shard report read: 256 MB (a SARIF file of some 200,000 findings). Reports come from other machines' CI
 * artifacts: a FIFO, a device or a directory under the name is refused at once, not waited on.
 */
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

async function readReport(name: string, cwd: string): Promise<NamedReport> {
  let text: string;
  try {
    text = await readBoundedText(resolve(cwd, name), { maxBytes: MAX_REPORT_BYTES, timeoutMs: 120_000, kind: 'shard reports' });
  } catch (error) {
    throw new MergeError(`cannot read ${name}: ${describeReadError(error)}`);
  }
  try {
    return { name, value: JSON.parse(text) as unknown };
  } catch {
    throw new MergeError(`${name} is not JSON (merge takes JSON or SARIF reports)`);
  }
}

/** Each report's format from its content: SARIF has `runs`, the JSON report `files`. All must agree (and with --format). */
function formatOf(reports: readonly NamedReport[], wanted: MergeFormat | undefined): MergeFormat {
  const formats = reports.map(({ name, value }): MergeFormat => {
    const object = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
    if ('runs' in object) return 'sarif';
    if ('files' in object) return 'json';
    throw new MergeError(`${name} is neither a JSON nor a SARIF report`);
  });
  const first = wanted ?? formats[0];
  const odd = formats.findIndex((f) => f !== first);
  if (odd !== -1) {
    const against = wanted ? `--format ${wanted}` : `${reports[0].name} is ${first.toUpperCase()}`;
    throw new MergeError(`${reports[odd].name} is ${formats[odd].toUpperCase()}, ${against}: merge JSON with JSON, SARIF with SARIF`);
  }
  return first;
}

async function writeOutput(text: string, command: MergeCommand, io: CliIo): Promise<void> {
  if (command.output === undefined) {
    io.stdout.write(text);
    return;
  }
  try {
    await writeFile(resolve(io.cwd, command.output), text, 'utf8');
  } catch (error) {
    throw new MergeError(`cannot write ${command.output}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
