import type { Finding } from './model';

/**
 * Credentials quoted from the audited code must not travel further than the code itself: a finding's message and
 * fix title go to reports (SARIF uploaded to a code host), the result store and a shared Redis. A token in an
 * import URL (`https://user:ghp_…@host/pkg.js`, `…?token=…`) would otherwise be copied into all of them. What
 * is redacted: the user information of a URL (`scheme://user:password@` → `scheme://***@`) and the values of
 * query parameters whose name sounds secret (`?token=…` → `?token=***`). Fix edits are code and are never
 * touched. Every pattern here is linear in the text's length (each starts only where the previous cannot go on).
 */

const REDACTED = '***';

/**
 * `scheme://userinfo@`: the scheme starts a run of scheme characters (the look-behind, so a long run is tried
 * once), the user information runs to the last `@` before the host's end (a password may hold a raw `@`).
 */
const URL_CREDENTIALS = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)[^\s/?#'"`<>]*@/gi;
/** `?name=value` or `&name=value`; the name decides (below). Names and values stop at the next separator. */
const QUERY_PARAMETER = /([?&])([^=&#?\s'"`<>]*)=([^&#\s'"`<>]*)/g;
/** Parameter names that carry credentials: `token`, `access_token`, `api_key`, `X-Amz-Signature`, `sig`, `password`… */
const SECRET_PARAMETER = /token|key|secret|passw|pwd|sig|credential|auth|session|code|jwt/i;

/** `text` with the credentials of its URLs and secret query parameters replaced by `***`. */
export function redactSecrets(text: string): string {
  // Most messages hold no URL: two native searches answer for them.
  if (!text.includes('://') && !text.includes('=')) return text;
  return text
    .replace(URL_CREDENTIALS, (_match, scheme: string) => `${scheme}${REDACTED}@`)
    .replace(QUERY_PARAMETER, (match, separator: string, name: string, value: string) =>
      value !== '' && value !== REDACTED && SECRET_PARAMETER.test(name) ? `${separator}${name}=${REDACTED}` : match);
}

/**
 * The finding with its message and fix title redacted ({@link redactSecrets}); the same object when there was
 * nothing to redact. The fix's edits are code and stay as they are.
 */
export function redactFinding(finding: Finding): Finding {
  const message = redactSecrets(finding.message);
  const title = finding.fix && redactSecrets(finding.fix.title);
  if (message === finding.message && title === finding.fix?.title) return finding;
  return { ...finding, message, ...(finding.fix && title !== undefined ? { fix: { ...finding.fix, title } } : {}) };
}
