import { createHmac } from 'node:crypto';

/** One content's entry as a test writes it: results as `[agentPart, findings, …]`, anything at all inside. */
export interface TestEntry {
  readonly createdAt?: number;
  readonly usedAt?: number;
  readonly size?: number;
  readonly results: readonly unknown[];
}

/**
 * A store's text of format 3 (src/core/cache/storeFormat.ts) holding the entry lines `body` (each ending with a
 * line break), authenticated under `secret` as this user's own build would have written it.
 */
export function signBody(body: string, secret: Buffer): string {
  const mac = createHmac('sha256', secret).update('maintenance-team-result-cache 3\0').update(body).digest('base64url');
  return `${JSON.stringify({ format: 'maintenance-team-result-cache', version: 3, mac })}\n${body}`;
}

/** One entry line of format 3; `raw` lines (anything at all) can be added to a body around it. */
export function entryLine(key: string, entry: TestEntry): string {
  const createdAt = entry.createdAt ?? Date.now();
  return `${[key, createdAt, entry.usedAt ?? createdAt, entry.size ?? 100, entry.results.length / 2, JSON.stringify(entry.results)].join('\t')}\n`;
}

/**
 * A result store's text whose entries are authenticated under `secret`: what a test needs to show that even an
 * authenticated entry is validated before use, or, under another secret, what a repository could plant.
 */
export function signedStore(entries: Record<string, TestEntry>, secret: Buffer): string {
  return signBody(Object.entries(entries).map(([key, entry]) => entryLine(key, entry)).join(''), secret);
}
