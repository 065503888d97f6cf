/**
 * The worker's answers to fix requests: one file's validated fixed text (quick fixes, fix-all in a file, fix on
 * save under the save policy) and many files' fixes as hunks (workspace fix-all). Nothing here writes a file.
 */
import { join } from 'node:path';
import { fixForSave } from '../fixes/saveFix';
import { fixFile } from '../fixes/validator';
import type { FixAuditOptions } from '../core/run/execution';
import { teamOfPath, type TeamSource } from '../core/run/fileTeams';
import { loadFile, MAX_FILE_SIZE_KB } from '../core/files/fileLoader';
import { diffHunks } from '../fixes/fixHunks';
import { hashText } from '../core/hash';
import type { Finding } from '../core/model';
import { LineIndex } from '../core/text';
import type {
  FileFixedMessage, FixFilesRequest, FixTarget, FixTextRequest, FixedMessage,
} from '../shared/engineProtocol';

/** The validated fixed text of one file; on save, only what the save policy allows (src/fixes/saveFix.ts). */
export async function fixText(
  request: FixTextRequest, team: TeamSource, signal: AbortSignal, limits: FixAuditOptions = {},
): Promise<FixedMessage> {
  const rules = request.rules && new Set(request.rules);
  const accept = rules ? (finding: Finding) => rules.has(finding.rule) : undefined;
  // The file's team and configuration (overrides applied): its fixes are proved, and judged on save, under them.
  const { agents, config = request.config } = teamOfPath(team, request.path);
  const options = { ...limits, config, accept };
  const fixed = request.onSave
    ? await fixForSave(request.path, request.text, agents, signal, { ...options, guard: request.onSave })
    : await fixFile(request.path, request.text, agents, signal, options);
  return { type: 'fixed', id: request.id, text: fixed.text, applied: fixed.applied, dropped: fixed.dropped };
}

/** Fixes the files of a `fixFiles` request one after the other, answering each as soon as it is done. */
export async function fixFiles(
  request: FixFilesRequest, team: TeamSource, signal: AbortSignal, post: (message: FileFixedMessage) => void,
  limits: FixAuditOptions = {},
): Promise<void> {
  for (const target of request.files) {
    const answer = await fixTarget(request.root, target, team, signal, limits)
      .catch((error: unknown) => failed(target.path, error instanceof Error ? error.message : String(error)));
    // A cancelled request stops here; `fixFilesDone` then says so.
    if (signal.aborted) return;
    post({ type: 'fileFixed', id: request.id, ...answer });
  }
}

type FileAnswer = Omit<FileFixedMessage, 'type' | 'id'>;

async function fixTarget(
  root: string, target: FixTarget, team: TeamSource, signal: AbortSignal, limits: FixAuditOptions,
): Promise<FileAnswer> {
  let text = target.text;
  if (text === undefined) {
    // Through the loader: a file swapped for a FIFO or a device since the audit fails this fix, never blocks it.
    const loaded = await loadFile(join(root, target.path), { maxFileSizeKb: MAX_FILE_SIZE_KB });
    if (loaded.kind === 'skip') return failed(target.path, loaded.detail);
    text = loaded.text;
  }
  const none = { path: target.path, hunks: [], applied: 0, dropped: 0 };
  // The audit's findings (and the user's view of them) were about the audited text; anything else is not ours to edit.
  if (hashText(text) !== target.contentHash) return { ...none, outcome: 'changed' };
  const { agents, config } = teamOfPath(team, target.path);
  const fixed = await fixFile(target.path, text, agents, signal, { ...limits, ...(config ? { config } : {}) });
  if (!fixed.changed) return { ...none, outcome: 'unchanged', dropped: fixed.dropped };
  const lines = new LineIndex(text);
  const hunks = diffHunks(text, fixed.text).map((hunk) => ({ ...hunk, range: lines.rangeOf(hunk.start, hunk.end) }));
  return { ...none, outcome: 'fixed', hunks, findings: fixed.findings, applied: fixed.applied, dropped: fixed.dropped };
}

function failed(path: string, message: string): FileAnswer {
  return { path, outcome: 'failed', hunks: [], applied: 0, dropped: 0, message };
}
