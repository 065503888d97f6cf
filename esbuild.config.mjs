// Bundles the extension, its engine worker, the agent runner's worker and the CLI (DESIGN.md "Build and test").
// `--production` minifies; `--watch` rebuilds on change. Type-checking is `tsc --noEmit`, separately.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const { version, repository } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** @type {import('esbuild').BuildOptions} */
const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // The rule pages' links (src/reports/rulePages.ts) point into the repository at this version's tag.
  define: { __TOOL_VERSION__: JSON.stringify(version), __REPOSITORY_URL__: JSON.stringify(repository.url) },
};

/**
 * ts-morph (the TypeScript compiler inside) is ~15 MB of JavaScript: one copy, dist/ts-morph.js, that the other
 * bundles require at run time, and only where a file is parsed (src/core/files/fileAudit.ts, src/agents/registry.ts load
 * it lazily). A thread that only reads, hashes and looks results up never even reads its source.
 */
const sharedParser = {
  name: 'shared-ts-morph',
  setup(build) {
    build.onResolve({ filter: /^ts-morph$/ }, () => ({ path: './ts-morph.js', external: true }));
  },
};
const withParser = { ...node, plugins: [sharedParser] };

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...withParser, entryPoints: { worker: 'src/worker/engineWorker.ts' }, outdir: 'dist' },
  // The agent runner's threads (src/core/runner), started from whichever bundle runs the coordinator; the entry is
  // the composition root's, which hands the core its team.
  { ...withParser, entryPoints: { runner: 'src/agents/runnerMain.ts' }, outdir: 'dist' },
  { ...withParser, entryPoints: { cli: 'src/cli/index.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...node, sourcemap: false, entryPoints: { 'ts-morph': 'ts-morph' }, outdir: 'dist' },
  // The metrics dashboard's page (src/webview), with uPlot and its stylesheet (dist/webview.css): nothing from a CDN.
  {
    entryPoints: { webview: 'src/webview/main.ts' }, outdir: 'dist', bundle: true, platform: 'browser', format: 'iife',
    target: 'es2022', sourcemap: !production, minify: production, logLevel: 'warning',
  },
];

/**
 * The fault-injection agents of the resilience tests (src/testing), loaded by path by the registry when
 * MAINTENANCE_TEAM_TEST_AGENTS names some: a development build only, so nothing that ships contains them
 * (test/unit/shippedBundles.test.ts checks the bundles; .vscodeignore lists dist/ file by file).
 */
const testAgents = { ...node, entryPoints: { 'test-agents': 'src/testing/testAgents.ts' }, outdir: 'dist' };
if (production) rmSync('dist/test-agents.js', { force: true });
else builds.push(testAgents);

/**
 * dist/maintenance-team.schema.json, the JSON Schema of maintenance-team.yaml generated from the zod schema,
 * which package.json contributes to editors (`yamlValidation`) for completion and checks.
 */
async function writeConfigSchema() {
  const generator = 'dist/.config-schema.cjs';
  mkdirSync('dist', { recursive: true });
  await esbuild.build({
    ...node, sourcemap: false, minify: false, outfile: generator,
    stdin: {
      contents: "export { configJsonSchema } from './src/core/config/schema';", resolveDir: '.', loader: 'ts',
    },
  });
  try {
    const schema = createRequire(import.meta.url)(`./${generator}`).configJsonSchema();
    writeFileSync('dist/maintenance-team.schema.json', `${JSON.stringify(schema, null, 2)}\n`);
  } finally {
    rmSync(generator, { force: true });
  }
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all([...builds.map((options) => esbuild.build(options)), writeConfigSchema()]);
}
