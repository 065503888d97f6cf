import { createHash } from 'node:crypto';

/** SHA-256 of a text, hex: the identity of audited content (fix staleness checks, cache keys). */
export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
