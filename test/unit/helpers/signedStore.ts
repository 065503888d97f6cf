import { createHmac } from 'node:crypto';

/** One content's entry as a test writes it: results as `[agentPart, findings, …]`, anything at all inside. */
export interface TestEntry {
  readonly createdAt?: number;
  readonly usedAt?: number;
  readonly size?: number;
  readonly results: readonly unknown[];
}

/**
 * A result store's text (format 3, see src/core/cache/store.ts) whose entries are authenticated under `secret`,
 * as this user's own build would have written them: what a test needs to show that even an authenticated
 * entry is validated before use. Without `secret` (or with another one), what a repository could plant.
 */
export function signedStore(entries: Record<string, TestEntry>, secret?: Buffer): string {
  const out: Record<string, unknown[]> = {};
  for (const [key, entry] of Object.entries(entries)) {
    const createdAt = entry.createdAt ?? Date.now();
    const size = entry.size ?? 100;
    const count = entry.results.length / 2;
    const results = JSON.stringify(entry.results);
    const mac = secret
      ? createHmac('sha256', secret).update(`${key}\0${createdAt}\0${size}\0${count}\0`).update(results).digest('base64url')
      : 'A'.repeat(43);
    out[key] = [createdAt, entry.usedAt ?? createdAt, size, count, mac, results];
  }
  return JSON.stringify({ format: 'maintenance-team-result-cache', version: 3, entries: out });
}
