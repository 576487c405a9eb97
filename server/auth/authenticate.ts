/**
 * Who is calling: an admin with `Authorization: Bearer <ADMIN_TOKEN>`, an admin with a session
 * cookie from the login page, or nobody.
 */
import type { Actor } from '~/server/invalidation/schema';
import { SESSION_COOKIE, type SessionStore } from './sessions';
import { hashToken, tokenMatches } from './token';

export interface AuthDeps {
  adminToken: string;
  sessions: SessionStore;
}

export async function authenticate(headers: Headers, deps: AuthDeps): Promise<Actor | null> {
  const authorization = headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match?.[1] && tokenMatches(match[1], deps.adminToken) ? { kind: 'token', label: 'admin (API token)' } : null;
  }
  const session = readCookie(headers.get('cookie'), SESSION_COOKIE);
  if (session && (await deps.sessions.valid(session))) {
    return { kind: 'session', label: `admin (session ${hashToken(session).slice(0, 8)})` };
  }
  return null;
}

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}
