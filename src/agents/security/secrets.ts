/**
 * Secret detection for the security agent: known token shapes (any language, found by regex on the
 * text) and high-entropy values given to secret-sounding names. Every check here errs on the side of
 * silence: a false alarm on a placeholder teaches users to ignore the rule, so a value is only
 * reported when it looks random, long, and not like a placeholder or an environment lookup.
 */
import {
  AWS_HINT, BEARER_HINT, GITHUB_HINT, GITHUB_PAT_HINT, GOOGLE_HINT, PRIVATE_KEY_HINT, SLACK_HINT, STRIPE_HINT, textHints,
  USER_INFO_URL_HINT,
} from './textHints';

/** Minimum length of a value assigned to a secret name before it is considered (shorter ones are mostly flags). */
export const MIN_SECRET_LENGTH = 16;
/** Shannon entropy (bits per char) above which a value looks random rather than like a word or a phrase. */
export const MIN_SECRET_ENTROPY = 3.5;

/** A secret found in the text, as offsets into it. The message never contains the secret itself. */
export interface SecretMatch {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

interface TokenPattern {
  /** The hint (textHints.ts) that must be in the text for the (dearer) regex to run. */
  readonly hint: number;
  /** A global regex whose matches are the tokens, or a function finding them where one regex would not be linear. */
  readonly regex: RegExp | ((text: string) => Iterable<{ index: number; 0: string }>);
  readonly describe: (token: string) => string;
  /** Whether a match is a real credential; by default, whether it is not a placeholder. */
  readonly accept?: (token: string) => boolean;
}

/** Only ever the first four characters: enough to tell which credential, too little to use it. */
const prefixed = (label: string) => (token: string) => `Hard-coded ${label} (${token.slice(0, 4)}…)`;

const TOKEN_PATTERNS: readonly TokenPattern[] = [
  { hint: AWS_HINT, regex: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, describe: prefixed('AWS access key id') },
  {
    hint: PRIVATE_KEY_HINT,
    // The whole block, so the squiggle covers what must be removed.
    regex: privateKeyBlocks,
    describe: () => 'Hard-coded private key',
    // Docs show the header around "..." or "<key>": only a base64 body is a key. Its 1,000+ random
    // characters would often hold "xxx" or "test" by chance, so the placeholder words do not apply.
    accept: (block) => /[A-Za-z0-9+/]{40,}/.test(block),
  },
  { hint: GITHUB_HINT, regex: /\bgh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g, describe: prefixed('GitHub token') },
  { hint: GITHUB_PAT_HINT, regex: /\bgithub_pat_[A-Za-z0-9_]{82}(?![A-Za-z0-9_])/g, describe: prefixed('GitHub token') },
  { hint: SLACK_HINT, regex: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, describe: prefixed('Slack token') },
  {
    hint: STRIPE_HINT,
    regex: /\b[rs]k_live_[A-Za-z0-9]{20,247}(?![A-Za-z0-9])/g,
    describe: prefixed('Stripe live key'),
    // Fillers (`sk_live_aaaa…`, `sk_live_1234…`) are not random.
    accept: (token) => !isPlaceholder(token) && shannonEntropy(token.slice(8)) >= 3,
  },
  // Anywhere, URLs included (`?key=AIza…`): the shape is fixed, 39 characters.
  { hint: GOOGLE_HINT, regex: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g, describe: prefixed('Google API key') },
  {
    hint: BEARER_HINT,
    // Only a signed JWT after `Bearer`: header and payload are base64 JSON (`eyJ`), then a signature.
    regex: /(?<=\bBearer\s{1,4})eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
    describe: prefixed('bearer token (JWT)'),
    accept: isRealJwt,
  },
  {
    hint: USER_INFO_URL_HINT,
    regex: connectionPasswords,
    describe: () => 'Hard-coded password in a connection URL',
    accept: (password) => !isPlaceholder(password) && !DEFAULT_PASSWORDS.has(password.toLowerCase()),
  },
];

/**
 * Whether a JWT is not the one every tutorial copies (jwt.io's "John Doe", subject 1234567890) or a filler: its
 * payload is decoded, which also rejects a random `eyJ…` that is not JSON.
 */
function isRealJwt(token: string): boolean {
  const payload = Buffer.from(token.split('.')[1], 'base64url').toString('utf8');
  return payload.startsWith('{') && !/1234567890|John Doe/.test(payload) && !isPlaceholder(payload) && !isPlaceholder(token);
}

/** Passwords of local development set-ups and documentation (`postgres:postgres@localhost`): no secret in them. */
const DEFAULT_PASSWORDS = new Set(['password', 'pass', 'passwd', 'secret', 'root', 'admin', 'postgres', 'mysql',
  'guest', 'user', 'test', 'pwd', '123456', 'pa55word', 'mongo', 'redis', 'default']);
/**
 * `scheme://user:password@host` of database and broker URLs. Each character class stops at the next delimiter, so
 * a match attempt reads one run and a run holds no `://`: linear in the text.
 */
const CONNECTION_URL = /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver):\/\/([^\s:@/'"`]*):([^\s:@/'"`]+)@[^\s:@/'"`]/g;

/**
 * The password of each connection URL, as a token of its own (the squiggle covers only what must be removed). Only
 * run on a text with a URL with user information (`USER_INFO_URL_HINT`, textHints.ts): license headers put a URL in
 * most files, and that search rules nearly all of them out before the dearer alternation of schemes runs.
 */
function* connectionPasswords(text: string): Generator<{ index: number; 0: string }> {
  for (const match of text.matchAll(CONNECTION_URL)) {
    const [whole, user, password] = match;
    // `user:user@` is a documentation pair; a variable in the URL is filled at run time.
    if (password === user || /[${}%<]/.test(password)) continue;
    yield { index: match.index + whole.length - password.length - 2, 0: password };
  }
}

const KEY_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g;
const KEY_END = /-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----/g;

/**
 * Each private key block, header to footer. Not `/BEGIN…[\s\S]*?END…/g`: each of many headers without a footer
 * would scan to the end of the text (quadratic); here a header without a footer ends the search, as no later one
 * can have a footer either.
 */
function* privateKeyBlocks(text: string): Generator<{ index: number; 0: string }> {
  KEY_BEGIN.lastIndex = 0;
  for (let begin = KEY_BEGIN.exec(text); begin !== null; begin = KEY_BEGIN.exec(text)) {
    KEY_END.lastIndex = begin.index + begin[0].length;
    if (KEY_END.exec(text) === null) return;
    yield { index: begin.index, 0: text.slice(begin.index, KEY_END.lastIndex) };
    KEY_BEGIN.lastIndex = KEY_END.lastIndex;
  }
}

/**
 * Finds known token shapes anywhere in `text` (code, comments, config): they are secrets whatever their name.
 * `hints` are the text's (textHints.ts), when the caller has them already.
 */
export function findTokens(text: string, hints = textHints(text)): SecretMatch[] {
  const matches: SecretMatch[] = [];
  for (const pattern of TOKEN_PATTERNS) {
    if (!(hints & pattern.hint)) continue;
    const found = typeof pattern.regex === 'function' ? pattern.regex(text) : text.matchAll(pattern.regex);
    for (const match of found) {
      const token = match[0];
      // Documentation keys such as AKIAIOSFODNN7EXAMPLE and ghp_xxxx… fillers are not leaks.
      if (pattern.accept ? !pattern.accept(token) : isPlaceholder(token)) continue;
      matches.push({ start: match.index, end: match.index + token.length, message: pattern.describe(token) });
    }
  }
  return matches;
}

/** Words that make a name secret-sounding, alone or as an adjacent pair (`api` + `key`). */
const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'secret', 'token', 'auth', 'credential', 'credentials',
  'apikey', 'accesskey', 'privatekey', 'secretkey', 'passphrase']);
const SECRET_PAIRS = new Set(['api key', 'access key', 'private key', 'secret key', 'client secret']);
/** A last word that makes the name about the secret rather than the secret: `tokenUrl`, `passwordLabel`. */
const NOT_A_SECRET_SUFFIX = new Set(['name', 'names', 'id', 'ids', 'url', 'uri', 'endpoint', 'path', 'file', 'dir',
  'type', 'field', 'label', 'prompt', 'message', 'msg', 'text', 'length', 'len', 'count', 'header', 'placeholder',
  'regex', 'pattern', 'policy', 'hint', 'mode', 'format', 'env', 'var', 'error', 'title', 'description', 'hash',
  'algorithm', 'version', 'selector', 'event', 'route', 'column', 'table', 'param']);

/**
 * A part every secret word and pair has, searched first: most names given a long string (`label`, `description`)
 * have none, and splitting them into words costs more. `K` (U+212A, Kelvin) is there because it lowercases to `k`.
 */
const SECRET_NAME_PART = /pass|pwd|secret|to[k\u212A]en|auth|credential|[k\u212A]ey/i;

/** Whether an identifier or key (`apiKey`, `API_KEY`, `db-password`) names a secret. */
export function isSecretName(name: string): boolean {
  if (!SECRET_NAME_PART.test(name)) return false;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0 || NOT_A_SECRET_SUFFIX.has(words[words.length - 1])) return false;
  return words.some((word, i) => SECRET_WORDS.has(word) || SECRET_PAIRS.has(`${word} ${words[i + 1]}`));
}

const PLACEHOLDER_WORDS = /example|dummy|placeholder|test|fake|sample|changeme|change_me|your|redacted|xxx|\*\*\*/i;

/** Whether a value is an obvious stand-in: a documented filler, a template variable, a repeated character. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_WORDS.test(value)
    || /^(.)\1*$/.test(value)
    || /^<.*>$/.test(value)
    || /\$\{|\{\{|%\(|\$\(/.test(value);
}

/** Shannon entropy of `value` in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Whether a value given to a secret name looks like a real secret: long, random, printable ASCII without
 * spaces (phrases and translations are messages), not a URL or path (where the secret name is about a location), no environment lookup.
 */
export function looksLikeSecret(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH
    && /^[\x21-\x7e]+$/.test(value)
    && !/^(?:[a-z][a-z0-9+.-]*:\/\/|\.{0,2}\/)/i.test(value)
    && !/process\.env|os\.environ|getenv/i.test(value)
    && !isPlaceholder(value)
    && !looksLikeWords(value)
    && shannonEntropy(value) >= MIN_SECRET_ENTROPY;
}

/**
 * Whether a value reads as identifiers rather than random text: `auth.login.passwordReset`, `x-api-key-header`,
 * `FlowPasswordRequiredResultV2` are i18n keys, header and event names, which score high entropy without being
 * secrets. Random text splits into short case runs (`Q7xK2mP9`), words into long pronounceable ones.
 */
function looksLikeWords(value: string): boolean {
  if (!/^[A-Za-z][\w.\-/:]*$/.test(value)) return false;
  const alphanumeric = value.replace(/[^A-Za-z0-9]/g, '').length;
  const words = value.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [];
  const inWords = words.filter((word) => word.length >= 2 && /[aeiouy]/i.test(word)).join('').length;
  return inWords >= 0.8 * alphanumeric;
}

/** The message for a secret value found by its name; the name is shown, never the value. */
export function assignedSecretMessage(name: string): string {
  return `Hard-coded secret assigned to '${name}': read it from the environment or a secret store`;
}

/** Cheap test a line must pass before the assignment regexes run on it. */
const SECRET_HINT = /pass|pwd|secret|token|key|auth|credential/i;
/**
 * `name = "value"`, `"name": "value"`, `name: 'value'`, `name="value"` (keyword argument) anywhere on a line.
 * Every regex here is linear in the line's length, as a hostile file may hold one line of megabytes: a name is
 * only tried from the start of a run of name characters (the look-behind), not again from each of its
 * characters (`password` + 280,000 letters took minutes); leading digits are skipped as part of the match.
 */
const QUOTED_ASSIGNMENT = /(?<![\w.-])[\d.-]*([A-Za-z_][\w.-]*)["']?\s*[:=]\s*(["'])([^"'\r\n]+)\2/g;
/** The start of `name = value` / `name: value` filling a whole line of a config file (.env, YAML, INI, properties). */
const BARE_ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*[:=]\s*/;

/**
 * Secrets assigned by name in a file that is not parsed (Python, config, text). `bare` also accepts
 * unquoted values, which in Python would be expressions (`password = get_password()`), not literals.
 */
export function findAssignedSecrets(text: string, bare: boolean): SecretMatch[] {
  const matches: SecretMatch[] = [];
  for (const line of linesOf(text)) {
    if (!SECRET_HINT.test(line.text)) continue;
    for (const match of line.text.matchAll(QUOTED_ASSIGNMENT)) {
      const value = match[3];
      if (!isSecretName(match[1]) || !looksLikeSecret(value)) continue;
      const start = line.start + match.index + match[0].length - value.length - 1;
      matches.push({ start, end: start + value.length, message: assignedSecretMessage(match[1]) });
    }
    const assignment = bare ? bareAssignment(line.text) : undefined;
    if (assignment && isSecretName(assignment.name) && looksLikeSecret(assignment.value)) {
      const start = line.start + assignment.at;
      matches.push({ start, end: start + assignment.value.length, message: assignedSecretMessage(assignment.name) });
    }
  }
  return matches;
}

/**
 * The name and value of a bare assignment line, the value without trailing blanks and ` # comment`. Read in
 * code rather than by one regex: `value*?\s*(?:\s#.*)?$` retries the blanks from every character of the
 * value, quadratic on a line of spaces.
 */
function bareAssignment(line: string): { name: string; value: string; at: number } | undefined {
  const head = BARE_ASSIGNMENT.exec(line);
  // The head ate the blanks after ':' or '=': a value is what follows, unless it is quoted, a comment or a ';'.
  if (!head || head[0].length === line.length || `"'#;`.includes(line.charAt(head[0].length))) return undefined;
  const rest = line.slice(head[0].length);
  const comment = rest.search(/\s#/);
  return { name: head[1], value: (comment === -1 ? rest : rest.slice(0, comment)).trimEnd(), at: head[0].length };
}

function linesOf(text: string): Array<{ start: number; text: string }> {
  const lines: Array<{ start: number; text: string }> = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (const match of text.matchAll(breaks)) {
    lines.push({ start, text: text.slice(start, match.index) });
    start = match.index + match[0].length;
  }
  lines.push({ start, text: text.slice(start) });
  return lines;
}
