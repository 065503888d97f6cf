/**
 * How "Maintenance: Fix all in workspace" presents its changes in VS Code's refactor preview, and what it says it
 * did. Pure (no 'vscode'), so the labels and the wording are unit-tested; src/vscode/fixWorkspace.ts applies them.
 */
import { describeRule } from '../reports/ruleCatalogue';
import type { LabelledHunk } from '../fixes/fixHunks';

/** Which changes ask for confirmation (start unticked): `codeChanges` (the default), `everything`, or `nothing`. */
export type Confirm = 'codeChanges' | 'everything' | 'nothing';

/** A change's entry in the refactor preview (VS Code's `WorkspaceEditEntryMetadata`, minus the icon). */
export interface PreviewEntry {
  /** The group's title when the preview is grouped by type: VS Code groups entries by this label. */
  readonly label: string;
  /** Shown after the label; the group's header shows its first entry's, so it says nothing entry-specific. */
  readonly description: string;
  readonly needsConfirmation: boolean;
}

/**
 * The preview entry of one change. The label names the rule(s) and what the rule is about, never a fix's title:
 * VS Code titles a whole group with its first entry's label and description, and a group spans many files, so
 * both say the same for every entry of a rule (each change's row shows its own text). Layout rules start ticked
 * whatever the language; other changes when their every fix is safe.
 */
export function previewEntry(hunk: Pick<LabelledHunk, 'rules' | 'safe' | 'layout'>, confirm: Confirm): PreviewEntry {
  const needsConfirmation = confirm === 'everything' || (confirm === 'codeChanges' && !hunk.safe && !hunk.layout);
  if (hunk.rules.length === 0) {
    return { label: 'Follow-up fixes', description: 'changes the other fixes uncovered', needsConfirmation };
  }
  const short = hunk.rules.length === 1 ? describeRule(hunk.rules[0])?.short : undefined;
  return {
    label: short ? `${hunk.rules[0]}: ${short}` : hunk.rules.join(' + '),
    description: needsConfirmation ? 'changes code: tick to apply' : 'layout only',
    needsConfirmation,
  };
}

/** What was applied of the changes offered: counted from the documents' text after the edit. */
export interface AppliedCount {
  /** Changes offered (one per preview entry) and files they touch. */
  readonly offered: number;
  readonly offeredFiles: number;
  /** Changes found applied, and the files they are in. */
  readonly applied: number;
  readonly appliedFiles: number;
  /** Files whose text after the edit is not theirs with some changes applied (edited meanwhile): not counted. */
  readonly unknownFiles: number;
}

/** "Applied 12 changes in 5 files; 72 left unticked" (the notification and the log line). */
export function appliedMessage(count: AppliedCount): string {
  const changes = (n: number) => `${n} ${n === 1 ? 'change' : 'changes'}`;
  const files = (n: number) => `${n} ${n === 1 ? 'file' : 'files'}`;
  if (count.applied === 0 && count.unknownFiles === 0) return `No change applied (${changes(count.offered)} offered, all left unticked)`;
  const parts = [`Applied ${changes(count.applied)} in ${files(count.appliedFiles)}`];
  const left = count.offered - count.applied;
  if (left > 0 && count.unknownFiles === 0) parts.push(`${left} left unticked`);
  if (count.unknownFiles > 0) parts.push(`${files(count.unknownFiles)} changed meanwhile, not counted`);
  return parts.join('; ');
}
