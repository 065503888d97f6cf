import type { TeamConfig } from '../core/config/schema';
import { shortRuleName, type ConfigurableAgentId } from '../core/config/rules';
import type { Finding, TextEdit } from '../core/model';
import { LineIndex } from '../core/text';

/**
 * The on-save policy of `source.fixAll.maintenanceTeam` (`editor.codeActionsOnSave`): which fixes may run when
 * the user saves, so that saving never fights the user (ruff-vscode #88/#260: an import just typed, deleted on save).
 * Pure: the editor gathers the cursor lines and the editing burst, the engine applies what this allows.
 */

/** A span of the saved text by 0-based UTF-16 offsets, `end` exclusive. */
export interface OffsetSpan {
  readonly start: number;
  readonly end: number;
}

/** What the editor knows at save time besides the text: offsets refer to the text being saved. */
export interface SaveGuard {
  /** 1-based lines holding a cursor (every cursor of every editor showing the document). */
  readonly cursorLines: readonly number[];
  /** Text typed during the current editing burst (see `EditBurst`). */
  readonly burst: readonly OffsetSpan[];
}

/** What the editor knows when the user saves. */
export interface SaveContext extends SaveGuard {
  /** The text being saved: the findings' fix edits and `burst` are offsets into it. */
  readonly text: string;
}

/**
 * Why a fix is held back on save: `unsafe` = it removes or rewrites code and its rule is not opted in; `disabled` =
 * the config keeps the rule out of on-save; `cursor-line` = it touches a line holding a cursor; `burst` = it removes
 * or rewrites text typed in the current editing burst (only whitespace fixes may touch that text).
 */
export type HoldReason = 'no-fix' | 'unsafe' | 'disabled' | 'cursor-line' | 'burst';

/** The fixes allowed on save, and those held back with why. */
export interface SaveDecision {
  readonly allowed: Finding[];
  readonly held: { readonly finding: Finding; readonly reason: HoldReason }[];
}

/** Splits `findings` into the fixes the save may apply and those it must leave. */
export function fixesAllowedOnSave(findings: readonly Finding[], context: SaveContext, config: TeamConfig): SaveDecision {
  const judge = saveJudge(context, config);
  const decision: SaveDecision = { allowed: [], held: [] };
  for (const finding of findings) {
    const reason = judge(finding);
    if (reason) decision.held.push({ finding, reason });
    else decision.allowed.push(finding);
  }
  return decision;
}

/**
 * The policy as a predicate (the engine's `accept` while fixing the saved text): why `finding`'s fix is held,
 * or undefined when the save may apply it. The text's line index is built once for every finding.
 */
export function saveJudge(context: SaveContext, config: TeamConfig): (finding: Finding) => HoldReason | undefined {
  const lines = new LineIndex(context.text);
  const cursorLines = new Set(context.cursorLines);
  return (finding) => {
    const fix = finding.fix;
    if (!fix) return 'no-fix';
    const setting = fixOnSaveSetting(config, finding);
    if (setting === false) return 'disabled';
    if (setting === undefined && fix.safe !== true) return 'unsafe';
    if (fix.edits.some((edit) => touchedLines(lines, edit).some((line) => cursorLines.has(line)))) return 'cursor-line';
    if (!fix.edits.every((edit) => isLayoutOnly(context.text, edit))
      && fix.edits.some((edit) => context.burst.some((span) => overlaps(edit, span)))) return 'burst';
    return undefined;
  };
}

/** `team.<agent>.fixOnSave` for the finding's rule (full or short id); undefined when the rule is not listed. */
export function fixOnSaveSetting(config: TeamConfig, finding: Finding): boolean | undefined {
  const agent = config.team[finding.agent as ConfigurableAgentId] as TeamConfig['team'][ConfigurableAgentId] | undefined;
  const settings = agent?.fixOnSave as Readonly<Record<string, boolean | undefined>> | undefined;
  return settings?.[finding.rule] ?? settings?.[shortRuleName(finding.rule)];
}

/** 1-based lines whose text an edit changes: a deletion up to a line break leaves the next line alone. */
function touchedLines(lines: LineIndex, edit: TextEdit): number[] {
  const first = lines.positionAt(edit.start).line;
  const last = edit.end > edit.start ? lines.positionAt(edit.end - 1).line : first;
  const touched: number[] = [];
  for (let line = first; line <= last; line++) touched.push(line);
  return touched;
}

/** Whether the edit only removes and inserts whitespace (trailing blanks, blank lines, indentation, final newline). */
function isLayoutOnly(text: string, edit: TextEdit): boolean {
  return /^\s*$/.test(edit.newText) && /^\s*$/.test(text.slice(edit.start, edit.end));
}

/** Whether an edit removes text of `span` or inserts into its middle. */
function overlaps(edit: TextEdit, span: OffsetSpan): boolean {
  if (edit.start === edit.end) return span.start < edit.start && edit.start < span.end;
  return edit.start < span.end && span.start < edit.end;
}
