/**
 * The bench's output: a Markdown table (stdout and bench/results.md) and bench/results.json, with the machine,
 * the corpus, every measure with its baseline and ratio, and PASS/MISS per target.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Measure } from './measure';
import type { HotSpot } from './profile';
import type { ProfileSummary } from './profileSteps';

/** The machine the figures hold for. */
export interface Machine {
  readonly cpus: number;
  readonly model: string;
  readonly node: string;
  readonly platform: string;
  /** 1, 5 and 15-minute load averages when the bench started and when it ended. */
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
}

/** Everything results.json holds. */
export interface BenchReport {
  readonly date: string;
  readonly durationS: number;
  readonly machine: Machine;
  readonly corpus: {
    readonly source: string;
    readonly packages: readonly string[];
    readonly files: number;
    readonly bytes: number;
  };
  readonly settings: { readonly runs: number; readonly quick: boolean };
  readonly measures: readonly Measure[];
  readonly notes: readonly string[];
  readonly profiles: readonly ProfileSummary[];
}

/** The machine now (the end load average is filled in by `finishMachine`). */
export function describeMachine(): Machine {
  const load = loadavg().map((x) => Number(x.toFixed(2)));
  return {
    cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, platform: process.platform,
    loadAverageStart: load, loadAverageEnd: load,
  };
}

/** The machine with its load average at the end of the run. */
export function finishMachine(machine: Machine): Machine {
  return { ...machine, loadAverageEnd: loadavg().map((x) => Number(x.toFixed(2))) };
}

function formatValue(m: Measure): string {
  if (m.unit === 'MB') return `${m.value.toFixed(0)} MB`;
  if (m.unit === '%') return `${m.value.toFixed(1)} %`;
  return m.value >= 100 ? `${m.value.toFixed(0)} ms` : `${m.value.toFixed(1)} ms`;
}

function formatTarget(m: Measure): string {
  if (!m.target) return '';
  const { op, limit, on } = m.target;
  const what = on === 'ratio' ? `${op} ${limit}× ${m.baseline}` : `${op} ${limit}${m.unit === '%' ? ' %' : ` ${m.unit}`}`;
  return `${what} — **${m.pass ? 'PASS' : 'MISS'}**`;
}

/** The Markdown table of the measures. */
function table(measures: readonly Measure[]): string[] {
  const lines = ['| measure | value | × baseline | baseline | target | note |', '|---|---|---|---|---|---|'];
  for (const m of measures) {
    const ratio = m.ratio === undefined ? '' : `${m.ratio.toFixed(2)}×`;
    lines.push(`| ${m.label} | ${formatValue(m)} | ${ratio} | ${m.baseline ?? ''} | ${formatTarget(m)} | ${m.note ?? ''} |`);
  }
  return lines;
}

/** The whole Markdown report. */
export function toMarkdown(report: BenchReport): string {
  const { machine, corpus } = report;
  const lines = [
    `## Maintenance Team bench, ${report.date}`,
    '',
    `- machine: ${machine.cpus} × ${machine.model}, Node ${machine.node} (${machine.platform}); load average `
      + `${machine.loadAverageStart.join(' / ')} at start, ${machine.loadAverageEnd.join(' / ')} at end`,
    `- corpus: ${corpus.files} files, ${(corpus.bytes / 1e6).toFixed(1)} MB — ${corpus.source}`,
    `- ${report.settings.runs} run(s) per timed measure, median kept${report.settings.quick ? '; BENCH_QUICK' : ''}; `
      + `bench took ${report.durationS.toFixed(0)} s`,
    '',
    ...table(report.measures),
    '',
    ...report.measures.filter((m) => m.target).map((m) => `${m.pass ? 'PASS' : 'MISS'}  ${m.label}: ${verdictFigure(m)}`),
    '',
    ...report.notes.map((n) => `- ${n}`),
  ];
  for (const p of report.profiles) lines.push('', ...profileSection(p));
  return `${lines.join('\n')}\n`;
}

function hotSpotRows(spots: readonly HotSpot[]): string[] {
  return spots.map((h) => `| ${h.selfMs.toFixed(0)} | ${h.selfPct.toFixed(1)} | \`${h.where}\` |`);
}

/** One profile: its top functions by self time, then its top files. */
function profileSection(p: ProfileSummary): string[] {
  return [
    `### CPU profile: ${p.title} (${(p.totalMs / 1000).toFixed(1)} s, ${p.idlePct.toFixed(0)} % idle; ${p.file})`, '',
    'Top by self time (idle left out; % of the whole profile):', '',
    '| self ms | % | function@file |', '|---|---|---|', ...hotSpotRows(p.top),
    '', '| self ms | % | file |', '|---|---|---|', ...hotSpotRows(p.byFile),
  ];
}

function verdictFigure(m: Measure): string {
  const t = m.target!;
  const actual = t.on === 'ratio' ? `${m.ratio?.toFixed(2)}×` : formatValue(m);
  return `${actual} (target ${t.op} ${t.limit}${t.on === 'ratio' ? `× ${m.baseline}` : ` ${m.unit}`}, ${t.source})`;
}

/** Writes bench/results.md and bench/results.json under `projectRoot`; returns their paths. */
export function writeReport(projectRoot: string, report: BenchReport): { markdown: string; json: string } {
  const dir = join(projectRoot, 'bench');
  mkdirSync(dir, { recursive: true });
  const markdown = join(dir, 'results.md');
  const json = join(dir, 'results.json');
  writeFileSync(markdown, toMarkdown(report));
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  return { markdown, json };
}
