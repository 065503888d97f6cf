/**
 * The baseline file on disk: read bounded (regular file, size cap, time limit) and validated; written only where
 * the user asked, through a temp file beside it renamed over it (never through a link planted under the name).
 */
import { constants } from 'node:fs';
import { lstat, open, rename, rm } from 'node:fs/promises';
import { describeReadError, readBoundedText } from '../files/boundedRead';
import { fixTempPath } from '../files/fixTemp';
import { BaselineFormatError, MAX_BASELINE_BYTES, parseBaseline, serializeBaseline, type Baseline } from './format';

/** A baseline that cannot be used; the message names the file and says why. */
export class BaselineFileError extends Error {}

/**
 * The baseline at `path`, undefined when there is no file there. Throws a BaselineFileError when the file cannot be
 * read (a FIFO, over `maxBytes`, unreadable) or is not a valid baseline.
 */
export async function readBaselineFile(path: string, maxBytes = MAX_BASELINE_BYTES): Promise<Baseline | undefined> {
  let text: string;
  try {
    text = await readBoundedText(path, { maxBytes, kind: 'baseline files' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BaselineFileError(`cannot read the baseline ${path}: ${describeReadError(error)}`);
  }
  try {
    return parseBaseline(text);
  } catch (error) {
    if (error instanceof BaselineFormatError) throw new BaselineFileError(`invalid baseline ${path}: ${error.message}`);
    throw error;
  }
}

/**
 * Writes `baseline` to `path`: a new temp file beside it (exclusive, not through a link), synced, then renamed over
 * the name, so a reader sees the old file or the new one, never half of one. A directory or a special file under
 * the name is refused.
 */
export async function writeBaselineFile(path: string, baseline: Baseline): Promise<void> {
  const existing = await lstat(path).catch(() => undefined);
  if (existing && !existing.isFile() && !existing.isSymbolicLink()) {
    throw new BaselineFileError(`cannot write the baseline ${path}: not a regular file`);
  }
  const temp = fixTempPath(path);
  let renamed = false;
  try {
    const handle = await open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o644);
    try {
      await handle.writeFile(serializeBaseline(baseline), 'utf8');
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    renamed = true;
  } catch (error) {
    throw new BaselineFileError(`cannot write the baseline ${path}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (!renamed) await rm(temp, { force: true });
  }
}
