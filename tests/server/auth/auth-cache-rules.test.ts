/**
 * The rules of the remembered callers, apart from Redis: what is kept, for how long, for which
 * credential, and what empties it. The hub here is a stand-in that says whether the instance hears
 * announcements and delivers them on demand; auth-cache.test.ts runs the same cache on real Redis.
 */
import { describe, expect, it } from 'vitest';
import type { ActivityHub, HubListener } from '~/server/activity/hub';
import { announceAccessChanges, createAuthCache } from '~/server/auth/auth-cache';
import type { Activity } from '~/server/activity/schema';
import type { Principal } from '~/server/identity/schema';
import { adminAccount, viewerAccount } from '../../support/principals';

function standInHub(listening = true) {
  const watchers: HubListener[] = [];
  let readyCalls = 0;
  const hub = {
    watch: (l: HubListener) => void watchers.push(l),
    listening: () => listening,
    ready: async () => void (readyCalls += 1),
  } as unknown as ActivityHub;
  return {
    hub,
    deliver: (a: Activity) => watchers.forEach((w) => w.deliver(a)),
    reset: () => watchers.forEach((w) => w.reset()),
    readyCalls: () => readyCalls,
    setListening: (v: boolean) => (listening = v),
  };
}

/** An authenticate that answers per Authorization header and counts its lookups. */
function lookups(answers: Record<string, Principal | null> = { 'Bearer a': adminAccount, 'Bearer b': viewerAccount, 'Bearer c': adminAccount }) {
  let count = 0;
  let gate: Promise<void> | null = null;
  return {
    authenticate: async (h: Headers) => {
      count += 1;
      await gate;
      return answers[h.get('authorization') ?? ''] ?? (h.get('cookie') ? viewerAccount : null);
    },
    count: () => count,
    hold: () => {
      let open!: () => void;
      gate = new Promise((r) => (open = r));
      return () => {
        gate = null;
        open();
      };
    },
  };
}

const bearer = (t: string) => new Headers({ authorization: `Bearer ${t}` });

describe('remembered callers (the rules)', () => {
  it('remembers a known caller until AUTH_CACHE_MS has passed, then looks it up again', async () => {
    let clock = 1_000;
    const l = lookups();
    const cache = createAuthCache({ authenticate: l.authenticate, hub: standInHub().hub, ttlMs: 500, now: () => clock });
    expect(await cache.authenticate(bearer('a'))).toBe(adminAccount);
    clock += 499;
    expect(await cache.authenticate(bearer('a'))).toBe(adminAccount);
    expect(l.count()).toBe(1);
    clock += 1;
    await cache.authenticate(bearer('a'));
    expect(l.count()).toBe(2);
  });

  it('keeps each credential apart (the header and the cookie), and never an unknown one', async () => {
    const l = lookups();
    const cache = createAuthCache({ authenticate: l.authenticate, hub: standInHub().hub, ttlMs: 60_000 });
    expect(await cache.authenticate(bearer('a'))).toBe(adminAccount);
    expect(await cache.authenticate(bearer('b'))).toBe(viewerAccount);
    expect(await cache.authenticate(new Headers({ cookie: 'cache_admin_session=s1' }))).toBe(viewerAccount);
    expect(await cache.authenticate(bearer('nobody'))).toBeNull();
    expect(await cache.authenticate(bearer('nobody'))).toBeNull();
    expect(cache.size()).toBe(3);
    expect(l.count()).toBe(5);
  });

  it('answers a request without any credential with nobody, looking nothing up', async () => {
    const l = lookups();
    const cache = createAuthCache({ authenticate: l.authenticate, hub: standInHub().hub, ttlMs: 60_000 });
    expect(await cache.authenticate(new Headers())).toBeNull();
    expect(l.count()).toBe(0);
  });

  it('with AUTH_CACHE_MS=0 looks every caller up', async () => {
    const l = lookups();
    const cache = createAuthCache({ authenticate: l.authenticate, hub: standInHub().hub, ttlMs: 0 });
    await cache.authenticate(bearer('a'));
    await cache.authenticate(bearer('a'));
    expect(l.count()).toBe(2);
    expect(cache.size()).toBe(0);
  });

  it('keeps nothing while the instance cannot hear announcements, and asks the hub to listen; once it hears, keeps', async () => {
    const hub = standInHub(false);
    const l = lookups();
    const cache = createAuthCache({ authenticate: l.authenticate, hub: hub.hub, ttlMs: 60_000 });
    await cache.authenticate(bearer('a'));
    expect(cache.size()).toBe(0);
    expect(hub.readyCalls()).toBe(1);
    hub.setListening(true);
    await cache.authenticate(bearer('a'));
    await cache.authenticate(bearer('a'));
    expect(cache.size()).toBe(1);
    expect(hub.readyCalls()).toBe(1);
    expect(l.count()).toBe(2);
  });

  it('an access announcement or a reconnect empties it; other activity does not', async () => {
    const hub = standInHub();
    const cache = createAuthCache({ authenticate: lookups().authenticate, hub: hub.hub, ttlMs: 60_000 });
    await cache.authenticate(bearer('a'));
    hub.deliver({ kind: 'schedules', at: 1 });
    expect(cache.size()).toBe(1);
    hub.deliver({ kind: 'access', at: 2 });
    expect(cache.size()).toBe(0);
    await cache.authenticate(bearer('a'));
    hub.reset();
    expect(cache.size()).toBe(0);
  });

  it('a lookup that an announcement overtook is answered but not kept (it may predate the revocation)', async () => {
    const hub = standInHub();
    const l = lookups();
    const cache = createAuthCache({ authenticate: l.authenticate, hub: hub.hub, ttlMs: 60_000 });
    const release = l.hold();
    const pending = cache.authenticate(bearer('a'));
    hub.deliver({ kind: 'access', at: 1 });
    release();
    expect(await pending).toBe(adminAccount);
    expect(cache.size()).toBe(0);
  });

  it('holds at most maxEntries, dropping the oldest', async () => {
    const l = lookups();
    const cache = createAuthCache({ authenticate: l.authenticate, hub: standInHub().hub, ttlMs: 60_000, maxEntries: 2 });
    for (const t of ['a', 'b', 'c']) await cache.authenticate(bearer(t));
    expect(cache.size()).toBe(2);
    await cache.authenticate(bearer('c'));
    await cache.authenticate(bearer('b'));
    expect(l.count()).toBe(3);
    await cache.authenticate(bearer('a'));
    expect(l.count()).toBe(4);
  });

  it('announces after every change that may end a credential, even one that fails, and after nothing else', async () => {
    let announced = 0;
    const calls: string[] = [];
    const method = (name: string, fail = false) => async () => {
      calls.push(name);
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
    const access = {
      setDisabled: method('setDisabled'),
      revokeToken: method('revokeToken', true),
      signOutEverywhere: method('signOutEverywhere'),
      signOut: method('signOut'),
      changePassword: method('changePassword'),
      listTokens: method('listTokens'),
    };
    const wrapped = announceAccessChanges(access, () => (announced += 1));
    expect(await wrapped.setDisabled()).toBe('setDisabled');
    await expect(wrapped.revokeToken()).rejects.toThrow('revokeToken failed');
    await wrapped.signOutEverywhere();
    await wrapped.signOut();
    await wrapped.changePassword();
    expect(announced).toBe(5);
    await wrapped.listTokens();
    expect(announced).toBe(5);
    expect(calls).toEqual(['setDisabled', 'revokeToken', 'signOutEverywhere', 'signOut', 'changePassword', 'listTokens']);
  });
});
