// Lint rules that keep the layers of DESIGN.md honest and promises handled (STYLE.md rules 8 and 10).
// The map of the folders and what may import what: docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * A relative import that climbs out of its folder into one of the `rooms` of src/ (any depth of `../`): these
 * imports are what the layer rules below refuse. Imports are relative, so the rooms are matched by name after the
 * `../` run; no folder inside a room bears one of these names in a way that would collide (checked by `npm run lint`).
 */
const into = (rooms) => `^(\\.\\./)+(${rooms.join('|')})(/|$)`;

/** A `@typescript-eslint/no-restricted-imports` rule refusing imports into `rooms`, with why. */
function layer(rooms, message, extra = []) {
  return {
    '@typescript-eslint/no-restricted-imports': ['error', {
      patterns: [
        { regex: into(rooms), message },
        // The fault-injection agents never ship: production code may only name their types (the registry loads them
        // by path, in development builds). See src/agents/registry.ts and test/unit/shippedBundles.test.ts.
        { regex: into(['testing']), allowTypeImports: true, message: 'src/testing/ is test-only: load it by path.' },
        ...extra,
      ],
    }],
  };
}

const APP = ['cli', 'vscode', 'worker', 'webview', 'extension'];
const CORE_ROOMS = ['agents', 'reports', 'fixes', 'shared', ...APP];
const CORE_MESSAGE = 'src/core/ is the floor: it imports no agent, report, fix or front end (the composition root hands it the team).';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'scripts/**', 'test/fixtures/**', 'bench/**', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', {
        // node:test's test() returns a promise the runner itself awaits.
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }],
      }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'error',
    },
  },
  {
    // Everything with logic in it runs under plain Node: only src/vscode and the entry may import 'vscode'.
    files: [
      'src/core/**/*.ts', 'src/agents/**/*.ts', 'src/reports/**/*.ts', 'src/fixes/**/*.ts', 'src/shared/**/*.ts',
      'src/cli/**/*.ts', 'src/worker/**/*.ts', 'src/webview/**/*.ts', 'src/testing/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/vscode/ and src/extension.ts talk to VS Code.' }] }],
    },
  },
  // Layers (imports only point down). Each file matches exactly one of these blocks: a later block would replace
  // an earlier one's options, not add to them.
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/suppress/**'],
    rules: layer(CORE_ROOMS, CORE_MESSAGE),
  },
  {
    // Suppression comments are read on every run, a warm one included, on threads that otherwise only read and hash:
    // their lexers never load the compiler (0.5 s and 70 MB).
    files: ['src/core/suppress/**/*.ts'],
    rules: layer(CORE_ROOMS, CORE_MESSAGE, [
      { regex: '^(ts-morph|typescript|(\\.\\./)+files/(syntaxTree|fileAudit))$', allowTypeImports: true,
        message: 'The suppression lexers never load the compiler (see src/core/suppress/scriptLexer.ts).' },
    ]),
  },
  {
    // The composition root of the team: the registry, the line-up, the runner thread's entry.
    files: ['src/agents/*.ts'],
    rules: layer(['reports', 'fixes', 'shared', ...APP], 'An agent sees only src/core/.'),
  },
  {
    // One agent's folder (or agents/shared): the core, its own folder, agents/shared and the line-up; never another
    // agent (the registry imports each agent's index.ts, nothing else does).
    files: ['src/agents/*/**/*.ts'],
    rules: layer(['reports', 'fixes', ...APP], 'An agent sees only src/core/.', [
      { regex: '^\\.\\./(?!shared/|lineup$|\\.\\./)', message: 'An agent imports no other agent nor the registry: only ../shared/ and ../lineup.' },
      { regex: '^\\.\\./\\.\\./(?!core/|\\.\\./)', message: 'An agent sees only src/core/ (and ../shared/).' },
    ]),
  },
  {
    files: ['src/reports/**/*.ts', 'src/fixes/**/*.ts', 'src/testing/**/*.ts'],
    rules: layer(['agents', 'shared', ...APP], 'Reports, fixes and the test agents work on findings and texts: they see only src/core/.', [
        { regex: '^\\.\\./(reports|fixes)(/|$)', message: 'Reports and fixes are separate rooms: each sees only src/core/.' },
      ]),
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: layer(['agents', 'reports', ...APP], 'src/shared/ holds protocols: core types only (and fix policy types).'),
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: layer(['core', 'agents', 'reports', 'fixes', ...APP], 'The dashboard page sees only src/shared/ (its protocol).'),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: layer(['shared', 'vscode', 'worker', 'webview', 'extension'], 'The CLI runs the core directly, without the editor.'),
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: layer(['reports', 'cli', 'vscode', 'webview', 'extension'], 'The engine worker speaks src/shared/engineProtocol.ts to the host.'),
  },
  {
    // The host never runs an agent: the engine worker does (src/worker), reached through its protocol.
    files: ['src/vscode/**/*.ts', 'src/extension.ts'],
    rules: layer(['agents', 'cli', 'worker', 'webview'], 'The extension host reaches the engine through src/shared/engineProtocol.ts.'),
  },
  {
    // The UI tier's plain-JavaScript tests run under Node, whose globals the recommended set does not know.
    files: ['test/**/*.mjs'],
    languageOptions: {
      globals: Object.fromEntries(['fetch', 'AbortController', 'AbortSignal', 'URL', 'URLSearchParams', 'TextDecoder',
        'TextEncoder', 'structuredClone', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'process',
        'Buffer', 'console'].map((name) => [name, 'readonly'])),
    },
  },
  {
    files: ['src/cli/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
