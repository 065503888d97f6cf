/**
 * The parse floor in a new process: what a CLI run cannot avoid before its first finding. Node starts, loads the
 * compiler (dist/ts-morph.js, through a V8 code cache as the runner threads load it), then reads and parses every
 * script once, with a JIT that has seen none of it yet. The in-process parse floor runs with a warm JIT, which no
 * new process or new runner thread has, so a CLI run is compared with this one too.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptKindOf } from '../../src/core/files/fileAudit';
import { languageOf } from '../../src/core/files/languages';

/** The child: plain CommonJS, no TypeScript loader (which would add its own start-up to the floor). */
const CHILD = String.raw`'use strict';
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const vm = require('node:vm');
const [bundle, cacheFile, listFile] = process.argv.slice(2);
const source = readFileSync(bundle, 'utf8');
const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
const script = new vm.Script(require('node:module').wrap(source), { filename: bundle, cachedData });
const loaded = { exports: {} };
script.runInThisContext()(loaded.exports, require('node:module').createRequire(bundle), loaded, bundle, require('node:path').dirname(bundle));
const ts = loaded.exports.ts;
for (const [file, kind] of JSON.parse(readFileSync(listFile, 'utf8'))) {
  ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, kind);
}
if (!cachedData || script.cachedDataRejected) writeFileSync(cacheFile, script.createCachedData());
`;

/** A parse floor process, ready to run: its files are written once. */
export interface ProcessFloor {
  /** Runs it once; resolves to its wall time, spawn to exit, in ms. */
  run(): Promise<number>;
}

/**
 * Prepares the floor for `files` (relative to `root`) in `scratch`, and runs it once so its code cache exists
 * (the CLI runs it is compared with use the code cache an earlier run made).
 */
export async function processParseFloor(bundle: string, root: string, files: readonly string[], scratch: string): Promise<ProcessFloor> {
  const dir = join(scratch, 'process-floor');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'floor.cjs');
  const list = join(dir, 'files.json');
  writeFileSync(script, CHILD);
  const scripts = files.filter((f) => languageOf(f) === 'script').map((f) => [join(root, f), scriptKindOf(f)]);
  writeFileSync(list, JSON.stringify(scripts));
  const args = [script, bundle, join(dir, 'ts-morph.codecache'), list];
  const run = async (): Promise<number> => {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`the parse floor process exited with ${code}: ${err.trim()}`))));
    });
    return performance.now() - started;
  };
  await run();
  return { run };
}
