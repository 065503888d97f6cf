import { createHash } from 'node:crypto';

/** SHA-256 of a text, hex: the identity of audited content (fix staleness checks, cache keys). */
export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * SHA-256 of a file's bytes, without its UTF-8 BOM: equal to `hashText` of the decoded text for any valid
 * UTF-8, so a file read from disk is recognised without decoding it (the warm audit's fast path).
 */
export function hashFileBytes(bytes: Uint8Array): string {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return createHash('sha256').update(bom ? bytes.subarray(3) : bytes).digest('hex');
}
