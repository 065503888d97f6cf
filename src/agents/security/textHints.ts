/**
 * Which of the security agent's dearer scans a text needs, read in a few fast passes. Each check is a necessary
 * condition of a scan finding anything (its hint is in the text), so a scan skipped finds nothing it would have.
 *
 * Why not one `includes` per hint: `ghp_`, `github_pat_`, `child_process` start with letters common in code, and
 * each such search stops at every one of them; sixteen passes over the text were a quarter of the agent's time on
 * a cold audit. Rare characters anchor the searches instead: every `A` (AWS and Google keys) and every `_` (GitHub
 * and Stripe tokens, `child_process`) is visited once and its neighbours compared.
 */

/** AWS access key id: `AKIA`, `ASIA`. */
export const AWS_HINT = 1;
/** `PRIVATE KEY-----`. */
export const PRIVATE_KEY_HINT = 2;
/** GitHub token: `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`. */
export const GITHUB_HINT = 4;
/** GitHub fine-grained token: `github_pat_`. */
export const GITHUB_PAT_HINT = 8;
/** Slack token: `xox`. */
export const SLACK_HINT = 16;
/** Stripe live key: `_live_`. */
export const STRIPE_HINT = 32;
/** Google API key: `AIza`. */
export const GOOGLE_HINT = 64;
/** `Bearer`. */
export const BEARER_HINT = 128;
/** A URL with user information (`scheme://user:password@`): see `hasUserInfoUrl`. */
export const USER_INFO_URL_HINT = 256;
/** `child_process`: without it no call can be child_process's. */
export const CHILD_PROCESS_HINT = 512;

const CHAR_G = 0x67;
const CHAR_H = 0x68;
/** The third letter of a GitHub token's prefix, `gh[pousr]_`. */
const GITHUB_KINDS = new Set([0x70, 0x6f, 0x75, 0x73, 0x72]);

/** The hints (a mask of the `*_HINT` bits) found in `text`. */
export function textHints(text: string): number {
  let hints = 0;
  for (let at = text.indexOf('A'); at !== -1; at = text.indexOf('A', at + 1)) {
    if (text.startsWith('KIA', at + 1) || text.startsWith('SIA', at + 1)) hints |= AWS_HINT;
    else if (text.startsWith('Iza', at + 1)) hints |= GOOGLE_HINT;
  }
  for (let at = text.indexOf('_'); at !== -1; at = text.indexOf('_', at + 1)) hints |= underscoreHint(text, at);
  if (text.includes('KEY-----') && text.includes('PRIVATE KEY-----')) hints |= PRIVATE_KEY_HINT;
  if (text.includes('xox')) hints |= SLACK_HINT;
  if (text.includes('Bearer')) hints |= BEARER_HINT;
  if (hasUserInfoUrl(text)) hints |= USER_INFO_URL_HINT;
  return hints;
}

/** The hints the `_` at `at` is part of (none, mostly). */
function underscoreHint(text: string, at: number): number {
  let hints = 0;
  if (at >= 3 && text.charCodeAt(at - 3) === CHAR_G && text.charCodeAt(at - 2) === CHAR_H && GITHUB_KINDS.has(text.charCodeAt(at - 1))) {
    hints |= GITHUB_HINT;
  }
  if (at >= 6 && text.startsWith('github_pat_', at - 6)) hints |= GITHUB_PAT_HINT;
  if (text.startsWith('_live_', at)) hints |= STRIPE_HINT;
  if (at >= 5 && text.startsWith('child_process', at - 5)) hints |= CHILD_PROCESS_HINT;
  return hints;
}

/** What follows `scheme://` in a URL with user information, up to the `@` (each class stops at a delimiter: linear). */
const USER_INFO = /[^\s:@/'"`]*:[^\s:@/'"`]+@/y;

/**
 * Whether the text holds `/[a-z]:\/\/[^\s:@/'"`]*:[^\s:@/'"`]+@/`: license headers put a URL in most files, and
 * this rules nearly all of them out before the connection URLs' alternation of schemes runs. Each `://` is found by
 * a plain search and only what follows it is matched.
 */
export function hasUserInfoUrl(text: string): boolean {
  for (let at = text.indexOf('://'); at !== -1; at = text.indexOf('://', at + 1)) {
    const before = text.charCodeAt(at - 1);
    if (!(before >= 0x61 && before <= 0x7a)) continue;
    USER_INFO.lastIndex = at + 3;
    if (USER_INFO.test(text)) return true;
  }
  return false;
}
