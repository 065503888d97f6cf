import * as vscode from 'vscode';
import type { EngineClient } from './engineClient';
import type { FindingStore } from './findingStore';
import type { Logger } from './logger';
import { relativePath } from './workspaceAudit';

/**
 * Keeps diagnostics following the files: an edited document is re-audited (debounced, the previous
 * audit of that document cancelled), a document closed with unsaved changes goes back to the disk's
 * content, and a deleted or renamed file's diagnostics are dropped or moved.
 */
export class DocumentFollower implements vscode.Disposable {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inflight = new Map<string, AbortController>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly engine: EngineClient,
    private readonly store: FindingStore,
    private readonly log: Logger,
    private readonly delayMs: (uri: vscode.Uri) => number,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', true, false, false);
    this.disposables.push(
      watcher,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document.uri, this.delayMs(e.document.uri));
      }),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d.uri, 0)),
      vscode.workspace.onDidCloseTextDocument((d) => this.schedule(d.uri, 0)),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => this.forget(uri))),
      vscode.workspace.onDidRenameFiles((e) => e.files.forEach(({ oldUri, newUri }) => {
        this.forget(oldUri);
        this.schedule(newUri, 0);
      })),
      watcher.onDidDelete((uri) => this.forget(uri)),
      watcher.onDidChange((uri) => {
        if (this.store.has(uri) && !openDocument(uri)) this.schedule(uri, this.delayMs(uri));
      }),
    );
  }

  /** Audits the files of the documents already open (on activation), or only those under `folder`. */
  auditOpenDocuments(folder?: vscode.WorkspaceFolder): void {
    for (const document of vscode.workspace.textDocuments) {
      const inFolder = !folder || vscode.workspace.getWorkspaceFolder(document.uri)?.uri.toString() === folder.uri.toString();
      if (inFolder) this.schedule(document.uri, 0);
    }
  }

  private schedule(uri: vscode.Uri, delayMs: number): void {
    const folder = uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    // Dependencies opened through "Go to Definition" are not the workspace's code to maintain.
    if (!folder || uri.path.includes('/node_modules/')) return;
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.audit(folder, uri);
    }, delayMs));
  }

  private async audit(folder: vscode.WorkspaceFolder, uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    this.inflight.get(key)?.abort();
    const controller = new AbortController();
    this.inflight.set(key, controller);
    const document = openDocument(uri);
    const version = document?.version;
    const path = relativePath(folder, uri);
    // An open document is audited as the editor holds it; a closed one as it is on disk.
    const overlays = document ? [{ path, text: document.getText() }] : [];
    try {
      await this.engine.audit({ kind: 'files', root: folder.uri.fsPath, paths: [path], overlays }, {
        onFile: (result) => {
          if (openDocument(uri)?.version === version) this.store.set(uri, result);
        },
        onSkip: () => this.store.delete(uri),
      }, controller.signal);
    } catch (error) {
      if (!controller.signal.aborted) this.log.error(`re-audit of ${path} failed`, error);
    } finally {
      if (this.inflight.get(key) === controller) this.inflight.delete(key);
    }
  }

  private forget(uri: vscode.Uri): void {
    this.inflight.get(uri.toString())?.abort();
    for (const under of [uri, ...this.store.urisUnder(uri)]) this.store.delete(under);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const controller of this.inflight.values()) controller.abort();
    for (const d of this.disposables) d.dispose();
  }
}

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && !d.isClosed);
}
