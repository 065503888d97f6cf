import { createHmac } from 'node:crypto';

/** One content's entry as a test writes it: results as `[agentPart, findings, …]`, anything at all inside. */
export interface TestEntry {
  readonly createdAt?: number;
  readonly usedAt?: number;
  readonly size?: number;
  readonly results: readonly unknown[];
}

/** The header line of a store of format 3 (src/core/cache/storeFormat.ts). */
export const STORE_HEADER = '{"format":"maintenance-team-result-cache","version":3}';

/** The MAC of one store line's fields under `secret`, as storeFormat.ts computes it. */
export function lineMac(secret: Buffer, key: string, createdAt: number, size: number, count: number, results: string): string {
  return createHmac('sha256', secret).update(`${key}\0${createdAt}\0${size}\0${count}\0`).update(results).digest('base64url');
}

/**
 * A result store's text (format 3) whose entries are authenticated under `secret`, as this user's own build
 * would have written them: what a test needs to show that even an authenticated entry is validated before use.
 * Without `secret`, entries with a made-up MAC: what a repository could plant.
 */
export function signedStore(entries: Record<string, TestEntry>, secret?: Buffer): string {
  const lines = [STORE_HEADER];
  for (const [key, entry] of Object.entries(entries)) {
    const createdAt = entry.createdAt ?? Date.now();
    const size = entry.size ?? 100;
    const count = entry.results.length / 2;
    const results = JSON.stringify(entry.results);
    const mac = secret ? lineMac(secret, key, createdAt, size, count, results) : 'A'.repeat(43);
    lines.push([key, createdAt, entry.usedAt ?? createdAt, size, count, mac, results].join('\t'));
  }
  return `${lines.join('\n')}\n`;
}
