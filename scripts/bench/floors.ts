/**
 * The floors every audit is measured against: what reading the corpus costs, and what parsing it costs.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { ts } from 'ts-morph';
import { scriptKindOf } from '../../src/core/files/fileAudit';
import { languageOf } from '../../src/core/files/languages';
import { listFiles } from '../../src/core/files/walker';

/**
 * The strict read floor: list the files, read each synchronously and SHA-256 it — the fastest way found here
 * (from the page cache, synchronous reads cost a sixth of `fs/promises` reads), and the way the audit reads.
 */
export async function strictReadFloor(root: string): Promise<void> {
  const { files } = await listFiles(root);
  for (const f of files) createHash('sha256').update(readFileSync(join(root, f))).digest('hex');
}

/**
 * The read floor as DESIGN.md measured its 0.32 s anchor (`fs/promises` reads, 4 per CPU at once): the cache
 * targets of issue 5 are ratios to this one.
 */
export async function readFloor(root: string): Promise<void> {
  const { files } = await listFiles(root);
  const limit = pLimit(availableParallelism() * 4);
  await Promise.all(files.map((f) => limit(async () => createHash('sha256').update(await readFile(join(root, f))).digest('hex'))));
}

/**
 * The parse floor: list the files, read each one and parse every script with `ts.createSourceFile` on this
 * thread, with parent pointers set (`setParentNodes: true`, as the audit parses: agents walk up the tree) and the
 * script kind the audit uses. Returns the number of files parsed.
 */
export async function parseFloor(root: string): Promise<number> {
  const { files } = await listFiles(root);
  let parsed = 0;
  for (const f of files) {
    if (languageOf(f) !== 'script') continue;
    const text = readFileSync(join(root, f), 'utf8');
    ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true, scriptKindOf(f));
    parsed++;
  }
  return parsed;
}
