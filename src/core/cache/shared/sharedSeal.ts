import { createHmac } from 'node:crypto';
import { sameMac } from '../mac';

/**
 * Authenticated values for the shared Redis tier. Anyone who can write to the team's Redis could otherwise plant
 * results (an empty list of findings under a file's key) and hide findings from every teammate reading it. With a
 * team key (`MAINTENANCE_TEAM_SHARED_CACHE_KEY`, from the user's environment only: never the repository's
 * configuration), each value carries an HMAC-SHA256 over the local cache key (content, agent, version and
 * configuration) and the value, so a value is trusted only if someone holding the key wrote it for that very key:
 * neither forged nor moved from a clean file's key to another's. Without a team key, values are read as before
 * (validated, not authenticated); docs/security.md says so.
 */

/** The environment variable holding the team key. */
export const SHARED_CACHE_KEY_ENV = 'MAINTENANCE_TEAM_SHARED_CACHE_KEY';

/** A team key shorter than this is refused (and the shared cache disabled): a guessable key authenticates nothing. */
export const MIN_SHARED_KEY_LENGTH = 16;

const LABEL = 'maintenance-team shared-cache value v1';
const PREFIX = 'mt1.';

/** How values are sealed before they are written and opened after they are read. */
export interface ValueSeal {
  /** The stored form of `payload` written under the local cache key `cacheKey`. */
  seal(cacheKey: string, payload: string): string;
  /** The payload of a stored value read under `cacheKey`, or undefined when it does not verify. */
  open(cacheKey: string, value: string): string | undefined;
}

/** Values stored as they are (no team key). */
export const PLAIN_VALUES: ValueSeal = {
  seal: (_cacheKey, payload) => payload,
  open: (_cacheKey, value) => value,
};

/** Values sealed under `secret`. */
export function hmacSeal(secret: string): ValueSeal {
  const mac = (cacheKey: string, payload: string) =>
    createHmac('sha256', secret).update(`${LABEL}\0${cacheKey}\0`).update(payload).digest('base64url');
  return {
    seal: (cacheKey, payload) => `${PREFIX}${mac(cacheKey, payload)}.${payload}`,
    open(cacheKey, value) {
      if (!value.startsWith(PREFIX)) return undefined;
      const dot = value.indexOf('.', PREFIX.length);
      if (dot < 0) return undefined;
      const payload = value.slice(dot + 1);
      return sameMac(value.slice(PREFIX.length, dot), mac(cacheKey, payload)) ? payload : undefined;
    },
  };
}

/**
 * The seal the environment asks for: the team key's, plain values without one, or undefined (with the reason)
 * when a key is set but too short to trust. The key itself is never repeated.
 */
export function sealFromEnv(env: Readonly<Record<string, string | undefined>>): { seal?: ValueSeal; problem?: string } {
  const secret = env[SHARED_CACHE_KEY_ENV];
  if (secret === undefined || secret === '') return { seal: PLAIN_VALUES };
  if (secret.length < MIN_SHARED_KEY_LENGTH) {
    return { problem: `${SHARED_CACHE_KEY_ENV} is shorter than ${MIN_SHARED_KEY_LENGTH} characters` };
  }
  return { seal: hmacSeal(secret) };
}
