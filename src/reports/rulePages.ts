import { REPOSITORY_URL, TOOL_VERSION } from '../core/version';
import { describeRule } from './ruleCatalogue';

/**
 * The page of every rule, `docs/rules/<agent>/<name>.md` (the rule id is the path): linked from the editor's
 * diagnostics (`codeDescription`) and SARIF (`helpUri`), opened offline from the installed extension, printed by
 * `maintenance-team explain`. Every page has these sections, in this order (test/unit/rulePages.test.ts checks it).
 */
export const RULE_PAGE_SECTIONS = [
  'What it finds', 'Why it matters', 'Code it flags', 'Code it does not flag', 'Options', 'Fix', 'How to suppress it',
] as const;

/** A rule id that may name a page: `agent/name` in lower-case words (so never `..` or a path of its own). */
const PAGE_ID = /^[a-z]+\/[a-z]+(?:-[a-z]+)*$/;

/** The page's path relative to the package root (`docs/rules/imports/unused.md`), or undefined for a malformed id. */
export function rulePagePath(rule: string): string | undefined {
  return PAGE_ID.test(rule) ? `docs/rules/${rule}.md` : undefined;
}

/**
 * The page of a catalogue rule in the repository, at this version's tag
 * (`https://github.com/…/blob/v0.1.0/docs/rules/imports/unused.md`); undefined for a rule outside the catalogue
 * (a test agent's), which has no page.
 */
export function ruleDocsUrl(rule: string): string | undefined {
  const path = rulePagePath(rule);
  if (path === undefined || describeRule(rule) === undefined) return undefined;
  return `${REPOSITORY_URL}/blob/v${TOOL_VERSION}/${path}`;
}
