import * as vscode from 'vscode';
import { SKIP_REASON_TEXT } from '../shared/statusView';
import type { LastAudits } from './lastAudit';

interface SkippedItem extends vscode.QuickPickItem {
  readonly uri: vscode.Uri;
  readonly directory: boolean;
}

/**
 * "Maintenance: Show skipped files": the files (and unreadable folders) the last audits left out, with the reason,
 * in a quick pick; picking one opens the file, or reveals the folder in the explorer. Resolves with the items shown
 * (the integration tests read them), once the pick is made or dismissed.
 */
export async function showSkippedFiles(last: LastAudits): Promise<readonly SkippedItem[]> {
  const items = skippedItems(last);
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Maintenance Team: the last audit skipped no file (or no audit ran yet).');
    return items;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: `Maintenance Team: ${items.length} skipped by the last audit`,
    placeHolder: 'Pick one to open it',
    matchOnDescription: true,
  });
  if (picked?.directory) await vscode.commands.executeCommand('revealInExplorer', picked.uri);
  // `vscode.open` picks the editor: a binary file gets VS Code's binary placeholder rather than an error.
  else if (picked) await vscode.commands.executeCommand('vscode.open', picked.uri);
  return items;
}

function skippedItems(last: LastAudits): SkippedItem[] {
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const items = last.skipped().map(({ folder, skipped }) => {
    const root = vscode.Uri.parse(folder);
    const directory = skipped.path.endsWith('/');
    const uri = vscode.Uri.joinPath(root, skipped.path);
    const name = vscode.workspace.getWorkspaceFolder(root)?.name;
    return {
      label: `${directory ? '$(folder)' : '$(file)'} ${multiRoot && name ? `${name}/` : ''}${skipped.path}`,
      description: SKIP_REASON_TEXT[skipped.reason] ?? skipped.reason,
      uri,
      directory,
    };
  });
  return items.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
