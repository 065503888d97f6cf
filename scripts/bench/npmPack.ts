/**
 * Pinned npm tarballs for the measuring scripts (the bench's corpus, the calibration's codebases): fetched once with
 * `npm pack`, checked against the registry's `dist.integrity`, which is recorded beside the file so later runs check
 * it offline; a cached tarball that no longer matches its record is fetched again.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A tarball's SRI hash (`sha512-<base64>`), as the registry's `dist.integrity` states it. */
function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** The tarball of `spec` (`name@exact-version`) in `dir` under `fileName` (npm pack's own name), fetched if needed. */
export async function verifiedTarball(dir: string, spec: string, fileName: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, fileName);
  const record = `${file}.integrity`;
  if (existsSync(file) && existsSync(record) && integrityOf(file) === readFileSync(record, 'utf8').trim()) return file;
  const { stdout: expected } = await run('npm', ['view', spec, 'dist.integrity'], { timeout: 60_000 });
  await run('npm', ['pack', spec, '--pack-destination', dir, '--silent'], { timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
  const actual = integrityOf(file);
  if (actual !== expected.trim()) throw new Error(`${spec}: integrity ${actual} ≠ registry's ${expected.trim()}`);
  writeFileSync(record, actual);
  return file;
}
