import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** Largest configuration or manifest read (maintenance-team.yaml, package.json, tsconfig.json, .gitignore). */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Longest a read of one such file may take: a local file of a megabyte takes milliseconds. */
export const MANIFEST_READ_TIMEOUT_MS = 5000;

/** Limits of one bounded read. */
export interface BoundedReadOptions {
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
  /** What the file is, plural, for the size message (default "configuration and manifest files"). */
  readonly kind?: string;
}

/**
 * A file refused by `readBoundedText`: `code` is `ENOTREG` (a FIFO, a device, a socket, a directory),
 * `EFBIG` (over the size limit) or `ETIMEDOUT`; the message names the file and says why, for the user.
 */
export class BoundedReadError extends Error {
  constructor(readonly code: 'ENOTREG' | 'EFBIG' | 'ETIMEDOUT', readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
  }
}

// O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer, so fstat can refuse it.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
const CHUNK_BYTES = 64 * 1024;

/**
 * Reads a configuration or manifest file of the (untrusted) workspace as UTF-8, bounded: regular files only
 * (checked on the open descriptor, so a symbolic link to /dev/zero or a FIFO planted under the name is
 * refused, not followed into a hang), at most `maxBytes` (checked on fstat and again while reading, since a
 * /proc-like file reports size 0) and at most `timeoutMs`. Rejects with a BoundedReadError, or with the
 * system's error (ENOENT, EACCES...) when the file cannot be opened.
 */
export async function readBoundedText(path: string, options: BoundedReadOptions = {}): Promise<string> {
  const maxBytes = options.maxBytes ?? MAX_MANIFEST_BYTES;
  const timeoutMs = options.timeoutMs ?? MANIFEST_READ_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BoundedReadError('ETIMEDOUT', path, `not read within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const kind = options.kind ?? 'configuration and manifest files';
    return await Promise.race([readWithin(path, { maxBytes, kind }, Date.now() + timeoutMs), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function readWithin(path: string, { maxBytes, kind }: { maxBytes: number; kind: string }, deadline: number): Promise<string> {
  const handle = await open(path, OPEN_FLAGS);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new BoundedReadError('ENOTREG', path, `not a regular file (${kindOf(stats)})`);
    if (stats.size > maxBytes) throw tooLarge(path, stats.size, { maxBytes, kind });
    const chunks: Buffer[] = [];
    let total = 0;
    // The size fstat gives (plus one byte, to see the end) in one read; /proc-like files (size 0) by chunks.
    let wanted = stats.size > 0 ? stats.size + 1 : CHUNK_BYTES;
    for (;;) {
      if (Date.now() > deadline) throw new BoundedReadError('ETIMEDOUT', path, 'reading it takes too long');
      const buffer = Buffer.allocUnsafe(Math.min(wanted, maxBytes + 1 - total));
      wanted = CHUNK_BYTES;
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(path, total, { maxBytes, kind });
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function tooLarge(path: string, bytes: number, { maxBytes, kind }: { maxBytes: number; kind: string }): BoundedReadError {
  const size = bytes > maxBytes ? `${Math.ceil(bytes / 1024)} KB` : 'it';
  return new BoundedReadError('EFBIG', path, `${size} is over the ${Math.round(maxBytes / 1024)} KB limit of ${kind}`);
}

/** What a non-regular file is, in words. */
export function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** A read failure in words for the user: the bounded reader's reason, else the system's error code. */
export function describeReadError(error: unknown): string {
  if (error instanceof BoundedReadError) return error.reason;
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
