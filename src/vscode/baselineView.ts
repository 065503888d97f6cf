import * as vscode from 'vscode';
import { BASELINE_FILE_NAME } from '../core/baseline/format';
import { SETTINGS_SECTION } from './constants';

/** The `maintenanceTeam.baseline` setting: baseline findings hidden, shown as hints, or the baseline ignored. */
export type BaselineView = 'hide' | 'hint' | 'off';

/** The setting for the folder of `uri` (resource-scoped: each folder of a multi-root workspace may set its own). */
export function baselineViewOf(uri: vscode.Uri): BaselineView {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION, uri).get<string>('baseline', 'hide');
  return value === 'hint' || value === 'off' ? value : 'hide';
}

/**
 * Fires with a workspace folder whose baseline changed: its `maintenance-team-baseline.json` was created, changed
 * or deleted, or its `maintenanceTeam.baseline` setting changed. The folder's findings are then recomputed (the
 * engine reads the file again when it changed).
 */
export class BaselineWatcher implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.WorkspaceFolder>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${BASELINE_FILE_NAME}`);
    const onFile = (uri: vscode.Uri) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      // Only the file at a folder's root is that folder's baseline.
      if (folder && vscode.Uri.joinPath(folder.uri, BASELINE_FILE_NAME).toString() === uri.toString()) this.changed.fire(folder);
    };
    this.disposables = [
      this.changed, watcher, watcher.onDidCreate(onFile), watcher.onDidChange(onFile), watcher.onDidDelete(onFile),
      vscode.workspace.onDidChangeConfiguration((e) => {
        for (const folder of vscode.workspace.workspaceFolders ?? []) {
          if (e.affectsConfiguration(`${SETTINGS_SECTION}.baseline`, folder.uri)) this.changed.fire(folder);
        }
      }),
    ];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
