import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RULES_BY_AGENT } from '../core/config/rules';
import { escapeControlsKeepingLines } from '../core/terminalText';
import { TOOL_NAME } from '../core/version';
import { describeRule, RULE_IDS } from '../reports/ruleCatalogue';
import { rulePagePath } from '../reports/rulePages';
import { editDistance } from '../core/editDistance';

/** Where `explain` writes: stdout for the page, stderr for an unknown id. */
export interface ExplainIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}

/**
 * The package root holding docs/rules/: next to dist/ for the bundle (dist/cli.js), two folders up from
 * src/cli/ when the sources run unbundled (the tests). Nothing is fetched: the pages ship with the tool.
 */
export const PACKAGE_ROOT = __filename.endsWith('.ts') ? join(__dirname, '..', '..') : join(__dirname, '..');

/**
 * `maintenance-team explain <rule>`: prints the rule's page as terminal text (0); for an agent's name, or a
 * rule prefix such as `syntax` or `maintenance`, lists its rules with their one-line descriptions (0); for anything
 * else names the closest rule ids (2). `root` is the package root (a test seam).
 */
export async function explain(rule: string, io: ExplainIo, root = PACKAGE_ROOT): Promise<number> {
  const family = rulesOf(rule);
  if (family.length > 0) {
    io.stdout.write(escapeControlsKeepingLines(listRules(family)));
    return 0;
  }
  const path = (RULE_IDS as readonly string[]).includes(rule) ? rulePagePath(rule) : undefined;
  if (path === undefined) {
    const closest = closestRules(rule);
    const hint = closest.length > 0 ? `; did you mean ${closest.join(', ')}?` : '';
    io.stderr.write(escapeControlsKeepingLines(`${TOOL_NAME}: unknown rule '${rule}'${hint}\n`
      + `Try '${TOOL_NAME} explain <agent>' (${Object.keys(RULES_BY_AGENT).join(', ')}) to list an agent's rules.\n`));
    return 2;
  }
  let page: string;
  try {
    page = await readFile(join(root, path), 'utf8');
  } catch {
    io.stderr.write(`${TOOL_NAME}: the page of ${rule} (${path}) is missing from this installation\n`);
    return 2;
  }
  io.stdout.write(escapeControlsKeepingLines(renderPage(page)));
  return 0;
}

/** The rules of an agent (`structure` has `syntax/error`) or of a rule prefix (`syntax`, `maintenance`). */
function rulesOf(name: string): string[] {
  const agentRules: readonly string[] = Object.hasOwn(RULES_BY_AGENT, name) ? RULES_BY_AGENT[name as keyof typeof RULES_BY_AGENT] : [];
  return agentRules.length > 0 ? [...agentRules] : RULE_IDS.filter((id) => id.startsWith(`${name}/`));
}

function listRules(rules: readonly string[]): string {
  const width = rules.reduce((max, r) => Math.max(max, r.length), 0);
  const lines = rules.map((r) => `${r.padEnd(width)}  ${describeRule(r)?.short ?? ''}`.trimEnd());
  return `${lines.join('\n')}\n\n${TOOL_NAME} explain <rule> prints a rule's page.\n`;
}

/** Up to three rule ids nearest to `typed` (edit distance, or the same name under another agent). */
function closestRules(typed: string): string[] {
  const name = typed.slice(typed.indexOf('/') + 1);
  const scored = RULE_IDS.map((id) => {
    const sameName = id.slice(id.indexOf('/') + 1) === name;
    return { id, score: sameName ? 0 : editDistance(typed, id) };
  });
  const limit = Math.max(3, Math.floor(typed.length / 3));
  return scored.filter((s) => s.score <= limit).sort((a, b) => a.score - b.score).slice(0, 3).map((s) => s.id);
}

/**
 * A page's Markdown as terminal text: headings underlined, code blocks indented, the example markers (HTML
 * comments) dropped, links reduced to their text (and address when it is a web one), emphasis marks removed.
 */
export function renderPage(markdown: string): string {
  const out: string[] = [];
  let inCode = false;
  for (const line of markdown.replace(/<!--[\s\S]*?-->\n?/g, '').split('\n')) {
    if (/^\s*```/.test(line)) {
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      out.push(line === '' ? '' : `    ${line}`);
      continue;
    }
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (heading) {
      const text = inline(heading[2]);
      out.push(text, (heading[1] === '#' ? '=' : '-').repeat(text.length));
      continue;
    }
    out.push(inline(line));
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

function inline(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, '$1 ($2)')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1');
}
