import * as vscode from 'vscode';
import { appliedHunks, labelHunks } from '../fixes/fixHunks';
import { hasFix, type FileResult, type TextEdit } from '../core/model';
import type { FileFixedMessage, FixTarget } from '../shared/engineProtocol';
import { appliedMessage, previewEntry, type AppliedCount, type Confirm } from './fixPreview';
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
  /** What the documents show applied after the edit (the preview applies only the ticked changes); absent when not applied. */
  readonly appliedCount?: AppliedCount;
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
  const { changes, ...outcome } = buildEdit(work, answers.byFolder, confirm);
  let applied = false;
  let appliedCount: AppliedCount | undefined;
  if (!answers.cancelled && options.apply !== false && outcome.fixed.length > 0) {
    const before = await textsOf(changes);
    applied = await vscode.workspace.applyEdit(outcome.edit, { isRefactoring: true });
    if (applied) appliedCount = await countApplied(changes, before);
  }
  const result: FixWorkspaceOutcome = { ...outcome, applied, appliedCount, cancelled: answers.cancelled };
  report(result, log);
  return result;
}

/** The changes offered in one file: hunks on the text the engine fixed. */
interface FileChanges {
  readonly uri: vscode.Uri;
  readonly hunks: readonly TextEdit[];
}

/** Each file's text right before the edit: what the engine fixed (an open document's, else the disk's). */
async function textsOf(changes: readonly FileChanges[]): Promise<Map<FileChanges, string>> {
  const texts = new Map<FileChanges, string>();
  for (const file of changes) texts.set(file, (await vscode.workspace.openTextDocument(file.uri)).getText());
  return texts;
}

/**
 * Counts the changes the documents show applied: the refactor preview applies only the ticked ones and
 * `applyEdit` says only that something was, so each file's text after the edit is matched against its text
 * before with some of the changes applied.
 */
async function countApplied(changes: readonly FileChanges[], before: ReadonlyMap<FileChanges, string>): Promise<AppliedCount> {
  let applied = 0;
  let appliedFiles = 0;
  let unknownFiles = 0;
  for (const file of changes) {
    const after = (await vscode.workspace.openTextDocument(file.uri)).getText();
    const found = appliedHunks(before.get(file) ?? '', after, file.hunks);
    if (!found) {
      unknownFiles++;
      continue;
    }
    const n = found.filter(Boolean).length;
    applied += n;
    if (n > 0) appliedFiles++;
  }
  const offered = changes.reduce((n, f) => n + f.hunks.length, 0);
  return { offered, offeredFiles: changes.length, applied, appliedFiles, unknownFiles };
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
 * The one workspace edit. Which changes ask for confirmation (`Confirm`): VS Code opens its refactor preview when
 * any change does, and shows those changes unticked.
 */
function buildEdit(
  work: readonly FolderWork[], byFolder: ReadonlyMap<FolderWork, readonly FileFixedMessage[]>, confirm: Confirm,
): Omit<FixWorkspaceOutcome, 'applied' | 'cancelled'> & { changes: FileChanges[] } {
  const edit = new vscode.WorkspaceEdit();
  const changes: FileChanges[] = [];
  const outcome = { fixed: [] as string[], skipped: [] as string[], failed: [] as FixWorkspaceOutcome['failed'], problems: 0, edit, changes };
  for (const folder of work) {
    for (const answer of byFolder.get(folder) ?? []) {
      if (answer.outcome === 'changed') outcome.skipped.push(answer.path);
      if (answer.outcome === 'failed') outcome.failed.push({ path: answer.path, message: answer.message ?? 'failed' });
      if (answer.outcome !== 'fixed') continue;
      const uri = vscode.Uri.joinPath(folder.folder.uri, answer.path);
      // The fixes the worker just computed name the changes: the stored audit's findings may be cached, without fixes.
      const findings = answer.findings ?? [];
      for (const hunk of labelHunks(answer.hunks, findings)) {
        edit.replace(uri, toVsRange(hunk.edit.range), hunk.edit.newText, previewEntry(hunk, confirm));
      }
      changes.push({ uri, hunks: answer.hunks });
      outcome.fixed.push(answer.path);
      outcome.problems += answer.applied;
    }
  }
  return outcome;
}

/** Skipped files named in the message; the log has them all. */
const SKIPPED_NAMED = 10;

function report(outcome: FixWorkspaceOutcome, log: Logger): void {
  const applied = outcome.appliedCount ? appliedMessage(outcome.appliedCount) : undefined;
  log.info(`fix all in workspace: ${outcome.problems} fixes offered in ${outcome.fixed.length} files, `
    + `${outcome.skipped.length} changed since the audit, ${outcome.failed.length} failed; `
    + `${outcome.cancelled ? 'cancelled' : applied ?? 'not applied'}`);
  if (applied) void vscode.window.showInformationMessage(`Maintenance Team: ${applied}.`);
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
