/**
 * Single sign-on's settings and its one pure rule: which role a person's claim values give. Shared
 * by the domain and the tests (no server-only import).
 */
import type { Role } from '~/server/identity/schema';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** `<APP_ORIGIN>/api/auth/oidc/callback`: what the identity provider has registered. */
  redirectUri: string;
  /** The claim whose values decide the role (`groups` by default). */
  roleClaim: string;
  groups: Record<Role, readonly string[]>;
}

/** Reads a claim as a list of strings: an array of strings, or one string (some IdPs send one role so). */
export function claimValues(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return null;
}

/** The highest role any of the person's values gives, or null when none of the configured groups is among them. */
export function roleFromClaim(values: readonly string[], groups: OidcSettings['groups']): Role | null {
  for (const role of ['admin', 'operator', 'viewer'] as const) if (groups[role].some((g) => values.includes(g))) return role;
  return null;
}
