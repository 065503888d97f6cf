/**
 * The result store's file format (version 3): a header line, then one line per content,
 *
 *   {"format":"maintenance-team-result-cache","version":3,"mac":"<HMAC-SHA256 of every line below, base64url>"}
 *   <key> TAB <createdAt> TAB <usedAt> TAB <size> TAB <count> TAB <results>
 *
 * where `results` is the JSON of `[agentPart, findings, agentPart, findings, …]` in the cached form
 * (cachedFindings.ts: no fixes) and `count` the number of agent results in it. JSON never holds a raw tab or
 * line break, so a line splits without parsing it.
 *
 * A store is untrusted input: the default one is in the audited repository's `node_modules/.cache`, which the
 * repository can commit. Every entry is authenticated under the user's secret (storeSecret.ts) by the MAC in the
 * header, which covers every byte of every entry line: the file is only ever written whole (merged under a lock),
 * so one MAC per file authenticates as much as one per entry, and costs a few milliseconds for ten thousand
 * entries where one per entry costs ten times that. Entries of a file whose MAC does not verify were not written
 * with this user's key: none is used, each is counted. An entry that verifies is still parsed and validated
 * against the schema on first use (`openEntry`), and only then: a warm audit parses only what it looks up.
 */
import { createHmac } from 'node:crypto';
import { sameMac } from './mac';
import type { Finding } from '../model';
import { parseCachedFindings } from './cachedFindings';
import type { ContentEntry, LoadOutcome } from './store';

const FORMAT = 'maintenance-team-result-cache';
/** The format's version; a store of another is discarded, never misread. */
export const VERSION = 3;
const FIELDS = 6;

/** The store's text for `entries`, each entry authenticated under `secret`. */
export function serializeStore(entries: ReadonlyMap<string, ContentEntry>, secret: Buffer): string {
  const lines: string[] = [];
  for (const [key, entry] of entries) {
    const results = entry.sealed?.text ?? sealResults(entry.results);
    const count = entry.sealed?.count ?? entry.results.size;
    lines.push(`${key}\t${entry.createdAt}\t${entry.usedAt}\t${entry.size}\t${count}\t${results}\n`);
  }
  const body = lines.join('');
  return `${JSON.stringify({ format: FORMAT, version: VERSION, mac: bodyMac(secret, body) })}\n${body}`;
}

function sealResults(results: ReadonlyMap<string, readonly Finding[]>): string {
  const flat: (string | readonly Finding[])[] = [];
  for (const [agent, findings] of results) flat.push(agent, findings);
  return JSON.stringify(flat);
}

/** HMAC-SHA256 (base64url) of the entry lines, under a label naming the format so no other text can pass for them. */
function bodyMac(secret: Buffer, body: string): string {
  return createHmac('sha256', secret).update(`${FORMAT} ${VERSION}\0`).update(body).digest('base64url');
}

/** Reads a store's text: entries authenticated (not yet parsed), the others counted as rejected. */
export function parseStore(text: string, secret: Buffer): LoadOutcome {
  const firstBreak = text.indexOf('\n');
  let header: unknown;
  try {
    header = JSON.parse(firstBreak < 0 ? text : text.slice(0, firstBreak));
  } catch {
    return { kind: 'discarded', reason: 'corrupt or truncated (not a store header)' };
  }
  const file = header as { format?: unknown; version?: unknown; mac?: unknown } | null;
  if (!file || typeof file !== 'object' || file.format !== FORMAT) return { kind: 'discarded', reason: 'not a result cache' };
  if (file.version !== VERSION) return { kind: 'discarded', reason: `format version ${String(file.version)}, expected ${VERSION}` };
  if (!text.endsWith('\n')) return { kind: 'discarded', reason: 'corrupt or truncated (no final line break)' };
  const body = text.slice(firstBreak + 1);
  const entries = new Map<string, ContentEntry>();
  let rejected = 0;
  const genuine = typeof file.mac === 'string' && sameMac(file.mac, bodyMac(secret, body));
  for (let start = firstBreak + 1; start < text.length;) {
    const end = text.indexOf('\n', start);
    const entry = genuine ? toEntry(text.slice(start, end)) : undefined;
    if (entry) entries.set(entry.key, entry.entry);
    else rejected++;
    start = end + 1;
  }
  return { kind: 'loaded', entries, rejected };
}

/** One (authenticated) line as a sealed content entry, or undefined when it is not shaped as one. */
function toEntry(line: string): { key: string; entry: ContentEntry } | undefined {
  const fields: string[] = [];
  let from = 0;
  for (let i = 0; i < FIELDS - 1; i++) {
    const tab = line.indexOf('\t', from);
    if (tab < 0) return undefined;
    fields.push(line.slice(from, tab));
    from = tab + 1;
  }
  const [key, ...numbers] = fields;
  const [createdAt, usedAt, size, count] = numbers.map(Number);
  const results = line.slice(from);
  if (![createdAt, usedAt, size, count].every(Number.isFinite)) return undefined;
  return { key, entry: { createdAt, usedAt, size, results: new Map(), sealed: { text: results, count } } };
}

/**
 * Parses and validates a sealed entry's results (the cached-findings schema, once per entry); true when the
 * entry is usable. A malformed one (a bug of another build writing with the same key) stays unusable: a miss.
 */
export function openEntry(entry: ContentEntry): boolean {
  if (entry.sealed === undefined) return true;
  let flat: unknown;
  try {
    flat = JSON.parse(entry.sealed.text);
  } catch {
    return false;
  }
  if (!Array.isArray(flat) || flat.length % 2 !== 0) return false;
  const results = new Map<string, readonly Finding[]>();
  for (let i = 0; i < flat.length; i += 2) {
    const agent: unknown = flat[i];
    const findings = parseCachedFindings(flat[i + 1]);
    if (typeof agent !== 'string' || !findings) return false;
    results.set(agent, findings);
  }
  for (const [agent, findings] of results) entry.results.set(agent, findings);
  entry.sealed = undefined;
  return true;
}
