/**
 * The environment this panel acts on (APP_ENVIRONMENT), as pages show it. Shared with the browser:
 * the header and the invalidate dialog read it, and "production" is decided here once.
 */

export interface AppEnvironment {
  /** As configured: "production-eu", "staging". */
  name: string;
  /** The name starts with "prod" (any case): shown in red; "Invalidate all" asks for the name. */
  production: boolean;
}

export function appEnvironment(name: string | undefined): AppEnvironment | null {
  const trimmed = name?.trim();
  if (!trimmed) return null;
  return { name: trimmed, production: /^prod/i.test(trimmed) };
}
