/**
 * What the status-bar item shows for a state: only what this extension knows (VS Code already counts problems right
 * beside it): the workspace's grade, an audit in progress, open circuit breakers, skipped files, an unreachable
 * shared cache. Pure (no 'vscode'), so each state's text and accessible label are unit-tested; src/vscode/statusBar.ts
 * renders the view.
 */
import type { Grade, SkipReason } from '../core/model';

/** Figures of the last whole-workspace audit, for the tooltip. */
export interface AuditSummary {
  readonly files: number;
  readonly skipped: number;
  readonly agentFailures: number;
  readonly durationMs: number;
  readonly cancelled: boolean;
  /** Agent results served from the result cache, and looked up. */
  readonly cacheHits: number;
  readonly cacheLookups: number;
}

/** The audit's state; it drives the item's icon, text and tooltip. */
export type AuditState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly done: number; readonly total: number }
  | { readonly kind: 'done'; readonly last?: AuditSummary }
  | { readonly kind: 'failed'; readonly message: string };

/** Everything the item shows besides the state, kept current by the services that know it. */
export interface StatusFacts {
  /** The workspace's score (mean of its files' scores, as the dashboard's) and grade; absent before any result. */
  readonly grade?: { readonly score: number; readonly grade: Grade };
  /** Agents whose circuit breaker is open or half-open. */
  readonly openBreakers: readonly string[];
  /** Files (and unreadable folders) the last audit of each folder left out. */
  readonly skipped: number;
  /** Why the shared (Redis) cache is not used right now, if it is not. */
  readonly sharedCacheDown?: string;
}

/** The rendered item: codicon text, a plain accessible label, tooltip lines, background, and which links to offer. */
export interface StatusView {
  readonly text: string;
  /** For screen readers: plain words, no codicons, no Markdown, no HTML entities. */
  readonly accessibleLabel: string;
  readonly tooltipLines: readonly string[];
  readonly background?: 'warning' | 'error';
  /** Whether the tooltip links to "Show skipped files". */
  readonly linkSkipped: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The view of `state` with `facts`. */
export function statusView(state: AuditState, facts: StatusFacts): StatusView {
  const base = baseView(state, facts);
  const text = [base.text];
  const spoken = [base.spoken];
  const tooltip = [...base.tooltip];
  let background = base.background;
  if (facts.openBreakers.length > 0) {
    text.push(`$(debug-disconnect) ${facts.openBreakers.length}`);
    spoken.push(`${plural(facts.openBreakers.length, 'circuit breaker')} open (${facts.openBreakers.join(', ')})`);
    tooltip.push(`Circuit open: ${facts.openBreakers.join(', ')}: not run until a probe succeeds or "Maintenance: Reset circuit breakers"; `
      + 'the files audited without them are audited again then');
    background ??= 'warning';
  }
  if (facts.skipped > 0) {
    text.push(`$(eye-closed) ${facts.skipped}`);
    spoken.push(`${plural(facts.skipped, 'file')} skipped`);
    tooltip.push(`${plural(facts.skipped, 'file')} skipped (binary, too large, minified, unreadable…)`);
  }
  if (facts.sharedCacheDown) {
    text.push('$(cloud)');
    spoken.push('shared cache unreachable');
    tooltip.push(`Shared cache unreachable (${facts.sharedCacheDown}): audits use the local cache only; Redis is retried automatically`);
  }
  return {
    text: text.join(' '),
    accessibleLabel: `Maintenance Team: ${spoken.join('; ')}`,
    tooltipLines: tooltip,
    ...(background ? { background } : {}),
    linkSkipped: facts.skipped > 0,
  };
}

interface BaseView {
  readonly text: string;
  readonly spoken: string;
  readonly tooltip: readonly string[];
  readonly background?: 'warning' | 'error';
}

function baseView(state: AuditState, facts: StatusFacts): BaseView {
  switch (state.kind) {
    case 'idle':
      return facts.grade
        ? { text: `$(checklist) ${facts.grade.grade} ${facts.grade.score}`, spoken: gradeWords(facts.grade), tooltip: [`Maintenance Team: ${gradeWords(facts.grade)} (files audited so far)`, 'Click to audit the whole workspace'] }
        : { text: '$(checklist) Maintenance', spoken: 'not audited yet', tooltip: ['Maintenance Team: click to audit the whole workspace'] };
    case 'running': {
      const total = state.total > 0 ? String(state.total) : '…';
      return {
        text: `$(sync~spin) Auditing ${state.done}/${total}`,
        spoken: state.total > 0 ? `auditing, ${state.done} of ${state.total} files done` : 'auditing, counting files',
        tooltip: [`Maintenance Team: audit running, ${state.done} of ${total} files done`],
      };
    }
    case 'done': {
      const grade = facts.grade ?? { score: 100, grade: 'A' as const };
      return {
        text: `$(checklist) ${grade.grade} ${grade.score}`,
        spoken: gradeWords(grade) + (state.last?.cancelled ? ', audit cancelled' : ''),
        tooltip: [`Maintenance Team: ${gradeWords(grade)}`, ...summaryLines(state.last), 'Click to audit the whole workspace again'],
      };
    }
    case 'failed':
      return {
        text: '$(checklist) Maintenance $(alert)',
        spoken: `the last audit failed: ${state.message}`,
        tooltip: [`Maintenance Team: the last audit failed: ${state.message}`],
        background: 'error',
      };
  }
}

function gradeWords(grade: { readonly score: number; readonly grade: Grade }): string {
  return `workspace grade ${grade.grade}, score ${grade.score} of 100`;
}

function summaryLines(last: AuditSummary | undefined): string[] {
  if (!last) return [];
  return [
    `Last audit: ${plural(last.files, 'file')} in ${(last.durationMs / 1000).toFixed(1)} s${last.cancelled ? ' (cancelled)' : ''}`,
    `${plural(last.agentFailures, 'agent failure')}`,
    last.cacheLookups > 0 ? `${Math.round((100 * last.cacheHits) / last.cacheLookups)} % of results from the cache` : 'Cache not used',
  ];
}

/** Why a file was left out, in words (the "Show skipped files" list). */
export const SKIP_REASON_TEXT: Readonly<Record<SkipReason, string>> = {
  'binary': 'binary (contains NUL bytes)',
  'too-large': 'too large (over the size limit)',
  'minified': 'minified (very long lines)',
  'not-utf8': 'not UTF-8 text',
  'unreadable': 'unreadable (permissions, or not a regular file)',
  'excluded': 'excluded by the configuration',
};
