/**
 * Whether a workspace audit ("Run maintenance audit") is running, and which folders' configuration or baseline
 * changed meanwhile. The running audit reads each folder's configuration when it reaches the folder, and its results
 * arrive until it ends: a re-audit started now would race it (its older results could land last), and on the first
 * audit of a folder nothing would re-audit it at all. So a change during the audit is noted, and each folder it
 * touched is refreshed once the audit has ended. No 'vscode' import: unit-tested.
 */
export class FolderAuditTracker {
  #running = 0;
  readonly #changed = new Set<string>();

  /** A workspace audit starts. */
  begin(): void {
    this.#running++;
  }

  /** A workspace audit ended: the folders (keys) whose configuration changed while audits ran, once the last ended. */
  end(): string[] {
    this.#running = Math.max(0, this.#running - 1);
    if (this.#running > 0) return [];
    const changed = [...this.#changed];
    this.#changed.clear();
    return changed;
  }

  /** A folder's configuration changed: true when an audit is running (the folder is refreshed after it). */
  deferred(key: string): boolean {
    if (this.#running === 0) return false;
    this.#changed.add(key);
    return true;
  }
}
