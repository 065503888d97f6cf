import { ts } from 'ts-morph';
import type { Severity } from '../../core/model';
import { originOf, severityOf } from './securitySinks';
import { valueOf, worst, type Trust } from './valueTracker';

/**
 * The checks on a call once it is known to be child_process's: `exec`/`execSync` given a command built from values
 * (security/command-injection), `spawn`/`execFile` told to use a shell while given values (security/shell-true).
 */

/** Read once: `ts` from ts-morph is a namespace of getters. */
const { SyntaxKind } = ts;

/** The child_process functions that hand their command to a shell. */
export const SHELL_FUNCTIONS: ReadonlySet<string> = new Set(['exec', 'execSync']);
/** The child_process functions that take an argument array, and only use a shell when told to. */
const ARGV_FUNCTIONS: ReadonlySet<string> = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync']);
/** Every child_process function a rule watches. */
export const CHILD_PROCESS_FUNCTIONS: ReadonlySet<string> = new Set([...SHELL_FUNCTIONS, ...ARGV_FUNCTIONS]);

/** A finding on a child_process call, as offsets into the text. */
export interface ChildProcessHit {
  readonly rule: 'security/command-injection' | 'security/shell-true';
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly severity: Severity;
}

/** The finding on a call to child_process's `fn`, if any. */
export function childProcessHit(fn: string, call: ts.CallExpression, sourceFile: ts.SourceFile): ChildProcessHit | undefined {
  if (SHELL_FUNCTIONS.has(fn)) return commandInjection(fn, call, sourceFile);
  return ARGV_FUNCTIONS.has(fn) ? shellTrue(fn, call, sourceFile) : undefined;
}

/**
 * A command built from values, where it is written or in the variable passed (`const c = \`wsl ${d}\`; exec(c)`),
 * or a command taken whole from a request. A constant (`\`ls ${'-la'}\``) and an opaque value are left alone.
 */
function commandInjection(fn: string, call: ts.CallExpression, sourceFile: ts.SourceFile): ChildProcessHit | undefined {
  const first = call.arguments[0];
  if (!first) return undefined;
  const facts = valueOf(first);
  if (facts.trust === 'constant' || (!facts.built && facts.trust !== 'remote')) return undefined;
  const argument = skipWrappers(first);
  const where = ts.isIdentifier(argument) ? ` (in '${argument.text}')` : '';
  return {
    rule: 'security/command-injection', start: first.getStart(sourceFile), end: first.end, severity: 'error',
    message: `Shell command built from ${facts.built ?? originOf(facts)}${where} passed to ${fn}(): pass the arguments as an array to execFile() or spawn()`,
  };
}

/** `spawn(cmd, args, { shell: true })` with a command or an argument that is not a constant. */
function shellTrue(fn: string, call: ts.CallExpression, sourceFile: ts.SourceFile): ChildProcessHit | undefined {
  const shell = shellOption(call);
  if (!shell) return undefined;
  const values = call.arguments.filter((a) => !ts.isObjectLiteralExpression(skipWrappers(a))).map((a) => valueOf(a));
  const trust = values.reduce<Trust>((t, v) => worst(t, v.trust), 'constant');
  if (trust === 'constant') return undefined;
  return {
    rule: 'security/shell-true', start: shell.getStart(sourceFile), end: shell.end, severity: severityOf(trust),
    message: `${fn}() with a shell option runs its command line through a shell, and it holds values: shell syntax in them runs as commands; drop the shell option`,
  };
}

/** The `shell: …` property of the call's options object, unless it is `false`. */
function shellOption(call: ts.CallExpression): ts.PropertyAssignment | undefined {
  for (const argument of call.arguments) {
    const options = skipWrappers(argument);
    if (!ts.isObjectLiteralExpression(options)) continue;
    for (const property of options.properties) {
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'shell') {
        const kind = property.initializer.kind;
        return kind === SyntaxKind.FalseKeyword || kind === SyntaxKind.UndefinedKeyword ? undefined : property;
      }
    }
  }
  return undefined;
}

function skipWrappers(expression: ts.Expression): ts.Expression {
  let node = expression;
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) node = node.expression;
  return node;
}
