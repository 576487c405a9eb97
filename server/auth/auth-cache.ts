/**
 * Who is calling, remembered for AUTH_CACHE_MS per credential (the SHA-256 of the Authorization
 * header and the session cookie), so the panel's click does not wait for a session or token lookup
 * before its one admission round trip. Only positive answers are kept: an unknown credential is
 * looked up every time.
 *
 * Revocation reaches every instance at once: every change that can end a credential (disable,
 * enable, token revoke, sign-out, sign-out everywhere, password change) is announced on the activity
 * channel (`{kind: 'access'}`), and each instance empties its cache on hearing it, or when its
 * subscriber reconnects (a message may have been lost). Worst case, a message lost without a
 * reconnect: a revoked credential keeps working on that instance for at most AUTH_CACHE_MS.
 * Costs: a named token's "last used" is written at most once per AUTH_CACHE_MS per instance.
 */
import 'server-only';
import { createHash } from 'node:crypto';
import type { ActivityHub } from '~/server/activity/hub';
import type { Principal } from '~/server/identity/schema';

type Authenticate = (headers: Headers) => Promise<Principal | null>;

export interface AuthCacheDeps {
  authenticate: Authenticate;
  hub: ActivityHub;
  ttlMs: number;
  /** Entries kept at most: a flood of distinct valid credentials cannot grow it without end. */
  maxEntries?: number;
  now?: () => number;
}

export function createAuthCache({ authenticate, hub, ttlMs, maxEntries = 10_000, now = Date.now }: AuthCacheDeps) {
  const entries = new Map<string, { principal: Principal; until: number }>();
  let clears = 0;
  const clear = () => {
    clears += 1;
    entries.clear();
  };
  hub.watch({ deliver: (activity) => activity.kind === 'access' && clear(), reset: clear });

  return {
    clear,
    size: () => entries.size,
    async authenticate(headers: Headers): Promise<Principal | null> {
      if (ttlMs <= 0) return authenticate(headers);
      // The first caller subscribes the instance (not at start-up: `next build` and tests wire without Redis traffic).
      if (!hub.listening()) void hub.ready().catch(() => {});
      const credential = `${headers.get('authorization') ?? ''}\n${headers.get('cookie') ?? ''}`;
      if (credential === '\n') return null;
      const key = createHash('sha256').update(credential).digest('base64url');
      const at = now();
      const hit = entries.get(key);
      if (hit && hit.until > at) return hit.principal;
      // Cleared while we looked it up: the answer may predate a revocation, so it is returned but not kept.
      const generation = clears;
      const principal = await authenticate(headers);
      // Kept only while this instance hears announcements: otherwise a revocation could not reach it.
      if (principal && generation === clears && hub.listening()) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value ?? '');
        entries.set(key, { principal, until: at + ttlMs });
      }
      return principal;
    },
  };
}

/** What may end a credential: each is announced once it is done (on this instance, the cache empties at once). */
const ENDING = ['setDisabled', 'revokeToken', 'signOutEverywhere', 'signOut', 'changePassword'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any argument list: each wrapped method keeps its own type through T
type Method = (...args: any[]) => Promise<unknown>;

export function announceAccessChanges<T extends Record<(typeof ENDING)[number], Method>>(access: T, announce: () => void): T {
  const wrapped = { ...access };
  for (const name of ENDING) {
    const method = access[name];
    wrapped[name] = (async (...args: unknown[]) => {
      try {
        return await method(...args);
      } finally {
        announce();
      }
    }) as T[typeof name];
  }
  return wrapped;
}
