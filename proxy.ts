/**
 * Per-request Content Security Policy with a fresh nonce (https://nextjs.org/docs/app/guides/content-security-policy).
 * Next reads the policy from the request header and puts the nonce on its own scripts; the browser
 * gets the same policy on the response. No 'unsafe-inline' for scripts: an injected <script> without
 * this request's nonce does not run. Styles allow inline `style` attributes (progress bars, charts),
 * which cannot carry nonces.
 *
 * This proxy only sets headers. It is never an authorization check: every page, procedure and
 * route checks the caller itself (a proxy can be skipped, as CVE-2025-29927 showed).
 */
import { NextResponse, type NextRequest } from 'next/server';

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts loaded by a nonced script may load others (Next's chunks); dev needs eval for fast refresh.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const policy = contentSecurityPolicy(nonce, process.env.NODE_ENV === 'development');
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  // Pages only: API answers (and the old path, /admin/invalidate-cache) are JSON (next.config.js gives them a deny-all policy), static files need none.
  matcher: [
    {
      source: '/((?!api/|admin/invalidate-cache|_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
