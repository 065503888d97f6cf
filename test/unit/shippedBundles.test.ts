// The fault-injection agents (src/testing/testAgents.ts) must not ship (issue 20, item 3): the bundles the extension
// package and the CLI are made of never contain them; only dist/test-agents.js, a development build's file that the
// registry loads by path when MAINTENANCE_TEAM_TEST_AGENTS names some, does. Needs `npm run build` first.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const DIST = join(__dirname, '..', '..', 'dist');
/** What the package ships that runs agents or the coordinator (.vscodeignore lists dist/ file by file). */
const SHIPPED = ['extension.js', 'cli.js', 'runner.js', 'worker.js'];
/** Text found only in the test agents' code: their finding's rule and the error their `throw` kind raises. */
const MARKERS = ['faulty/uncloneable', 'on purpose'];

function bundle(name: string): string {
  const file = join(DIST, name);
  assert.ok(existsSync(file), `${file} is missing: run \`npm run build\` first`);
  return readFileSync(file, 'utf8');
}

test('the test-agents bundle carries the markers the shipped bundles are searched for', { timeout: 10_000 }, () => {
  const text = bundle('test-agents.js');
  for (const marker of MARKERS) assert.ok(text.includes(marker), `dist/test-agents.js lacks '${marker}'`);
});

for (const name of SHIPPED) {
  test(`dist/${name} contains no fault-injection agent`, { timeout: 10_000 }, () => {
    const text = bundle(name);
    for (const marker of MARKERS) assert.ok(!text.includes(marker), `dist/${name} contains '${marker}'`);
  });
}
