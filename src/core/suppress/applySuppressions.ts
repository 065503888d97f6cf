import type { Finding, Range, Severity, SuppressedFinding, Suppression } from '../model';
import { capFindings, FINDINGS_CAPPED_RULE, MAX_FINDINGS_PER_RULE } from '../run/findingLimits';
import { redactSecrets } from '../redact';
import { parseDirectives, type Directive, type DirectiveRule } from './directives';
import {
  agentOfSuppressible, INVALID_SUPPRESSION_RULE, isEngineRule, suppressionProblem, UNUSED_SUPPRESSION_RULE,
} from './suppressibleRules';

/** What the suppression step knows of one file's run. */
export interface SuppressionContext {
  /**
   * Agents whose findings on this file are complete: run (or served by the cache) without failing and without a
   * partial run on an unparseable file. A suppression is called unused only for these agents' rules (fail closed).
   */
  readonly completeAgents: ReadonlySet<string>;
  /** Severity of `maintenance/unused-suppression` findings; absent: they are not reported. */
  readonly unused?: Severity;
}

/** A file's findings split: those that count, and those a suppression comment covers. */
export interface SuppressionOutcome {
  /** The findings that count, with the invalid (and, when asked for, unused) suppression findings added. */
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
}

/**
 * The one suppression step of every path (the coordinator's audit, `auditText` for fixes): parses the directives of
 * `text` (the file at `path`) and applies them to `findings`. A text without the marker costs one substring search.
 */
export function suppressFindings(
  path: string, text: string, findings: readonly Finding[], context: SuppressionContext,
): SuppressionOutcome {
  const directives = parseDirectives(path, text);
  if (directives.length === 0) return { findings: [...findings], suppressed: [] };
  return applySuppressions(findings, directives, context);
}

interface Entry {
  readonly directive: Directive;
  readonly rule: DirectiveRule;
}

/**
 * Applies `directives` to a file's `findings`: a finding on a covered line (the file, for a file-level directive)
 * whose rule id or agent is named moves to `suppressed` with the directive's reason. Engine rules (`maintenance/*`)
 * are never suppressed, the invalid and unused suppression findings included. Adds one invalid-suppression finding
 * per unknown or engine rule id, empty rule list and misplaced file-level directive, and, when `context.unused` is
 * set, one unused-suppression finding per directive (or rule id of it) that suppressed nothing.
 */
export function applySuppressions(
  findings: readonly Finding[], directives: readonly Directive[], context: SuppressionContext,
): SuppressionOutcome {
  const fileWide: Entry[] = [];
  const byLine = new Map<number, Entry[]>();
  const invalid: Finding[] = [];
  for (const directive of directives) {
    for (const entry of honouredEntries(directive, invalid)) {
      if (directive.kind === 'file') fileWide.push(entry);
      else byLine.set(directive.line, [...(byLine.get(directive.line) ?? []), entry]);
    }
  }
  const used = new Set<DirectiveRule>();
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const covering = isEngineRule(finding.rule) ? [] : [...fileWide, ...(byLine.get(finding.range.start.line) ?? [])]
      .filter(({ rule }) => rule.id === finding.rule || rule.id === finding.agent);
    if (covering.length === 0) {
      kept.push(finding);
      continue;
    }
    for (const { rule } of covering) used.add(rule);
    suppressed.push({ ...finding, suppression: suppressionOf(covering[0].directive) });
  }
  const unused = context.unused ? unusedFindings(directives, used, context, findings) : [];
  // A file of nothing but directives gets its findings capped per rule, as an agent's are.
  return { findings: [...kept, ...capFindings('maintenance', [...invalid, ...unused])], suppressed };
}

/** The rule ids of `directive` that can be honoured; a finding in `invalid` for each that cannot, or for the whole. */
function honouredEntries(directive: Directive, invalid: Finding[]): Entry[] {
  if (directive.misplaced) {
    invalid.push(engineFinding(INVALID_SUPPRESSION_RULE, 'warning', directive.range,
      'maintenance-team-disable applies to the whole file only among its leading comments, before any code: this one is '
      + 'ignored (use maintenance-team-disable-next-line or -line for one line, or move it to the top)'));
    return [];
  }
  if (directive.rules.length === 0) {
    invalid.push(engineFinding(INVALID_SUPPRESSION_RULE, 'warning', directive.range,
      'this suppression names no rule: write the rule ids or agent names to disable, then ` -- ` and the reason'));
    return [];
  }
  const entries: Entry[] = [];
  for (const rule of directive.rules) {
    // Suggestions cost an edit distance per known id: past the cap, nobody reads them.
    const problem = suppressionProblem(rule.id, invalid.length < MAX_FINDINGS_PER_RULE);
    if (problem) invalid.push(engineFinding(INVALID_SUPPRESSION_RULE, 'warning', rule.range, `invalid suppression: ${problem}`));
    else entries.push({ directive, rule });
  }
  return entries;
}

function suppressionOf(directive: Directive): Suppression {
  return directive.justification ? { kind: 'inSource', justification: directive.justification } : { kind: 'inSource' };
}

/**
 * One finding per directive whose every rule id suppressed nothing, else one per such id. Only ids whose agent's
 * findings on the file are complete count: an agent that failed, did not run, or was capped may have hidden the
 * finding the directive was written for.
 */
function unusedFindings(
  directives: readonly Directive[], used: ReadonlySet<DirectiveRule>, context: SuppressionContext,
  findings: readonly Finding[],
): Finding[] {
  const capped = new Set(findings.filter((f) => f.rule === FINDINGS_CAPPED_RULE).map((f) => f.agent));
  const claimable = (rule: DirectiveRule) => {
    const agent = agentOfSuppressible(rule.id);
    return !used.has(rule) && agent !== undefined && context.completeAgents.has(agent) && !capped.has(agent);
  };
  const out: Finding[] = [];
  const severity = context.unused!;
  for (const directive of directives) {
    if (directive.misplaced || directive.rules.length === 0) continue;
    const unused = directive.rules.filter(claimable);
    const where = directive.kind === 'file' ? 'in this file' : `on line ${directive.line}`;
    if (unused.length === directive.rules.length) {
      const ids = unused.map((r) => r.id).join(', ');
      out.push(engineFinding(UNUSED_SUPPRESSION_RULE, severity, directive.range,
        `unused suppression: no ${ids} finding ${where} to suppress; remove the directive`));
      continue;
    }
    for (const rule of unused) {
      out.push(engineFinding(UNUSED_SUPPRESSION_RULE, severity, rule.range,
        `unused suppression of '${rule.id}': no such finding ${where}; remove it from the directive`));
    }
  }
  return out;
}

/** The file's text is quoted in these messages (rule ids): redacted as every agent's messages are. */
function engineFinding(rule: string, severity: Severity, range: Range, message: string): Finding {
  return { agent: 'maintenance', rule, severity, message: redactSecrets(message), range };
}
