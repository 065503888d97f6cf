import * as vscode from 'vscode';
import { EditBurst } from '../fixes/editBurst';
import type { SaveGuard } from '../shared/engineProtocol';

/**
 * Follows what the user types in each file's document (src/fixes/editBurst.ts keeps the spans) and tells the
 * fix-on-save where the cursors are and what was typed in the current editing burst.
 */
export class SaveBursts implements vscode.Disposable {
  private readonly bursts = new Map<string, EditBurst>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly now: () => number = Date.now) {
    this.disposables = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0 || e.document.uri.scheme !== 'file') return;
        this.burstOf(e.document).record(e.contentChanges.map((c) => ({
          start: c.rangeOffset, end: c.rangeOffset + c.rangeLength, text: c.text,
        })));
      }),
      vscode.workspace.onDidSaveTextDocument((d) => this.bursts.get(d.uri.toString())?.saved()),
      vscode.workspace.onDidCloseTextDocument((d) => this.bursts.delete(d.uri.toString())),
    ];
  }

  /** What the save policy needs to know about `document` now: its cursor lines (1-based) and the burst's spans. */
  guardFor(document: vscode.TextDocument): SaveGuard {
    const cursorLines = vscode.window.visibleTextEditors
      .filter((editor) => editor.document === document)
      .flatMap((editor) => editor.selections.map((selection) => selection.active.line + 1));
    return { cursorLines, burst: this.bursts.get(document.uri.toString())?.current() ?? [] };
  }

  private burstOf(document: vscode.TextDocument): EditBurst {
    const key = document.uri.toString();
    let burst = this.bursts.get(key);
    if (!burst) {
      burst = new EditBurst(this.now);
      this.bursts.set(key, burst);
    }
    return burst;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.bursts.clear();
  }
}
