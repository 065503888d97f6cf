import * as vscode from 'vscode';
import { STARTER_CONFIG } from '../core/config/starter';
import type { ConfigService } from './configService';

/**
 * "Maintenance: Create configuration file": writes the commented starter file at the folder's configuration
 * path and opens it. An existing file is opened, never overwritten.
 */
export async function createConfigFile(config: ConfigService): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder = folders.length <= 1
    ? folders[0]
    : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to configure' });
  if (!folder) {
    if (folders.length === 0) void vscode.window.showInformationMessage('Maintenance Team: open a folder first.');
    return undefined;
  }
  const uri = config.configUri(folder);
  const exists = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
  if (!exists) {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(STARTER_CONFIG));
    await config.reload(uri);
  }
  await vscode.window.showTextDocument(uri);
  return uri;
}
