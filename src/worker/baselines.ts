/**
 * The editor's baseline, applied where the engine runs (this worker), never on the extension host's thread: each
 * folder's `maintenance-team-baseline.json`, read again whenever the file changed since the last audit.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileMatcher, type FileMatcher } from '../core/baseline/auditBaseline';
import { readBaselineFile } from '../core/baseline/baselineFile';
import { BASELINE_FILE_NAME, type Baseline } from '../core/baseline/format';
import type { TextOverlay } from '../shared/engineProtocol';

interface Known {
  /** The file's identity when it was read: inode, size and modification time ('' = no file). */
  readonly stamp: string;
  readonly baseline: Baseline | undefined;
}

/** By folder root: the baseline as last read. */
const known = new Map<string, Known>();

function stampOf(file: string): string {
  const info = statSync(file, { throwIfNoEntry: false });
  return info ? `${info.ino}:${info.size}:${info.mtimeMs}` : '';
}

/**
 * The matcher of one audit request of `root`, or undefined when the folder has no usable baseline. A broken file
 * is reported through `warn` once per change of it, and ignored: every finding shows (fail closed).
 */
export async function baselineMatcher(
  root: string, overlays: readonly TextOverlay[], warn: (message: string) => void,
): Promise<FileMatcher | undefined> {
  const file = join(root, BASELINE_FILE_NAME);
  const stamp = stampOf(file);
  let entry = known.get(root);
  if (entry?.stamp !== stamp) {
    let baseline: Baseline | undefined;
    try {
      baseline = stamp === '' ? undefined : await readBaselineFile(file);
    } catch (error) {
      warn(`${error instanceof Error ? error.message : String(error)}; every finding is shown`);
    }
    entry = { stamp, baseline };
    known.set(root, entry);
  }
  if (!entry.baseline) return undefined;
  // An open document is matched on the text the editor holds, which is what was audited.
  const texts = new Map(overlays.map((o) => [o.path, o.text]));
  return fileMatcher(entry.baseline, { file, root, textOf: (path) => texts.get(path) });
}
