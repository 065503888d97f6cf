import { RULES_BY_AGENT, type ConfigurableAgentId } from '../core/config/rules';
import { AGENT_FAILED_RULE, PARSE_FAILED_RULE } from '../core/run/failureFindings';
import { FINDINGS_CAPPED_RULE } from '../core/run/findingLimits';
import { INVALID_SUPPRESSION_RULE, UNUSED_SUPPRESSION_RULE } from '../core/suppress/suppressibleRules';
import type { Severity } from '../core/model';

/**
 * Rules the engine reports itself, on no agent's behalf and not configurable: an audit that is partial (an agent
 * failed or was skipped, the parser failed on the file), findings left out past the per-rule cap, and suppression
 * comments that cannot be honoured or suppress nothing.
 */
export const ENGINE_RULES = [
  AGENT_FAILED_RULE, PARSE_FAILED_RULE, FINDINGS_CAPPED_RULE, INVALID_SUPPRESSION_RULE, UNUSED_SUPPRESSION_RULE,
] as const;

/** A rule id of DESIGN.md ("Rule ids"), as listed in the config's rule catalogue, or one of `ENGINE_RULES`. */
export type RuleId = (typeof RULES_BY_AGENT)[ConfigurableAgentId][number] | (typeof ENGINE_RULES)[number];

/** What a report says about a rule (SARIF `reportingDescriptor`, the Markdown report's rule table). */
export interface RuleDescription {
  /** One sentence, no trailing period, for tables and SARIF `shortDescription`. */
  readonly short: string;
  /** What the rule looks for and why it matters, for SARIF `fullDescription`. */
  readonly full: string;
  /** How to resolve a finding (Markdown allowed: code spans only, so it reads the same as plain text). */
  readonly help: string;
  /** Severity the agent gives its findings unless the config overrides it. */
  readonly severity: Severity;
  /** Whether the agent offers a fix that `--fix` and quick fixes apply. */
  readonly fixable: boolean;
  /** SARIF/GitHub tags; `security` marks the rules that GitHub code scanning lists under security. */
  readonly tags: readonly string[];
}

/**
 * The description of every rule the team reports. Typed against the config's catalogue, so a rule added
 * there without a description here is a compile error rather than a SARIF rule with an empty help.
 */
export const RULE_DESCRIPTIONS: Readonly<Record<RuleId, RuleDescription>> = {
  'syntax/error': {
    short: 'The file does not parse',
    full: 'The TypeScript parser reports a syntax error. Other rules may miss findings in a file that does not parse, and its fixes are held to not adding another error.',
    help: 'Fix the syntax at the reported position; the message is the parser\'s own.',
    severity: 'error', fixable: false, tags: ['correctness'],
  },
  'hygiene/trailing-whitespace': {
    short: 'Trailing whitespace',
    full: 'Spaces or tabs at the end of a line: invisible, and noise in every diff that touches the line. Whitespace inside strings and template literals is content and is left alone.',
    help: 'Delete the whitespace at the end of the line (fixable).',
    severity: 'info', fixable: true, tags: ['maintainability', 'style'],
  },
  'hygiene/mixed-indentation': {
    short: 'Indentation mixes tabs and spaces',
    full: 'A line indented with both tabs and spaces, or against the file\'s prevailing indentation, renders differently in every editor.',
    help: 'Indent with the file\'s prevailing character (fixable).',
    severity: 'warning', fixable: true, tags: ['maintainability', 'style'],
  },
  'hygiene/consecutive-blank-lines': {
    short: 'Too many blank lines in a row',
    full: 'More than two blank lines in a row (PEP 8 allows two between definitions).',
    help: 'Remove the extra blank lines (fixable).',
    severity: 'info', fixable: true, tags: ['maintainability', 'style'],
  },
  'hygiene/final-newline': {
    short: 'File does not end with a newline',
    full: 'The last line has no line ending: POSIX tools treat it as incomplete and diffs show "No newline at end of file".',
    help: 'Add a line ending at the end of the file, in the file\'s own style (fixable).',
    severity: 'info', fixable: true, tags: ['maintainability', 'style'],
  },
  'imports/unused': {
    short: 'Import never used',
    full: 'A binding imported but never referenced: it costs load time, hides real dependencies and misleads readers.',
    help: 'Remove the unused binding, or the whole import when nothing of it is used (fixable). Side-effect imports (`import \'x\'`) are never reported.',
    severity: 'warning', fixable: true, tags: ['maintainability'],
  },
  'imports/duplicate': {
    short: 'Module imported more than once',
    full: 'Two import declarations of the same module in one file; one declaration says the same more clearly.',
    help: 'Merge the imports into one declaration (fixable).',
    severity: 'warning', fixable: true, tags: ['maintainability'],
  },
  'imports/wildcard': {
    short: 'Namespace or wildcard import',
    full: 'In scripts, `import * as ns` used for a few members only; in Python, `from x import *`, which hides where names come from. Off by default in scripts (`rules: { wildcard: true }` or `profile: strict` turns it on), on in Python.',
    help: 'Import the names used, by name (fixable in scripts: `ns.a` becomes `a`).',
    severity: 'info', fixable: true, tags: ['maintainability'],
  },
  'imports/undeclared-dependency': {
    short: 'Import of a package not declared in package.json',
    full: 'A bare import of a package that the nearest package.json does not declare: it works only while another package happens to install it.',
    help: 'Add the package to `dependencies` (or `devDependencies` for tooling) of the nearest package.json.',
    severity: 'warning', fixable: false, tags: ['correctness', 'dependencies'],
  },
  'complexity/cyclomatic': {
    short: 'Function too complex (cyclomatic complexity)',
    full: 'A function with more independent paths than the configured maximum (default 20, 10 with `profile: strict`) is hard to test and to change.',
    help: 'Split the function, or replace branches by a lookup table; the threshold is `team.complexity.thresholds.cyclomatic`.',
    severity: 'warning', fixable: false, tags: ['maintainability'],
  },
  'complexity/nesting-depth': {
    short: 'Blocks nested too deeply',
    full: 'A function whose blocks nest deeper than the configured maximum (default 4).',
    help: 'Return early, or extract the inner blocks into functions; the threshold is `team.complexity.thresholds.nestingDepth`.',
    severity: 'warning', fixable: false, tags: ['maintainability'],
  },
  'complexity/function-length': {
    short: 'Function too long',
    full: 'A function longer than the configured number of lines (default 100, 50 with `profile: strict`; off in test files).',
    help: 'Split it into functions that each do one thing; the threshold is `team.complexity.thresholds.functionLength`.',
    severity: 'warning', fixable: false, tags: ['maintainability'],
  },
  'complexity/file-length': {
    short: 'File too long',
    full: 'A file longer than the configured number of lines (default 1000).',
    help: 'Split the file by concern; the threshold is `team.complexity.thresholds.fileLength`.',
    severity: 'info', fixable: false, tags: ['maintainability'],
  },
  'complexity/parameter-count': {
    short: 'Too many parameters',
    full: 'A function with more parameters than the configured maximum (default 5): callers get them in the wrong order.',
    help: 'Pass an options object; the threshold is `team.complexity.thresholds.parameterCount`.',
    severity: 'warning', fixable: false, tags: ['maintainability'],
  },
  'complexity/await-in-loop': {
    short: '`await` inside a loop',
    full: 'Each iteration waits for the previous one; when the iterations are independent, they can run together. Off by default, as in `eslint:recommended` (`rules: { await-in-loop: true }` or `profile: strict` turns it on).',
    help: 'Collect the promises and `await Promise.all(...)` (bounded with a limiter for large inputs), or keep the loop when order matters.',
    severity: 'warning', fixable: false, tags: ['performance'],
  },
  'conventions/naming': {
    short: 'Name does not follow the naming convention',
    full: 'Types and classes are PascalCase; functions and variables camelCase; constants may be UPPER_CASE or PascalCase.',
    help: 'Rename the declaration (the editor\'s rename keeps every reference).',
    severity: 'info', fixable: false, tags: ['style'],
  },
  'conventions/stub-function': {
    short: 'Stub or empty function',
    full: 'A function whose body is empty, only throws "not implemented" or only holds a TODO comment.',
    help: 'Implement it, remove it, or say in a comment why it is empty.',
    severity: 'warning', fixable: false, tags: ['maintainability'],
  },
  'conventions/missing-jsdoc': {
    short: 'Exported declaration without JSDoc',
    full: 'An exported function or class without a JSDoc comment (reported only with `requireJsDoc: true`).',
    help: 'Add a `/** ... */` comment saying what it is for.',
    severity: 'info', fixable: false, tags: ['documentation'],
  },
  'security/hardcoded-secret': {
    short: 'Hard-coded secret',
    full: 'A token of a known shape, or a high-entropy value assigned to a secret-sounding name. The message never repeats the secret.',
    help: 'Revoke the secret, then read it from the environment or a secret store; removing it from the file does not remove it from history.',
    severity: 'error', fixable: false, tags: ['security', 'external/cwe/cwe-798'],
  },
  'security/eval': {
    short: 'Code compiled from a string',
    full: '`eval` (also `window[\'eval\']` and the indirect `(0, eval)`), `new Function` or a string passed to `setTimeout`/`setInterval` (written there or held in a variable) runs text as code: an injection point. A warning when every argument is a constant.',
    help: 'Parse data with `JSON.parse`, pass functions instead of strings, or look the behaviour up in a table.',
    severity: 'error', fixable: false, tags: ['security', 'external/cwe/cwe-95'],
  },
  'security/command-injection': {
    short: 'Shell command built from strings',
    full: '`child_process.exec`/`execSync` with a command built from values by concatenation, a template literal or a join, where it is written or in a variable built first, or taken whole from a request: a value with shell syntax in it runs as a command. Constants however written are not reported.',
    help: 'Use `execFile`/`spawn` with an argument array, which no shell interprets.',
    severity: 'error', fixable: false, tags: ['security', 'external/cwe/cwe-78'],
  },
  'security/sql-injection': {
    short: 'SQL query built from values',
    full: 'A query whose text starts as SQL and is built by a template literal, concatenation or join with values, passed to `.query`, `.execute`, `.raw` and the like: a value with a quote in it changes the query. An error when the value comes from a request, the environment or an exported function\'s caller; a warning when it is only computed.',
    help: 'Pass the values as query parameters (`$1`, `?`, named placeholders) or use the client\'s tagged `sql` template.',
    severity: 'warning', fixable: false, tags: ['security', 'external/cwe/cwe-89'],
  },
  'security/path-traversal': {
    short: 'File path from request data',
    full: 'A value from a request, a message event or the page URL reaches an fs path argument (or `res.sendFile`) with no resolve-and-prefix check in the function: `../` in it reads or writes outside the intended folder.',
    help: 'Resolve the path against the intended root and check that the result still starts with the root (or take only `path.basename` of it).',
    severity: 'error', fixable: false, tags: ['security', 'external/cwe/cwe-22'],
  },
  'security/unsafe-html': {
    short: 'HTML built from values',
    full: '`innerHTML`, `outerHTML`, `insertAdjacentHTML`, `document.write` or React\'s `dangerouslySetInnerHTML` given HTML built from values, or a value from a request or the page: markup in the value runs as script (cross-site scripting). An error for untrusted values, a warning for computed ones; a value passed through a sanitiser or escaper is not reported.',
    help: 'Set `textContent` instead, build elements with the DOM API, or escape or sanitise (DOMPurify) every value.',
    severity: 'warning', fixable: false, tags: ['security', 'external/cwe/cwe-79'],
  },
  'security/shell-true': {
    short: 'Shell option with values',
    full: '`spawn`/`execFile` (and their sync forms) with a `shell` option and a command or argument that is not a constant: the shell parses the whole line, so the argument array no longer protects the values.',
    help: 'Drop the `shell` option; on Windows, run `.cmd` files through `cmd.exe /d /s /c` with quoted arguments only when needed.',
    severity: 'warning', fixable: false, tags: ['security', 'external/cwe/cwe-78'],
  },
  'security/tls-disabled': {
    short: 'TLS certificate checks turned off',
    full: '`rejectUnauthorized: false` or `NODE_TLS_REJECT_UNAUTHORIZED = \'0\'`: the connection accepts any certificate, so anyone on the path can read and change the traffic.',
    help: 'Trust the server\'s certificate explicitly (the `ca` option, `NODE_EXTRA_CA_CERTS`) instead of turning checks off.',
    severity: 'warning', fixable: false, tags: ['security', 'external/cwe/cwe-295'],
  },
  'security/weak-random': {
    short: 'Math.random() makes a secret',
    full: '`Math.random()` gives a value to a token, password, secret, nonce, salt, session or key: its output is predictable, so the secret can be guessed. Plain ids and UI keys are not reported.',
    help: 'Use `crypto.randomBytes()`, `crypto.randomUUID()` or `crypto.getRandomValues()`.',
    severity: 'warning', fixable: false, tags: ['security', 'external/cwe/cwe-338'],
  },
  'maintenance/agent-failed': {
    short: 'An agent did not audit the file',
    full: 'An agent failed on this file (threw, was stopped at its time limit, its thread crashed) or was skipped because its circuit breaker is open: its findings for the file are missing, so the file is not known to be clean. The message names the agent and the reason.',
    help: 'Audit again (failures are never cached); if the agent keeps failing on the file, report it with the message. `--allow-partial` reports these without failing the run.',
    severity: 'error', fixable: false, tags: ['reliability'],
  },
  'maintenance/parse-failed': {
    short: 'The parser failed on the file',
    full: 'The TypeScript parser itself failed on this file (for example it ran out of stack on deeply nested expressions): only the text-level checks (hygiene, the secret scan) ran, and the agents that need its syntax tree are named in the message.',
    help: 'Reduce the nesting (thousands of nested parentheses or brackets are generated code: exclude it from the audit if so). `--allow-partial` reports these without failing the run.',
    severity: 'error', fixable: false, tags: ['reliability'],
  },
  'maintenance/findings-capped': {
    short: 'More findings than are listed',
    full: 'A rule found more than 1,000 problems in this file: the first 1,000 are listed and this finding says how many more there are, so one file cannot flood the reports, the cache and the editor.',
    help: 'Fix the findings listed (`--fix` applies the fixable ones) and audit again to see the rest.',
    severity: 'warning', fixable: false, tags: ['reliability'],
  },
  'maintenance/invalid-suppression': {
    short: 'A suppression comment cannot be honoured',
    full: 'A `maintenance-team-disable…` comment names an unknown rule id (the message suggests the closest known one), one of the engine\'s own `maintenance/*` rules (an audit that did not happen is never hidden), or no rule at all; or a file-level `maintenance-team-disable` comes after code, where it is ignored. The findings it was meant for are still reported.',
    help: 'Correct the rule id (a full id such as `complexity/cyclomatic`, or an agent name such as `complexity`), or move the file-level directive to the file\'s leading comments. This finding cannot itself be suppressed.',
    severity: 'warning', fixable: false, tags: ['maintainability'],
  },
  'maintenance/unused-suppression': {
    short: 'A suppression comment suppresses nothing',
    full: 'A `maintenance-team-disable…` comment, or one rule id of it, covers no finding: the code was fixed, the rule is switched off, or the comment is on the wrong line. Reported with `--report-unused-disables` (then counted by `--fail-on`), and in the editor as a faded hint. Never claimed for a rule whose agent did not run or failed on the file.',
    help: 'Remove the directive, or the rule id that is not needed. This finding cannot itself be suppressed.',
    severity: 'warning', fixable: false, tags: ['maintainability'],
  },
};

/** Every known rule id, in the catalogue's order (agent by agent, then the engine's). */
export const RULE_IDS: readonly RuleId[] = [...Object.values(RULES_BY_AGENT).flat(), ...ENGINE_RULES];

/** The description of `rule`, or undefined for a rule outside the catalogue (a test agent's, a newer one). */
export function describeRule(rule: string): RuleDescription | undefined {
  return Object.hasOwn(RULE_DESCRIPTIONS, rule) ? RULE_DESCRIPTIONS[rule as RuleId] : undefined;
}
