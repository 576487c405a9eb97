/**
 * The one redaction of URLs for everything that leaves the server: HTTP answers, job records and
 * events, webhook bodies and deliveries, the log. A configured URL may carry a credential in its
 * userinfo (`user:password@`) or its query (`?api_key=…`), and Node's fetch quotes the whole URL in
 * its errors ("Request cannot be constructed from a URL that includes credentials: https://…").
 * So a URL is shown as scheme, host and path only, wherever it appears in a text, causes included.
 * Pure; imports nothing (env.ts checks configured URLs with it at start-up too).
 */

/** `https://user:pw@host:8443/v1/models?api_key=…#x` → `https://host:8443/v1/models`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'a configured URL';
  }
}

// Anything that starts like a URL up to whitespace or a quote; a closing bracket or full stop after
// it is punctuation of the sentence, not part of the URL.
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]*[^\s"'<>`).,;:\]]/gi;

/** Every URL in a text, redacted (the rest of the text unchanged). */
export function redactText(text: string): string {
  return text.replace(URL_IN_TEXT, redactUrl);
}

/**
 * An error in words with its causes (fetch's own message is only "fetch failed"; the reason is in
 * its cause), redacted: `fetch failed: connect ECONNREFUSED 127.0.0.1:9`.
 */
export function errorText(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const e = current as { message?: unknown; code?: unknown; cause?: unknown };
    const text = current instanceof Error || typeof e.message === 'string' ? String(e.message || e.code || '') : String(current);
    if (text && !parts.includes(text)) parts.push(text);
    current = typeof current === 'object' ? e.cause : undefined;
  }
  return redactText(parts.join(': ') || 'unknown error');
}

/**
 * The error to throw on in place of one that may quote a URL: the same name (so a TimeoutError or
 * AbortError stays one to whoever checks), the message of `errorText`, and no cause or stack of
 * the original (a logger would print them).
 */
export function redactedError(err: unknown): Error {
  const safe = new Error(errorText(err));
  if (err instanceof Error) safe.name = err.name;
  return safe;
}

/** Query parameter names that carry a credential by their name alone. */
const SECRET_PARAM = /^(?:auth|authorization|credentials?|key|pass|passwd|password|pwd|secret|sig|signature|token|(?:.*[-_])?(?:api[-_]?key|apikey|key|password|secret|signature|token))$/i;

/**
 * What in a configured URL is a credential: `user:password@` (Node's fetch refuses it, quoting the
 * URL) and query parameters whose name says secret (`api_key`, `token`, `access_token`, `key`…).
 * Other parameters (`api-version=2024-02-01`, `format=json`) are fine.
 */
export function urlCredentials(url: string): { userinfo: boolean; secretParams: string[] } {
  try {
    const u = new URL(url);
    return { userinfo: Boolean(u.username || u.password), secretParams: [...new Set([...u.searchParams.keys()].filter((name) => SECRET_PARAM.test(name)))] };
  } catch {
    // Not a URL at all: say nothing here; the URL check itself refuses it.
    return { userinfo: false, secretParams: [] };
  }
}
