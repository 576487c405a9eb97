/** Small pieces shared by the sign-in, sign-out and password forms. */
import 'server-only';
import { DomainError } from '~/server/lib/errors';
import { FORM_LIMIT_BYTES, readBody } from './body';

/** A form or JSON body as string fields (anything else, like a nested object, is dropped). */
export async function readFields(req: Request): Promise<Record<string, string>> {
  const text = new TextDecoder().decode(await readBody(req, FORM_LIMIT_BYTES));
  let entries: [string, unknown][];
  if (req.headers.get('content-type')?.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text || '{}');
    } catch {
      throw new DomainError('BAD_REQUEST', 'The body is not valid JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new DomainError('BAD_REQUEST', 'The body must be a JSON object');
    entries = Object.entries(parsed);
  } else {
    entries = [...new URLSearchParams(text)];
  }
  // A null-prototype object: "__proto__" or "constructor" in a form are just unused fields.
  const fields: Record<string, string> = Object.create(null);
  for (const [key, value] of entries) if (typeof value === 'string') fields[key] = value;
  return fields;
}

export const wantsJson = (req: Request) => Boolean(req.headers.get('content-type')?.includes('application/json'));

/** Where to go after signing in: a path on this site only (never `//evil.example`). */
export const safeNext = (next: string | undefined) => (next && /^\/(?!\/)[\w\-/?=&.%]*$/.test(next) ? next : '/');

/** Secure whenever the person came over HTTPS, directly or through a proxy that says so. */
export const cameOverHttps = (req: Request) =>
  new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';

export function redirect(location: string, cookie?: string, extra: Record<string, string> = {}): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store', ...extra });
  if (cookie) headers.append('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}
