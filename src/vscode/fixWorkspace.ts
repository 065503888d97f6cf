import * as vscode from 'vscode';
import { labelHunks } from '../fixes/fixHunks';
import { hasFix, type FileResult } from '../core/model';
import type { FileFixedMessage, FixTarget } from '../shared/engineProtocol';
import { SETTINGS_SECTION } from './constants';
import type { EngineClient } from './engineClient';
import { toVsRange, type FindingStore } from './findingStore';
import type { Logger } from './logger';
import { relativePath } from './workspaceAudit';

/**
 * Options of "Maintenance: Fix all in workspace" for scripts and tests (the palette passes none): `preview: false`
 * asks no confirmation (no refactor preview), `apply: false` only builds the edit, `under` keeps to a folder's files
 * (or one file).
 */
export interface FixWorkspaceOptions {
  readonly preview?: boolean;
  readonly apply?: boolean;
  readonly under?: vscode.Uri;
}

/** What a run did; paths are relative to their workspace folder. */
export interface FixWorkspaceOutcome {
  /** Files the edit changes (whatever the user then unticks in the preview). */
  readonly fixed: string[];
  /** Files whose text changed since their audit: left alone. */
  readonly skipped: string[];
  readonly failed: { readonly path: string; readonly message: string }[];
  /** Fixes in the edit, as the engine counted them. */
  readonly problems: number;
  /** Whether the edit was applied (false when cancelled, discarded in the preview, or `apply: false`). */
  readonly applied: boolean;
  readonly cancelled: boolean;
  readonly edit: vscode.WorkspaceEdit;
}

interface FolderWork {
  readonly folder: vscode.WorkspaceFolder;
  readonly targets: FixTarget[];
  /** The audited result of each target, by path: its findings name the preview's entries. */
  readonly results: Map<string, FileResult>;
}

/**
 * Every validated fix of the last audit as ONE workspace edit, computed in the engine worker file by file (a
 * cancellable notification shows progress), one entry per changed spot labelled with its rules. Changes that
 * remove or rewrite code need confirmation (setting `maintenanceTeam.fixWorkspace.confirm`), so VS Code shows its
 * refactor preview with them unticked and the layout fixes ticked; the user ticks or unticks files and changes
 * before applying. One undo takes it back. Files changed since their audit are skipped and named.
 */
export async function fixWorkspace(
  engine: EngineClient, store: FindingStore, log: Logger, options: FixWorkspaceOptions = {},
): Promise<FixWorkspaceOutcome | undefined> {
  const work = collectWork(store, options.under);
  if (work.length === 0) {
    void vscode.window.showInformationMessage('Maintenance Team: nothing to fix — run the audit first, or every fixable problem is fixed.');
    return undefined;
  }
  const answers = await computeFixes(engine, work);
  const confirm = options.preview === false ? 'nothing'
    : vscode.workspace.getConfiguration(SETTINGS_SECTION).get<Confirm>('fixWorkspace.confirm', 'codeChanges');
  const outcome = buildEdit(work, answers.byFolder, confirm);
  let applied = false;
  if (!answers.cancelled && options.apply !== false && outcome.fixed.length > 0) {
    applied = await vscode.workspace.applyEdit(outcome.edit, { isRefactoring: true });
  }
  const result: FixWorkspaceOutcome = { ...outcome, applied, cancelled: answers.cancelled };
  report(result, log);
  return result;
}

/** The files with fixable findings, by workspace folder; an open document with unsaved changes is fixed as shown. */
function collectWork(store: FindingStore, under: vscode.Uri | undefined): FolderWork[] {
  const byFolder = new Map<string, FolderWork>();
  const prefix = under && under.toString().replace(/\/?$/, '/');
  const open = new Map(vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => [d.uri.toString(), d]));
  for (const { uri: key, result } of store.files()) {
    if (!result.findings.some(hasFix) || (under && key !== under.toString() && !key.startsWith(prefix!))) continue;
    const uri = vscode.Uri.parse(key);
    const folder = uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    if (!folder) continue;
    let work = byFolder.get(folder.uri.toString());
    if (!work) {
      work = { folder, targets: [], results: new Map() };
      byFolder.set(folder.uri.toString(), work);
    }
    const path = relativePath(folder, uri);
    work.targets.push({ path, contentHash: result.contentHash, text: open.get(key)?.getText() });
    work.results.set(path, result);
  }
  return [...byFolder.values()];
}

async function computeFixes(
  engine: EngineClient, work: readonly FolderWork[],
): Promise<{ byFolder: Map<FolderWork, FileFixedMessage[]>; cancelled: boolean }> {
  const total = work.reduce((n, w) => n + w.targets.length, 0);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Maintenance: fixing the workspace', cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      const byFolder = new Map<FolderWork, FileFixedMessage[]>();
      let done = 0;
      try {
        for (const folder of work) {
          const answers: FileFixedMessage[] = [];
          byFolder.set(folder, answers);
          const { cancelled } = await engine.fixFiles(folder.folder.uri.fsPath, folder.targets, (answer) => {
            answers.push(answer);
            done++;
            progress.report({ message: `${done}/${total} files`, increment: 100 / total });
          }, controller.signal);
          if (cancelled) return { byFolder, cancelled: true };
        }
        return { byFolder, cancelled: false };
      } finally {
        subscription.dispose();
      }
    },
  );
}

/**
 * Which changes ask for confirmation: VS Code opens its refactor preview when any change does, and shows those
 * changes unticked. `codeChanges` (the default) = the ones that remove or rewrite code, `everything`, or `nothing`.
 */
type Confirm = 'codeChanges' | 'everything' | 'nothing';

function buildEdit(
  work: readonly FolderWork[], byFolder: ReadonlyMap<FolderWork, readonly FileFixedMessage[]>, confirm: Confirm,
): Omit<FixWorkspaceOutcome, 'applied' | 'cancelled'> {
  const edit = new vscode.WorkspaceEdit();
  const outcome = { fixed: [] as string[], skipped: [] as string[], failed: [] as FixWorkspaceOutcome['failed'], problems: 0, edit };
  for (const folder of work) {
    for (const answer of byFolder.get(folder) ?? []) {
      if (answer.outcome === 'changed') outcome.skipped.push(answer.path);
      if (answer.outcome === 'failed') outcome.failed.push({ path: answer.path, message: answer.message ?? 'failed' });
      if (answer.outcome !== 'fixed') continue;
      const uri = vscode.Uri.joinPath(folder.folder.uri, answer.path);
      const findings = folder.results.get(answer.path)?.findings ?? [];
      for (const { edit: hunk, rules, titles, safe } of labelHunks(answer.hunks, findings)) {
        edit.replace(uri, toVsRange(hunk.range), hunk.newText, {
          needsConfirmation: confirm === 'everything' || (confirm === 'codeChanges' && !safe),
          label: rules.length > 0 ? rules.join(', ') : 'Follow-up fixes',
          description: titles.length > 0 ? titles.join('; ') : 'uncovered by the other fixes',
        });
      }
      outcome.fixed.push(answer.path);
      outcome.problems += answer.applied;
    }
  }
  return outcome;
}

/** Skipped files named in the message; the log has them all. */
const SKIPPED_NAMED = 10;

function report(outcome: FixWorkspaceOutcome, log: Logger): void {
  log.info(`fix all in workspace: ${outcome.problems} fixes in ${outcome.fixed.length} files, `
    + `${outcome.skipped.length} changed since the audit, ${outcome.failed.length} failed; `
    + `${outcome.cancelled ? 'cancelled' : outcome.applied ? 'applied' : 'not applied'}`);
  for (const failure of outcome.failed) log.warn(`fix all: ${failure.path}: ${failure.message}`);
  if (outcome.skipped.length > 0) log.info(`fix all: changed since the audit: ${outcome.skipped.join(', ')}`);
  if (outcome.skipped.length > 0) {
    const n = outcome.skipped.length;
    const named = outcome.skipped.slice(0, SKIPPED_NAMED).join(', ') + (n > SKIPPED_NAMED ? ` and ${n - SKIPPED_NAMED} more` : '');
    void vscode.window.showWarningMessage(`Maintenance Team: ${n} ${n === 1 ? 'file' : 'files'} changed since the audit `
      + `${n === 1 ? 'was' : 'were'} skipped: ${named} — re-run the audit.`);
  }
  if (!outcome.cancelled && outcome.fixed.length === 0 && outcome.skipped.length === 0) {
    void vscode.window.showInformationMessage('Maintenance Team: no fix survived validation; nothing changed.');
  }
}
