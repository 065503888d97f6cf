/**
 * The result store's file format (version 3): a header line, then one line per content,
 *
 *   {"format":"maintenance-team-result-cache","version":3}
 *   <key> TAB <createdAt> TAB <usedAt> TAB <size> TAB <count> TAB <mac> TAB <results>
 *
 * where `results` is the JSON of `[agentPart, findings, agentPart, findings, …]` in the cached form
 * (cachedFindings.ts: no fixes), `count` the number of agent results in it, and `mac` the HMAC-SHA256 of the key,
 * `createdAt`, `size`, `count` and `results` under the user's secret (storeSecret.ts). JSON never holds a raw tab
 * or line break, so a line splits without parsing it.
 *
 * A store is untrusted input: the default one is in the audited repository's `node_modules/.cache`, which the
 * repository can commit. An entry whose MAC does not verify was not written with this user's key and is never
 * used (a line of its own, so the others still are); one that verifies is still parsed and validated against the
 * schema on first use (`openEntry`), and only then. The MAC is over the very bytes on disk, so verifying costs no
 * re-serialization, and a warm audit parses only the results it looks up.
 */
import { createHmac } from 'node:crypto';
import type { Finding } from '../model';
import { parseCachedFindings } from './cachedFindings';
import type { ContentEntry, LoadOutcome } from './store';

const FORMAT = 'maintenance-team-result-cache';
/** The format's version; a store of another is discarded, never misread. */
export const VERSION = 3;
const HEADER = JSON.stringify({ format: FORMAT, version: VERSION });
const FIELDS = 7;

/** The store's text for `entries`, each entry authenticated under `secret`. */
export function serializeStore(entries: ReadonlyMap<string, ContentEntry>, secret: Buffer): string {
  const lines = [HEADER];
  for (const [key, entry] of entries) {
    const results = entry.sealed?.text ?? sealResults(entry.results);
    const count = entry.sealed?.count ?? entry.results.size;
    const mac = entryMac(secret, key, entry.createdAt, entry.size, count, results);
    lines.push(`${key}\t${entry.createdAt}\t${entry.usedAt}\t${entry.size}\t${count}\t${mac}\t${results}`);
  }
  return `${lines.join('\n')}\n`;
}

function sealResults(results: ReadonlyMap<string, readonly Finding[]>): string {
  const flat: (string | readonly Finding[])[] = [];
  for (const [agent, findings] of results) flat.push(agent, findings);
  return JSON.stringify(flat);
}

/** HMAC-SHA256 (base64url) of what an entry says, bound to its key so no entry can stand for another content. */
function entryMac(secret: Buffer, key: string, createdAt: number, size: number, count: number, results: string): string {
  return createHmac('sha256', secret).update(`${key}\0${createdAt}\0${size}\0${count}\0`).update(results).digest('base64url');
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
  const file = header as { format?: unknown; version?: unknown } | null;
  if (!file || typeof file !== 'object' || file.format !== FORMAT) return { kind: 'discarded', reason: 'not a result cache' };
  if (file.version !== VERSION) return { kind: 'discarded', reason: `format version ${String(file.version)}, expected ${VERSION}` };
  if (!text.endsWith('\n')) return { kind: 'discarded', reason: 'corrupt or truncated (no final line break)' };
  const entries = new Map<string, ContentEntry>();
  let rejected = 0;
  for (let start = firstBreak + 1; start < text.length;) {
    const end = text.indexOf('\n', start);
    const entry = toEntry(text.slice(start, end), secret);
    if (entry) entries.set(entry.key, entry.entry);
    else rejected++;
    start = end + 1;
  }
  return { kind: 'loaded', entries, rejected };
}

/** One line as a sealed content entry, or undefined when it is not shaped as one or its MAC does not verify. */
function toEntry(line: string, secret: Buffer): { key: string; entry: ContentEntry } | undefined {
  const fields: string[] = [];
  let from = 0;
  for (let i = 0; i < FIELDS - 1; i++) {
    const tab = line.indexOf('\t', from);
    if (tab < 0) return undefined;
    fields.push(line.slice(from, tab));
    from = tab + 1;
  }
  const [key, ...numbers] = fields;
  const [createdAt, usedAt, size, count] = numbers.slice(0, 4).map(Number);
  const mac = fields[5];
  const results = line.slice(from);
  if (![createdAt, usedAt, size, count].every(Number.isFinite)) return undefined;
  if (!sameMac(mac, entryMac(secret, key, createdAt, size, count, results))) return undefined;
  return { key, entry: { createdAt, usedAt, size, results: new Map(), sealed: { text: results, count } } };
}

/** Compares MACs in constant time (they are short strings of equal length when genuine). */
function sameMac(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
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
