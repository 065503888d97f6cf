import { builtinModules } from 'node:module';
import { ts } from 'ts-morph';
import type { Finding } from '../../core/model';
import type { ProjectContext } from '../../core/files/projectContext';
import type { LineIndex } from '../../core/text';
import { walkDescendants } from '../shared/astWalk';
import { markerFollowedOnLine } from '../shared/textLines';

/**
 * `imports/undeclared-dependency`: a bare specifier whose package the nearest package.json does not declare. It
 * resolves today through a hoisted node_modules, and breaks on a clean install, under pnpm, or once published.
 *
 * Severity `warning`, not `error`: the code usually runs, and aliases set only in a bundler's config (Vite,
 * webpack, Docusaurus' `@theme/*`) cannot be seen from here; CI fails on errors by default.
 */

/** Node's built-in modules (`fs`, `fs/promises`, ...); `node:`-prefixed specifiers are built-ins by construction. */
const BUILTINS: ReadonlySet<string> = new Set(builtinModules);

/**
 * What npm accepts as a package name (scope and name start with a letter, digit or `-`), case-insensitive for
 * old packages. Aliases that cannot be package names never reach the lookup: `@/x`, `~/x`, `$lib/x`.
 */
const PACKAGE_NAME = /^(?:@[a-z0-9-][\w.-]*\/)?[a-z0-9-][\w.-]*$/i;
/** `node:fs`, `bun:test`, `virtual:x`, `https://...`, `data:...`, `C:/...`: protocols, URLs and drive letters. */
const PROTOCOL = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The same check in eslint-plugin-import (and import-x) and eslint-plugin-n: a project that silenced it there, or
 * silenced this rule with the same comment syntax, meant it.
 */
const SAME_RULE = String.raw`(?:import(?:-x)?/no-extraneous-dependencies|n/no-extraneous-(?:import|require)|imports/undeclared-dependency)`;
const FILE_SUPPRESSION = new RegExp(String.raw`/\*\s*eslint-disable\s[^*]*${SAME_RULE}`);
const LINE_DIRECTIVE = /eslint-disable-(?:next-)?line\b/g;
const RULE_NAME = new RegExp(SAME_RULE);

/** One module specifier written in a file. */
interface Specifier {
  readonly node: ts.StringLiteralLike;
  readonly text: string;
}

/** Findings for every import of an undeclared package; none without a project context or a usable manifest. */
export function undeclaredDependencyFindings(
  sourceFile: ts.SourceFile, project: ProjectContext | undefined, lines: LineIndex,
): Finding[] {
  const declared = project?.declaredPackages;
  if (!project || !declared || FILE_SUPPRESSION.test(sourceFile.text)) return [];
  const { specifiers, ambientModules } = collectSpecifiers(sourceFile);
  const findings: Finding[] = [];
  for (const { node, text } of specifiers) {
    const name = packageNameOf(text);
    if (name === undefined || declared.has(name) || ambientModules.has(text)) continue;
    if (isBuiltin(text, name) || isAliased(text, project) || isSuppressed(sourceFile, node, lines)) continue;
    findings.push({
      agent: 'imports',
      rule: 'imports/undeclared-dependency',
      severity: 'warning',
      message: `'${name}' is imported but not declared in package.json (${project.manifestPath ?? 'package.json'})`,
      range: lines.rangeOf(node.getStart(sourceFile), node.end),
    });
  }
  return findings;
}

/**
 * The package a bare specifier imports (`lodash/fp` → `lodash`, `@scope/name/sub` → `@scope/name`); `undefined`
 * for relative and absolute paths, URLs and protocols, `#` subpath imports, and what cannot be a package name.
 */
export function packageNameOf(specifier: string): string | undefined {
  if (specifier === '' || /^[./\\#]/.test(specifier) || PROTOCOL.test(specifier)) return undefined;
  const segments = specifier.split('/');
  const name = specifier.startsWith('@') ? segments.slice(0, 2).join('/') : segments[0];
  return PACKAGE_NAME.test(name ?? '') && (!specifier.startsWith('@') || segments.length >= 2) ? name : undefined;
}

/** `fs`, `fs/promises`, `node:test`: a built-in, whatever follows its first segment. */
function isBuiltin(specifier: string, name: string): boolean {
  return BUILTINS.has(specifier) || BUILTINS.has(name);
}

/** Resolved by the tsconfig: a `paths` pattern matches it, or its first segment exists under `baseUrl`. */
function isAliased(specifier: string, project: ProjectContext): boolean {
  if (project.pathAliases.some((pattern) => matchesPattern(pattern, specifier))) return true;
  return project.baseUrlEntries.has(specifier.split('/')[0] ?? '');
}

/** An `eslint-disable-next-line` above the statement holding `node`, or an `eslint-disable-line` on it. */
function isSuppressed(sourceFile: ts.SourceFile, node: ts.Node, lines: LineIndex): boolean {
  const text = sourceFile.text;
  if (!text.includes('eslint-disable')) return false;
  let statement: ts.Node = node;
  while (!ts.isSourceFile(statement.parent) && !ts.isBlock(statement.parent) && !ts.isModuleBlock(statement.parent)) {
    statement = statement.parent;
  }
  const firstLine = lines.positionAt(statement.getStart(sourceFile)).line;
  const from = lines.lineStart(firstLine - 1);
  const lineBreak = text.indexOf('\n', node.end);
  // Not `directive.*rule`: on a long line repeating the directive, that regex is quadratic.
  return markerFollowedOnLine(text.slice(from, lineBreak < 0 ? text.length : lineBreak), LINE_DIRECTIVE, RULE_NAME);
}

/** TypeScript's `paths` matching: at most one `*`, which matches any text. */
function matchesPattern(pattern: string, specifier: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === specifier;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return specifier.length >= prefix.length + suffix.length && specifier.startsWith(prefix) && specifier.endsWith(suffix);
}

/**
 * Every module specifier of the file: import and export-from declarations, `import x = require('x')`,
 * `require('x')`, `import('x')` and `import('x')` types with a literal argument, at any depth. Also the names of
 * ambient `declare module 'x'` blocks, which declare modules that need no package.
 */
function collectSpecifiers(sourceFile: ts.SourceFile): { specifiers: Specifier[]; ambientModules: Set<string> } {
  const specifiers: Specifier[] = [];
  const ambientModules = new Set<string>();
  const add = (node: ts.Node | undefined): void => {
    if (node && ts.isStringLiteralLike(node)) specifiers.push({ node, text: node.text });
  };
  // Calls and import types can be anywhere: the walk enters only the subtrees whose text holds one.
  const calls = [...sourceFile.text.matchAll(/\b(?:require|import)\s*\(/g)].map((match) => match.index);
  walkDescendants(sourceFile, (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node)) {
      if (ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && isRequireOrImport(node) && !isOptionalOrBundled(node)) {
      add(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal);
    }
    if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) ambientModules.add(node.name.text);
    return ts.isModuleDeclaration(node) || ts.isModuleBlock(node) || containsAny(calls, node.pos, node.end);
  });
  specifiers.sort((a, b) => a.node.pos - b.node.pos);
  return { specifiers, ambientModules };
}

/** Whether a sorted list of offsets has one in `[start, end)`. */
function containsAny(sorted: readonly number[], start: number, end: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && (sorted[lo] as number) < end;
}

/**
 * `try { require('x') } catch {}` is the idiom of an optional dependency, used when installed and meant not to be
 * declared (debug's `supports-color`, esbuild's `pnpapi`). And a `require` that is a function's parameter is a
 * bundler's module loader (browserify's `function (require, module, exports)`), whose names are its own modules.
 */
function isOptionalOrBundled(call: ts.CallExpression): boolean {
  const isRequire = call.expression.kind !== ts.SyntaxKind.ImportKeyword;
  let inFunction = false;
  for (let child: ts.Node = call, node = call.parent; !ts.isSourceFile(node); child = node, node = node.parent) {
    if (!inFunction && ts.isTryStatement(node) && node.tryBlock === child) return true;
    if (ts.isFunctionLike(node)) {
      inFunction = true; // A function declared in a try block runs later, outside it.
      if (isRequire && node.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === 'require')) return true;
    }
  }
  return false;
}

function isRequireOrImport(call: ts.CallExpression): boolean {
  if (call.arguments.length === 0 || !ts.isStringLiteralLike(call.arguments[0])) return false;
  const callee = call.expression;
  if (callee.kind === ts.SyntaxKind.ImportKeyword) return true;
  return ts.isIdentifier(callee) && callee.text === 'require' && call.arguments.length === 1;
}
