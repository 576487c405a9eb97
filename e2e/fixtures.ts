/**
 * Constants shared by the Playwright config, the tests and scripts/e2e-server.ts (which imports
 * this file, so it must not import @playwright/test). Ports are fixed: the config is loaded in
 * several processes, which must agree without talking to each other.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3217);
export const CONTROL_PORT = Number(process.env.E2E_CONTROL_PORT ?? 3218);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const CONTROL_URL = `http://127.0.0.1:${CONTROL_PORT}`;

/** At least 24 characters, as server/env.ts requires. */
export const ADMIN_TOKEN = process.env.E2E_ADMIN_TOKEN ?? 'e2e-admin-token-0123456789abcdef';

/**
 * The e2e server's APP_ENVIRONMENT: a production name, so every "Invalidate all" of the suite goes
 * through the typed confirmation (helpers.ts `typeEnvironment`).
 */
export const APP_ENVIRONMENT = process.env.E2E_APP_ENVIRONMENT ?? 'production-e2e';

/** The seeded providers: every bundled catalog file (the e2e server seeds them all). */
export const SEEDED_PROVIDERS = readdirSync(path.join(process.cwd(), 'data', 'catalog'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => path.basename(f, '.json'))
  .sort();

/**
 * The provider the e2e server points at its loopback OpenAI-compatible source (PROVIDER_SOURCES),
 * whose answers tests set through the control API: the refresh and schedule tests use it.
 */
export const SOURCE_PROVIDER = 'together';

/**
 * Single sign-on: scripts/e2e-server.ts starts a real identity provider (oidc-provider on loopback,
 * tests/support/oidc-idp.ts) with this client registered, and the app signs in through it with the
 * button "Sign in with <OIDC_NAME>". Its people and their groups: tests/support/oidc-idp.ts PEOPLE.
 */
export const OIDC_NAME = 'Test IdP';
export const OIDC_CLIENT = { clientId: 'catalog-panel-e2e', clientSecret: 'e2e-oidc-client-secret-0123456789' };
export const OIDC_GROUPS = { admin: 'panel-admins', operator: 'panel-operators', viewer: 'panel-viewers' };
