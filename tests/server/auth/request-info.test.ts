/** Where a request comes from: the address the limits key on, and whether its Origin is ours. */
import { describe, expect, it } from 'vitest';
import { clientAddress, isSameOrigin, requestInfo } from '~/server/auth/request-info';

const h = (init: Record<string, string>) => new Headers(init);

describe('request info', () => {
  it('takes the client address from the last X-Forwarded-For hop, and bounds it', () => {
    expect(clientAddress(h({ 'x-forwarded-for': '203.0.113.9' }))).toBe('203.0.113.9');
    expect(clientAddress(h({ 'x-forwarded-for': '1.2.3.4, 10.0.0.1, 198.51.100.2' }))).toBe('198.51.100.2');
    expect(clientAddress(h({}))).toBe('unknown');
    expect(clientAddress(h({ 'x-forwarded-for': 'x'.repeat(500) }))).toBe('unknown');
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
    expect(requestInfo(h({ cookie }), undefined).hasSessionCookie).toBe(true);
    expect(requestInfo(h({ cookie, authorization: 'Bearer x' }), undefined).hasSessionCookie).toBe(false);
    expect(requestInfo(h({ cookie: 'other=1' }), undefined).hasSessionCookie).toBe(false);
  });
});
