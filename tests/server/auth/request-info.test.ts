/** Where a request comes from: the address the limits key on, and whether its Origin is ours. */
import { describe, expect, it } from 'vitest';
import { clientAddress, isSameOrigin, requestInfo } from '~/server/auth/request-info';
import { parseTrustedProxies, type TrustedProxies } from '~/server/env';

const h = (init: Record<string, string>) => new Headers(init);

describe('request info', () => {
  const trust = (text: string) => parseTrustedProxies(text) as TrustedProxies;
  const addr = (xff: string | null, t: TrustedProxies = null) => clientAddress(h(xff === null ? {} : { 'x-forwarded-for': xff }), t);

  it('with no trusted proxy, believes no X-Forwarded-For: every claim shares one budget, kept only as a claim', () => {
    for (const xff of ['203.0.113.9', '1.2.3.4, 198.51.100.2', null, 'x'.repeat(500)]) expect(addr(xff).address).toBe('untrusted');
    expect(addr('1.2.3.4, 198.51.100.2')).toEqual({ address: 'untrusted', trusted: false, claimed: '198.51.100.2' });
    expect(addr(null).claimed).toBeNull();
  });

  it('with a hop count, the n-th entry from the right is the client; a header too short or not an address is not believed', () => {
    expect(addr('203.0.113.9', trust('1'))).toEqual({ address: '203.0.113.9', trusted: true, claimed: null });
    expect(addr('6.6.6.6, 203.0.113.9', trust('1')).address).toBe('203.0.113.9'); // the client's own words, left of our proxy's, are ignored
    expect(addr('6.6.6.6, 203.0.113.9, 10.0.0.2', trust('2')).address).toBe('203.0.113.9');
    expect(addr('10.0.0.2', trust('2')).address).toBe('untrusted');
    expect(addr(null, trust('1')).address).toBe('untrusted');
    expect(addr('not-an-ip', trust('1')).address).toBe('untrusted');
    expect(addr('2001:db8::5', trust('1')).address).toBe('2001:db8::5');
  });

  it('with CIDRs, skips our proxies from the right and takes the first address outside them', () => {
    const ours = trust('10.0.0.0/8, 192.168.1.7, fd00::/8');
    expect(addr('6.6.6.6, 203.0.113.9, 10.1.2.3', ours).address).toBe('203.0.113.9');
    expect(addr('203.0.113.9, 192.168.1.7, 10.9.9.9', ours).address).toBe('203.0.113.9');
    expect(addr('198.51.100.4, fd00::1', ours).address).toBe('198.51.100.4');
    expect(addr('10.0.0.5, 10.0.0.6', ours).address).toBe('10.0.0.5'); // all ours: the request started inside
    expect(addr('6.6.6.6, garbage, 10.0.0.1', ours).address).toBe('untrusted'); // the first outside entry is not an address
    expect(addr('192.168.1.8', ours).address).toBe('192.168.1.8'); // a /32 is exactly one address
    expect(addr(null, ours).address).toBe('untrusted');
  });

  it('TRUSTED_PROXIES parses none, hop counts and CIDR lists, and names what is wrong', () => {
    expect(parseTrustedProxies('')).toBeNull();
    expect(parseTrustedProxies('none')).toBeNull();
    expect(parseTrustedProxies(' 2 ')).toEqual({ hops: 2 });
    expect(parseTrustedProxies('10.0.0.0/8,::1')).toEqual({
      cidrs: [
        { address: '10.0.0.0', prefix: 8, family: 'ipv4' },
        { address: '::1', prefix: 128, family: 'ipv6' },
      ],
    });
    for (const bad of ['0', '11', '10.0.0.0/33', 'example.com', '10.0.0.0/x', '1.2.3.4,']) expect(parseTrustedProxies(bad)).toEqual(expect.stringContaining('TRUSTED_PROXIES'));
  });

  it('the audit shows the believed address, or the claim marked unverified; limits key on the believed one only', () => {
    const none = { appOrigin: undefined, trustedProxies: null };
    expect(requestInfo(h({ 'x-forwarded-for': '203.0.113.9' }), none)).toMatchObject({ address: 'unverified 203.0.113.9', limitAddress: 'untrusted' });
    expect(requestInfo(h({}), none)).toMatchObject({ address: 'untrusted', limitAddress: 'untrusted' });
    const one = { appOrigin: undefined, trustedProxies: trust('1') };
    expect(requestInfo(h({ 'x-forwarded-for': '203.0.113.9' }), one)).toMatchObject({ address: '203.0.113.9', limitAddress: '203.0.113.9' });
  });

  it('same origin: Origin names the Host (or X-Forwarded-Host, or APP_ORIGIN when set), nothing else', () => {
    expect(isSameOrigin(h({ origin: 'http://admin.test:3000', host: 'admin.test:3000' }), undefined)).toBe(true);
    expect(isSameOrigin(h({ origin: 'https://admin.example', host: 'internal:3000', 'x-forwarded-host': 'admin.example' }), undefined)).toBe(true);
    for (const origin of ['https://evil.example', 'null', 'http://admin.test:3000.evil.example', 'not a url']) {
      expect(isSameOrigin(h({ origin, host: 'admin.test:3000' }), undefined)).toBe(false);
    }
    expect(isSameOrigin(h({ host: 'admin.test:3000' }), undefined)).toBe(false); // no Origin at all
    expect(isSameOrigin(h({ origin: 'https://admin.example', host: 'admin.example' }), 'https://panel.example')).toBe(false);
    expect(isSameOrigin(h({ origin: 'https://panel.example', host: 'internal' }), 'https://panel.example')).toBe(true);
  });

  it('a request authenticated by a Bearer header is not a cookie request, even with the cookie', () => {
    const cookie = 'catalog_admin_session=abc';
    const policy = { appOrigin: undefined, trustedProxies: null };
    expect(requestInfo(h({ cookie }), policy).hasSessionCookie).toBe(true);
    expect(requestInfo(h({ cookie, authorization: 'Bearer x' }), policy).hasSessionCookie).toBe(false);
    expect(requestInfo(h({ cookie: 'other=1' }), policy).hasSessionCookie).toBe(false);
  });
});
