/**
 * The two passes of the calibration over one codebase: the audit a user would run (the CLI's own `main`, in this
 * process, `--format json --no-cache`, with the configuration under test), and the complexity agent's measures of
 * every function (the agent itself, with limits below every value, so that each function reports all its measures).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createComplexityAgent } from '../../src/agents/complexity';
import { main } from '../../src/cli/main';
import { createAgentInput } from '../../src/core/files/fileAudit';
import { languageOf } from '../../src/core/files/languages';
import type { JsonReport } from '../../src/reports/reporter';
import { countLines, isTestPath, measureInMessage } from './stats';

/** One audited file: what the calibration needs of it. */
export interface AuditedFile {
  readonly path: string;
  readonly test: boolean;
  readonly lines: number;
  readonly rules: readonly string[];
}

/** One codebase's audit, as the CLI reported it. */
export interface CodebaseAudit {
  readonly files: readonly AuditedFile[];
  readonly skipped: number;
  readonly score: number;
  readonly grade: string;
  /** Findings by severity. */
  readonly severities: Readonly<Record<string, number>>;
  /** What the CLI wrote on stderr (configuration problems, alerts), for the log. */
  readonly stderr: string;
}

/** Reads a file as the loader hands it to the agents: without a byte-order mark. */
function readText(path: string): string {
  const text = readFileSync(path, 'utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Audits `root` through the CLI's `main` with the agents on this thread and no cache (`extraArgs`: `--config FILE`),
 * and parses its JSON report. Throws when the CLI refuses the run (exit code 2).
 */
export async function auditCodebase(root: string, extraArgs: readonly string[]): Promise<CodebaseAudit> {
  let stdout = '';
  let stderr = '';
  const code = await main(['audit', root, '--format', 'json', '--no-cache', '--fail-on', 'never', ...extraArgs], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: process.cwd(),
    env: { NO_COLOR: '1' },
  }, { inThread: true });
  if (code !== 0) throw new Error(`the audit of ${root} ended with exit code ${code}: ${stderr.trim()}`);
  const report = JSON.parse(stdout) as JsonReport;
  const severities: Record<string, number> = {};
  const files = report.files.map((file) => {
    for (const finding of file.findings) severities[finding.severity] = (severities[finding.severity] ?? 0) + 1;
    return {
      path: file.path,
      test: isTestPath(file.path),
      lines: countLines(readText(join(root, file.path))),
      rules: file.findings.map((finding) => finding.rule),
    };
  });
  return {
    files, skipped: report.skipped.length, score: report.summary.score, grade: report.summary.grade, severities, stderr,
  };
}

/** The measures of the complexity agent over a codebase, non-test and test files apart. */
export interface Measures {
  readonly cyclomatic: number[];
  readonly nestingDepth: number[];
  readonly functionLength: number[];
  readonly parameterCount: number[];
  readonly fileLength: number[];
}

/** Measures of every function and script file, by group. */
export interface CodebaseMeasures {
  readonly others: Measures;
  readonly tests: Measures;
}

const RULE_TO_MEASURE: Readonly<Record<string, keyof Measures>> = {
  'complexity/cyclomatic': 'cyclomatic',
  'complexity/nesting-depth': 'nestingDepth',
  'complexity/function-length': 'functionLength',
  'complexity/parameter-count': 'parameterCount',
  'complexity/file-length': 'fileLength',
};

/** Limits no measure can stay under: every function reports its four measures, every file its length. */
const REPORT_EVERYTHING = { cyclomatic: 0, nestingDepth: -1, functionLength: 0, fileLength: -1, parameterCount: -1 };

function emptyMeasures(): Measures {
  return { cyclomatic: [], nestingDepth: [], functionLength: [], parameterCount: [], fileLength: [] };
}

/**
 * Runs the complexity agent on every script file of `files` with limits below every value and reads each
 * finding's measure back from its message: the values are the agent's own, by construction.
 */
export function measureCodebase(root: string, files: readonly AuditedFile[]): CodebaseMeasures {
  const agent = createComplexityAgent(REPORT_EVERYTHING);
  const signal = new AbortController().signal;
  const result: CodebaseMeasures = { others: emptyMeasures(), tests: emptyMeasures() };
  for (const file of files) {
    if (languageOf(file.path) !== 'script') continue;
    const into = file.test ? result.tests : result.others;
    const findings = agent.run(createAgentInput(file.path, readText(join(root, file.path))), signal);
    if (!Array.isArray(findings)) throw new Error('the complexity agent is synchronous');
    for (const finding of findings) {
      const measure = RULE_TO_MEASURE[finding.rule];
      const value = measureInMessage(finding.message);
      if (measure && value !== undefined) into[measure].push(value);
    }
  }
  return result;
}
