import { join } from 'node:path';
import { createTeam } from '../../../src/agents/registry';
import { NO_CACHE } from '../../../src/core/run/cacheSummary';
import { runAudit } from '../../../src/core/run/coordinator';
import { hashText } from '../../../src/core/hash';
import type { AuditResult, FileResult, Finding, Severity } from '../../../src/core/model';
import { ProjectIndex } from '../../../src/core/files/projectContext';
import { scoreOf, gradeOf } from '../../../src/core/run/score';
import { listFiles, toAuditTargets } from '../../../src/core/files/walker';

/** The fixture workspace of the report tests: one finding of most kinds, a Python file, a text file, a binary. */
export const REPORT_FIXTURE = join(process.cwd(), 'test', 'fixtures', 'report');

/** A finding of `rule` over `[line:column, line:column + length)`, with a one-edit fix when `fix` is given. */
export function finding(
  rule: string, severity: Severity, line: number, column: number, options: { length?: number; message?: string; fix?: { start: number; end: number; newText: string } } = {},
): Finding {
  return {
    agent: rule.split('/')[0],
    rule,
    severity,
    message: options.message ?? `${rule} here`,
    range: { start: { line, column }, end: { line, column: column + (options.length ?? 1) } },
    ...(options.fix ? { fix: { title: `Fix ${rule}`, edits: [options.fix] } } : {}),
  };
}

/** A file result scored as the coordinator scores it; `text` gives it that text's content hash. */
export function fileResult(path: string, findings: Finding[], text = ''): FileResult {
  const score = scoreOf(findings);
  return { path, contentHash: hashText(text), findings, failures: [], score, grade: gradeOf(score), fromCache: false };
}

/** An audit result with defaults for everything not given. */
export function auditResult(overrides: Partial<AuditResult> = {}): AuditResult {
  return { root: '/abs/ws', files: [], skipped: [], durationMs: 12, cache: NO_CACHE, agents: {}, cancelled: false, ...overrides };
}

/** The real team's audit of a folder, uncached, on this thread, as the CLI would run it on that folder. */
export async function auditFolder(root: string): Promise<AuditResult> {
  const { files, listings } = await listFiles(root, { keepListings: true });
  return runAudit(toAuditTargets(root, files), {
    root, agents: createTeam(), signal: new AbortController().signal, project: new ProjectIndex(root, listings),
  });
}
