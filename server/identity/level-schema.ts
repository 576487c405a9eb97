/**
 * Roles and levels without zod, so the browser can ask what a viewer may do without shipping zod
 * (the panel's header, rows and pages import these; `schema.ts` builds its zod schemas on them).
 */

/** `viewer` reads; `operator` also previews, invalidates and refreshes; `admin` also manages access, schedules and policy. In rank order. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a procedure or route requires; `public` needs nobody. */
export type Level = 'public' | Role;
const rank: Record<Level, number> = { public: 0, viewer: 1, operator: 2, admin: 3 };
export const allows = (role: Role | null, level: Level) => rank[role ?? 'public'] >= rank[level];

/** Whether a credential with `scope` (null or absent: every provider) may act on `provider`: what the panel offers. */
export const inScope = (scope: readonly string[] | null | undefined, provider: string) => !scope || scope.includes(provider);
