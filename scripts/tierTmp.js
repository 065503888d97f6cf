// A private TMPDIR per node:test tier, so what a test forgets to remove is seen (and removed) instead of piling up
// in the machine's temp folder run after run.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

// Caches that tools keep under the temp folder on purpose (tsx's transforms, the CLI's V8 code cache): linked into
// the private folder so they still persist across runs, and never counted as left behind.
const UID = typeof process.getuid === 'function' ? process.getuid() : os.userInfo().username;
const SHARED_TMP_CACHES = [`tsx-${UID}`, `maintenance-team-v8-cache-${UID}`];
// The same caches of another user (tests run the CLI as nobody): made in the private folder, gone with it.
const TOOL_CACHE = /^(tsx|maintenance-team-v8-cache)-[^/]+$/;

/** Makes `<parent>/maintenance-team-<name>-tmp-XXXXXX` with the shared caches of `parent` linked in; returns its path. */
function privateTmp(parent, name) {
  const dir = fs.mkdtempSync(path.join(parent, `maintenance-team-${name}-tmp-`));
  // Like /tmp (sticky, open to all): tests run the CLI as another user (nobody), which must reach its temp folders.
  fs.chmodSync(dir, 0o1777);
  for (const cache of SHARED_TMP_CACHES) {
    const target = path.join(parent, cache);
    try {
      fs.mkdirSync(target, { recursive: true, mode: 0o700 });
      fs.symlinkSync(target, path.join(dir, cache));
    } catch { /* then that cache starts cold */ }
  }
  return dir;
}

/** Removes a folder made by privateTmp (never following the cache links); returns the names left in it but tool caches, sorted. */
function removeTmp(dir) {
  let left = [];
  try { left = fs.readdirSync(dir).filter((n) => !TOOL_CACHE.test(n)).sort(); } catch { /* gone already */ }
  for (const cache of SHARED_TMP_CACHES) {
    try { fs.unlinkSync(path.join(dir, cache)); } catch { /* not linked */ }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return left;
}

module.exports = { SHARED_TMP_CACHES, privateTmp, removeTmp };
