/**
 * Exchanges the admin token for a session cookie (httpOnly, SameSite=Strict). The login form posts
 * here; scripts keep using the Bearer header instead.
 */
// @ts-nocheck

import { tokenMatches } from '~/server/auth/token';
import { sessionCookie } from '~/server/auth/cookie';
import { errorResponse, json } from '~/server/http/respond';
import { getServices } from '~/server/services';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function POST(req: Request) {
  try {
    const form = req.headers.get('content-type')?.includes('application/json')
      ? ((await req.json()) as { token?: unknown; next?: unknown })
      : Object.fromEntries(await req.formData());
    const token = typeof form.token === 'string' ? form.token : '';
    const next = typeof form.next === 'string' && /^\/(?!\/)[\w\-/?=&.%]*$/.test(form.next) ? form.next : '/';
    const { env, sessions } = getServices();
    if (!tokenMatches(token, env.ADMIN_TOKEN)) {
      return redirect(`/login?error=invalid&next=${encodeURIComponent(next)}`);
    }
    const id = await sessions.create();
    // Secure whenever the admin came over HTTPS, directly or through a proxy that says so.
    const https = new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
    return redirect(next, sessionCookie(id, sessions.ttlSeconds, env.COOKIE_SECURE || https));
  } catch (err) {
    return errorResponse(err);
  }
}

function redirect(location: string, cookie?: string): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  if (cookie) headers.append('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}

export function GET() {
  return json({ error: 'POST the token to log in' }, 405, { allow: 'POST' });
}
