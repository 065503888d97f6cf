import { compareFindings } from '../../core/files/fileAudit';
import type { Finding } from '../../core/model';
import type { LineIndex } from '../../core/text';
import { linesOf, treeOrNull, type Agent, type AgentInput } from '../../core/agent';
import { identityOf } from '../lineup';
import { declaresEval } from './bindings';
import { childProcessHit } from './childProcessCalls';
import { scanScript, type Hit, type ScriptScan } from './scriptScan';
import { findAssignedSecrets, findTokens, type SecretMatch } from './secrets';
import { CHILD_PROCESS_HINT, textHints } from './textHints';

/**
 * Builds the security analyser (seeds' agent 09): hard-coded secrets in any file, and in scripts
 * `eval`-like calls and shell commands built from strings. Reports only; the right fix (environment
 * variable, argument array) needs a human. Test files are no business of the agent's: the configuration turns
 * `security/hardcoded-secret` off in the files `global.tests` names unless `security.includeTests` (PathConfigs).
 */
export function createSecurityAgent(): Agent {
  return {
    ...identityOf('security'),
    run(input: AgentInput, signal: AbortSignal): Finding[] {
      signal.throwIfAborted();
      // The parser failed on the file: the secret scan reads its text, as it does any non-script file's.
      const tree = treeOrNull(input) ?? undefined;
      // The text's hints (a few fast passes) decide which dearer scans run, here and in findTokens.
      const hints = textHints(input.text);
      const scan = tree ? scanScript(tree, (hints & CHILD_PROCESS_HINT) !== 0) : undefined;
      // Most files have no finding: the line index is only built for those that do.
      let index: LineIndex | undefined;
      const toFinding = (rule: string, match: SecretMatch): Finding => {
        index ??= linesOf(input);
        const severity = (match as Hit).severity ?? 'error';
        return { agent: 'security', rule, severity, message: match.message, range: index.rangeOf(match.start, match.end) };
      };
      const findings: Finding[] = [];
      for (const match of secretMatches(input, scan, hints)) findings.push(toFinding('security/hardcoded-secret', match));
      if (scan) for (const hit of resolveCalls(scan)) findings.push(toFinding(hit.rule, hit));
      // Eval hits are collected apart from the others: report in reading order.
      return findings.sort(compareFindings);
    },
  };
}

/** The security agent (it takes no option). */
export const securityAgent: Agent = createSecurityAgent();

/** Token shapes from the text, plus secrets assigned by name (from the tree in scripts, from lines elsewhere). */
function secretMatches(input: AgentInput, scan: ScriptScan | undefined, hints: number): SecretMatch[] {
  const tokens = findTokens(input.text, hints);
  const assigned = scan ? scan.secrets : findAssignedSecrets(input.text, input.language === 'text');
  // A token that is also assigned to a secret name is one problem, reported once by its more precise kind.
  const fresh = assigned.filter((a) => !tokens.some((t) => a.start < t.end && t.start < a.end));
  return [...tokens, ...fresh];
}

/** The eval hits unless the file has its own `eval`, plus the calls whose callee is child_process's. */
function resolveCalls(scan: ScriptScan): Hit[] {
  const shell: Hit[] = [];
  for (const { callee, member, call } of scan.shellCalls) {
    const fn = member !== undefined ? (scan.modules.has(callee) ? member : undefined) : scan.functions.get(callee);
    const hit = fn === undefined ? undefined : childProcessHit(fn, call, scan.sourceFile);
    if (hit) shell.push(hit);
  }
  const evalCalls = scan.evalCalls.length > 0 && declaresEval(scan.tree) ? [] : scan.evalCalls;
  return [...evalCalls, ...scan.hits, ...shell];
}
