// @ts-nocheck
import { readCookie } from '~/server/auth/authenticate';
import { sessionCookie } from '~/server/auth/cookie';
import { SESSION_COOKIE } from '~/server/auth/sessions';
import { errorResponse } from '~/server/http/respond';
import { getServices } from '~/server/services';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function POST(req: Request) {
  try {
    const { sessions, env } = getServices();
    await sessions.destroy(readCookie(req.headers.get('cookie'), SESSION_COOKIE));
    const headers = new Headers({ location: '/login', 'cache-control': 'no-store' });
    headers.append('set-cookie', sessionCookie('', 0, env.COOKIE_SECURE));
    return new Response(null, { status: 303, headers });
  } catch (err) {
    return errorResponse(err);
  }
}
