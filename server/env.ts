/**
 * The one zod-validated view of the environment. Nothing else reads `process.env` (scripts aside),
 * and it is read lazily: `next build` imports modules without the runtime secrets.
 */
import 'server-only';
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseTemplates } from '~/server/layout/key-templates';
import { urlCredentials } from '~/server/lib/redact';

const prefix = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]+:$/, 'must be letters, digits, "_", "-", "." or ":" ending in ":" (e.g. "catalog:" or "gw:catalog:")');

const clusterNodes = (name: string) =>
  z
    .string()
    .regex(/^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/, `${name} must be host:port[,host:port…] (e.g. 127.0.0.1:7101,127.0.0.1:7102)`)
    .optional();

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * The sections of docs/configuration.md, in its order. That page is generated from this schema
 * (`npm run docs:config`, scripts/lib/config-doc.ts) and a test fails when it differs, so each
 * variable's description below is the documentation: write it for the person who sets it.
 */
export const envGroups = {
  redis: 'Redis',
  catalog: 'Keys and the catalog',
  jobs: 'Invalidation jobs',
  schedules: 'Scheduled refreshes',
  instances: 'Instances and the process tier',
  access: 'Access and sign-in',
  sso: 'Single sign-on (OIDC)',
  limits: 'Limits',
  audit: 'Audit trail',
  ops: 'Logs and metrics',
  webhooks: 'Webhooks',
} as const;

/** What docs/configuration.md says about a variable; `shownDefault` and `format` replace what the schema would show (a computed default, a regex). */
type VariableDoc = { group: keyof typeof envGroups; description: string; shownDefault?: string; format?: string };
const doc = <T extends z.ZodType>(schema: T, meta: VariableDoc): T => schema.meta(meta);

const redisUrl = (name: string) => z.url({ protocol: /^rediss?$/, error: `${name} must be a redis:// or rediss:// URL` });
const redisUrlFormat = '`redis://` or `rediss://` URL';
const tokenFormat = 'at least 24 characters';

/** Every variable the app reads, with its default, its bounds and what it means. */
export const envVariables = z.object({
  // Redis
  REDIS_URL: doc(redisUrl('REDIS_URL').default('redis://127.0.0.1:6379'), {
    group: 'redis', format: redisUrlFormat,
    description: 'Admin data (jobs, events, history, sessions, accounts, audit), and the catalog unless `CATALOG_REDIS_URL` says otherwise.',
  }),
  CATALOG_REDIS_URL: doc(redisUrl('CATALOG_REDIS_URL').optional(), {
    group: 'redis', format: redisUrlFormat, shownDefault: '`REDIS_URL`',
    description: 'Where the catalog lives, when not beside the admin data (jobs, events, history, sessions).',
  }),
  REDIS_CLUSTER_NODES: doc(clusterNodes('REDIS_CLUSTER_NODES'), {
    group: 'redis', format: '`host:port[,host:port…]`',
    description: 'A Redis Cluster: admin data and the catalog go there (it replaces `REDIS_URL`); `npm start` then starts no Redis of its own. See [Fitting your gateway](fitting-your-gateway.md#redis-cluster).',
  }),
  CATALOG_REDIS_CLUSTER_NODES: doc(clusterNodes('CATALOG_REDIS_CLUSTER_NODES'), {
    group: 'redis', format: '`host:port[,host:port…]`', shownDefault: '`REDIS_CLUSTER_NODES`',
    description: 'The catalog on a cluster of its own (replaces `CATALOG_REDIS_URL`).',
  }),

  // Keys and the catalog
  CATALOG_PREFIX: doc(prefix.default('catalog:'), {
    group: 'catalog', format: 'letters, digits, `_ - . :`, ending in `:`',
    description: "Every catalog key starts with it (with a custom layout, this app's fences and leases still live under it).",
  }),
  ADMIN_PREFIX: doc(prefix.default('cacheadmin:'), {
    group: 'catalog', format: 'letters, digits, `_ - . :`, ending in `:`',
    description: 'Every admin key (jobs, sessions, audit, instances…) starts with it; must not overlap `CATALOG_PREFIX`, or an invalidation could reach admin data.',
  }),
  CATALOG_KEYS: doc(z.string().optional(), {
    group: 'catalog', format: 'JSON object of key templates', shownDefault: "this project's layout",
    description: "A gateway's own key layout: `$provider` and `$model` placeholders, checked at start-up with every problem named. See [Fitting your gateway](fitting-your-gateway.md#its-key-layout).",
  }),
  CATALOG_TTL_SECONDS: doc(int(3600, 1, 30 * 86400), { group: 'catalog', description: 'TTL of rebuilt catalog keys (±10 % jitter).' }),
  PROVIDER_SOURCES: doc(
    z
      .string()
      .optional()
      .superRefine((text, ctx) => {
        for (const { path, message } of providerSourcesUrlProblems(text)) ctx.addIssue({ code: 'custom', path, message });
      }),
    {
      group: 'catalog', format: 'JSON object',
      description: 'Points a provider (bundled or new) at an OpenAI-compatible `GET /v1/models`: `{"groq": {"url": "https://api.groq.com/openai/v1/models", "apiKeyEnv": "GROQ_API_KEY"}}`; the key is read from the variable `apiKeyEnv` names (sent as `Authorization: Bearer`), or `"headersEnv": {"x-api-key": "ACME_API_KEY"}` for another header. A URL carrying `user:password` or a key-named query parameter is refused at start-up. Unset: the bundled catalogs of `data/catalog/`.',
    },
  ),
  REBUILD_LEASE_MS: doc(int(5000, 100, 120_000), { group: 'catalog', description: "A catalog rebuild's lease: how long a crashed rebuilder can hold up the readers waiting on it." }),
  REBUILD_WAIT_MS: doc(int(5000, 100, 120_000), {
    group: 'catalog',
    description: "How long a reader waits for another's rebuild before fetching from the source itself (fenced too). At least 100: 0 would make every reader fetch, the stampede again.",
  }),
  CATALOG_GUARD: doc(z.enum(['on', 'off']).default('on'), {
    group: 'catalog',
    description: 'The catalog guard ([Catalog guard](catalog-guard.md)): every catalog this app writes from a source is checked against the last published one, and held for an admin when it breaks a `hold` rule of the policy. `off`: published as fetched (verified only).',
  }),
  CATALOG_HISTORY_DAYS: doc(int(90, 1, 3650), {
    group: 'catalog',
    description: "How long the catalog's own history keeps a published change (the Changes page, `catalog.changes`): older entries are trimmed at each provider's next publication and never shown.",
  }),

  // Invalidation jobs
  INVALIDATION_BATCH_KEYS: doc(int(5000, 1, 1_000_000), {
    group: 'jobs',
    description: "Keys per MULTI round trip (bounds one batch's memory, and how long Redis blocks other clients on it; 1000 favours a gateway's tail latency over the rare giant job). Per-model keys go in chunks of `min(this, 5000)`.",
  }),
  REFRESH_TIMEOUT_MS: doc(int(10_000, 100, 120_000), { group: 'jobs', description: "How long refresh-and-verify waits for one provider's source before failing it (its last good copy stays)." }),
  JOB_CONCURRENCY: doc(int(4, 1, 64), { group: 'jobs', description: 'Jobs running at once per instance.' }),
  JOB_QUEUE_LIMIT: doc(int(200, 1, 100_000), { group: 'jobs', description: 'Jobs waiting per instance; past it a new request is 429.' }),
  EVENTS_MAXLEN: doc(int(1000, 20, 100_000), { group: 'jobs', description: "Cap of each job's event stream." }),
  HISTORY_RETENTION_DAYS: doc(int(30, 1, 3650), { group: 'jobs', description: 'Finished jobs and their events expire after this.' }),
  COALESCE_WINDOW_MS: doc(int(250, 0, 10_000), {
    group: 'jobs',
    description: 'A repeat of a job that sent its deletions less than this ago waits out the rest of it, and further repeats join it: a burst of identical requests makes at most 2 jobs. 0: never waits.',
  }),
  JOB_LEASE_MS: doc(int(10_000, 200, 600_000), { group: 'jobs', description: "A running job's lease: a crashed instance's jobs are taken over within 1.5 × this." }),
  SHUTDOWN_GRACE_MS: doc(int(8000, 0, 60_000), { group: 'jobs', description: 'On SIGTERM, how long running jobs may take to finish before their leases are handed over.' }),

  // Scheduled refreshes
  SCHEDULE_TICK_MS: doc(int(5_000, 20, 60_000), { group: 'schedules', description: 'How often each instance looks for due scheduled refreshes (a run fires at most this late).' }),
  SCHEDULE_CLAIM_MS: doc(int(30_000, 200, 600_000), {
    group: 'schedules',
    description: "How long an instance's claim on a due schedule holds: if it dies before starting the run, another instance fires it after this.",
  }),
  SCHEDULE_MIN_INTERVAL_SECONDS: doc(int(60, 1, 86_400), { group: 'schedules', description: 'The shortest period a schedule may have, interval or cron, so a typo cannot hammer a provider\'s API.' }),
  SCHEDULES_MAX: doc(int(100, 1, 10_000), { group: 'schedules', description: 'Schedules that may exist at once.' }),

  // Instances and the process tier
  INSTANCE_HEARTBEAT_MS: doc(int(2000, 20, 60_000), {
    group: 'instances',
    description: 'How often an instance writes its heartbeat to the registry and PINGs its invalidation subscriber; must be below `INSTANCE_TTL_MS`. A silent subscriber stops counting as healthy after 2 × this.',
  }),
  INSTANCE_TTL_MS: doc(int(15_000, 100, 600_000), { group: 'instances', description: 'An instance counts as live (a job waits for its ack) while its heartbeat is younger than this.' }),
  INSTANCE_CONFIRM_TIMEOUT_MS: doc(int(5000, 10, 120_000), { group: 'instances', description: "How long a job waits for the live instances' acks before naming the missing ones (it completes anyway)." }),
  PROCESS_TIER_MAX_AGE_MS: doc(int(5000, 10, 600_000), {
    group: 'instances',
    description: 'The process tier (each instance\'s in-memory copies of catalogs): the oldest copy it serves, counted from when its read began. The staleness bound whatever else fails.',
  }),
  PROCESS_TIER_MAX_ENTRIES: doc(int(1000, 0, 1_000_000), { group: 'instances', description: 'Copies the process tier holds; 0 disables the tier.' }),
  PROCESS_TIER_MAX_BYTES: doc(int(64 * 1024 * 1024, 1024, 8 * 1024 * 1024 * 1024), {
    group: 'instances', shownDefault: '67108864 (64 MiB)',
    description: "The process tier's copies' total JSON size.",
  }),
  APP_VERSION: doc(z.string().min(1).optional(), {
    group: 'instances', format: 'text', shownDefault: '`npm_package_version`',
    description: 'The version this instance reports in the instance registry.',
  }),
  npm_package_version: doc(z.string().min(1).optional(), {
    group: 'instances', format: 'text', shownDefault: 'set by npm',
    description: 'Set by npm under `npm start`; the reported version when `APP_VERSION` is unset (else `unknown`).',
  }),

  // Access and sign-in
  ADMIN_TOKEN: doc(z.string({ error: 'ADMIN_TOKEN is required (scripts/start.sh generates one)' }).min(24, 'ADMIN_TOKEN must be at least 24 characters'), {
    group: 'access', format: tokenFormat, shownDefault: 'required; `npm start` generates one into `.data/admin-token`',
    description: "The bootstrap admin's bearer token, and its password at the sign-in form (no username). Changing it ends the old token's sessions and the API tokens it made.",
  }),
  SESSION_TTL_SECONDS: doc(int(12 * 3600, 60, 30 * 86400), { group: 'access', description: 'Browser session lifetime.' }),
  COOKIE_SECURE: doc(z.enum(['true', 'false']).default('false').transform((v) => v === 'true'), {
    group: 'access',
    description: 'Always mark the session cookie `Secure` (it already is when the sign-in came over HTTPS or with `X-Forwarded-Proto: https`).',
  }),
  APP_ORIGIN: doc(z.url({ protocol: /^https?$/, error: 'APP_ORIGIN must be an http(s) origin like https://admin.example.com' }).transform((u) => new URL(u).origin).optional(), {
    group: 'access', format: 'http(s) origin', shownDefault: "the request's `Host`",
    description: "The panel's own origin (`https://cache-admin.example.com`): state-changing requests that carry the session cookie must send it as `Origin`. Set it in production: without it `X-Forwarded-Host` decides.",
  }),
  AUTH_CACHE_MS: doc(int(5000, 0, 60_000), {
    group: 'access',
    description: 'How long an instance remembers who a credential is (0: look it up on every request); disabling, revoking, signing out and password changes reach every instance at once over the activity channel.',
  }),
  TRUSTED_PROXIES: doc(
    z
      .string()
      .default('')
      .transform((text, ctx) => {
        const parsed = parseTrustedProxies(text);
        if (typeof parsed === 'string') {
          ctx.addIssue({ code: 'custom', message: parsed });
          return z.NEVER;
        }
        return parsed;
      }),
    {
      group: 'access', format: 'empty, a hop count 1–10, or CIDRs', shownDefault: 'empty (none)',
      description:
        'Which `X-Forwarded-For` entries to believe: empty (none: every claim is ignored and all clients share one address budget), a hop count (`1`: one proxy of yours appends the address it saw), or CIDRs of your proxies (`10.0.0.0/8,fd00::/8`). Set it only if `next start` is reachable through those proxies alone. See [Security](security.md#client-addresses).',
    },
  ),
  PASSWORD_HASH_CONCURRENCY: doc(int(2, 1, 64), { group: 'access', description: 'Password hashes (scrypt) running at once per instance; beyond it and `PASSWORD_HASH_QUEUE`, a sign-in is 429 with `Retry-After: 1`.' }),
  PASSWORD_HASH_QUEUE: doc(int(8, 0, 1000), { group: 'access', description: 'Password hashes waiting per instance for one of the `PASSWORD_HASH_CONCURRENCY` slots.' }),
  SCRYPT_LOG2_N: doc(int(17, 15, 20), {
    group: 'access',
    description: "scrypt's cost N = 2^this (r=8, p=1): 17 is OWASP's minimum, 128 MB and about 0.3 s per hash on a small machine. Hashes made with less are redone at the next sign-in.",
  }),

  // Single sign-on (OIDC)
  OIDC_ISSUER: doc(z.url({ protocol: /^https?$/, error: 'OIDC_ISSUER must be the http(s) URL of your identity provider (its issuer, e.g. https://example.okta.com/oauth2/default)' }).optional(), {
    group: 'sso', format: 'https URL', shownDefault: 'none (single sign-on off)',
    description: "Your identity provider's issuer: its discovery document is read from `<issuer>/.well-known/openid-configuration`. Must be `https` (plain `http` only on a loopback address, for tests). Set it with `OIDC_CLIENT_ID` and `OIDC_CLIENT_SECRET`, or none of them. Register the redirect URI `<APP_ORIGIN>/api/auth/oidc/callback` there. See [Single sign-on](sso.md).",
  }),
  OIDC_CLIENT_ID: doc(z.string().min(1).max(512).optional(), { group: 'sso', format: 'text', shownDefault: 'none', description: "This app's client id at the identity provider." }),
  OIDC_CLIENT_SECRET: doc(z.string().min(1).max(1024).optional(), { group: 'sso', format: 'text', shownDefault: 'none', description: "This app's client secret at the identity provider (sent with HTTP Basic to its token endpoint)." }),
  OIDC_NAME: doc(z.string().trim().min(1).max(40).default('single sign-on'), {
    group: 'sso', format: 'text',
    description: 'The identity provider as the login page names it: the button reads "Sign in with <this>" (e.g. `Okta`).',
  }),
  OIDC_ROLE_CLAIM: doc(z.string().regex(/^[A-Za-z0-9_:/.-]{1,100}$/, 'OIDC_ROLE_CLAIM must be a claim name (letters, digits, _ : / . -)').default('groups'), {
    group: 'sso', format: 'claim name',
    description: 'The claim whose values decide the role, read from the ID token, else from the userinfo answer (a list of strings, or one string).',
  }),
  OIDC_ADMIN_GROUPS: doc(groupList('OIDC_ADMIN_GROUPS'), { group: 'sso', format: 'comma-separated values', shownDefault: 'none', description: 'Values of the role claim that make an admin.' }),
  OIDC_OPERATOR_GROUPS: doc(groupList('OIDC_OPERATOR_GROUPS'), { group: 'sso', format: 'comma-separated values', shownDefault: 'none', description: 'Values of the role claim that make an operator (when none makes an admin).' }),
  OIDC_VIEWER_GROUPS: doc(groupList('OIDC_VIEWER_GROUPS'), {
    group: 'sso', format: 'comma-separated values', shownDefault: 'none',
    description: 'Values of the role claim that make a viewer (when none makes more). A person with none of the three is refused, and the refusal audited.',
  }),
  LOCAL_SIGN_IN: doc(z.enum(['true', 'false']).default('true').transform((v) => v === 'true'), {
    group: 'sso',
    description: 'Whether the login page offers the username and password form (and the form accepts it). `false` needs single sign-on configured; `ADMIN_TOKEN` still works as `Authorization: Bearer` for scripts.',
  }),

  // Limits
  LOGIN_FAILURES_PER_ACCOUNT: doc(int(5, 1, 1000), {
    group: 'limits',
    description: 'Failed sign-ins allowed per username in `LOGIN_WINDOW_SECONDS`, then 429; wrong current passwords at the password form count too.',
  }),
  LOGIN_FAILURES_PER_ADDRESS: doc(int(20, 1, 100_000), { group: 'limits', description: 'Failed sign-ins allowed per client address in `LOGIN_WINDOW_SECONDS`, then 429 (see `TRUSTED_PROXIES`).' }),
  LOGIN_WINDOW_SECONDS: doc(int(900, 1, 86400), { group: 'limits', description: 'The window of the two sign-in limits above.' }),
  INVALIDATIONS_PER_ACTOR_PER_MINUTE: doc(int(60, 1, 100_000), { group: 'limits', description: 'New invalidation jobs per account or token per minute (a request that joins a pending job is free).' }),
  INVALIDATIONS_PER_MINUTE: doc(int(300, 1, 1_000_000), { group: 'limits', description: 'New invalidation jobs per minute in all.' }),
  STREAMS_PER_PRINCIPAL: doc(int(20, 1, 10_000), {
    group: 'limits',
    description: 'Live streams (activity feeds, job event streams) one principal may hold open on one instance; the next is refused (429).',
  }),
  STREAM_QUEUE_LIMIT: doc(int(1000, 10, 1_000_000), {
    group: 'limits',
    description: 'Events a live stream may have waiting for a client that does not read; past it the stream is dropped and the client resumes from its last id.',
  }),

  // Audit trail
  AUDIT_RETENTION_DAYS: doc(int(90, 1, 3650), { group: 'audit', description: 'Audit entries older than this are dropped.' }),
  AUDIT_MAXLEN: doc(int(100_000, 1000, 10_000_000), { group: 'audit', description: "Cap of each of the trail's two read streams: admins' actions, and every other signed-in caller's entries and checked sign-ins (neither can push the other's entries out)." }),
  AUDIT_ANONYMOUS_MAXLEN: doc(int(10_000, 100, 10_000_000), {
    group: 'audit',
    description: 'Cap of the separate stream of refusals nobody signed in caused (anonymous calls refused, throttled sign-ins, sign-outs without a session): a flood of them never pushes the trail out.',
  }),

  // Logs and metrics
  APP_ENVIRONMENT: doc(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 ._:-]{0,39}$/, 'APP_ENVIRONMENT must be a plain name of at most 40 letters, digits, spaces or "._:-" (e.g. production-eu)')
      .optional(),
    {
      group: 'ops', format: 'a plain name, at most 40 characters', shownDefault: 'none (nothing shown)',
      description:
        'Which environment this panel acts on (e.g. `production-eu`, `staging`), shown as it is in the header and the invalidate dialog. A name starting with `prod` marks production: shown in red, and "Invalidate all" asks the admin to type the name before Confirm.',
    },
  ),
  LOG_LEVEL: doc(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), {
    group: 'ops',
    description: 'Log lines at this level and above, JSON on stdout (`debug` adds `job started` and Redis connection errors).',
  }),
  LOG_PRETTY: doc(z.enum(['true', 'false']).default('false').transform((v) => v === 'true'), {
    group: 'ops', shownDefault: '`false` (`npm start`: `true` on a terminal)',
    description: 'Coloured lines for a person instead of JSON lines.',
  }),
  METRICS_TOKEN: doc(z.string().min(24, 'METRICS_TOKEN must be at least 24 characters').optional(), {
    group: 'ops', format: tokenFormat,
    description: "A bearer token that may read `GET /api/metrics` and nothing else (an admin's token may too).",
  }),

  // Webhooks
  WEBHOOK_URLS: doc(
    z
      .string()
      .default('')
      .transform((v, ctx) => {
        const urls = v.split(',').map((u) => u.trim()).filter(Boolean);
        for (const u of urls) {
          // Said without its query and user:password: this message is printed and logged.
          const shown = u.replace(/[?#].*$/, '').replace(/\/\/[^/]*@/, '//');
          if (!/^https?:\/\//.test(u) || !URL.canParse(u)) ctx.addIssue({ code: 'custom', message: `WEBHOOK_URLS: not an http(s) URL: ${shown}` });
          else if (urlCredentials(u).userinfo) ctx.addIssue({ code: 'custom', message: `WEBHOOK_URLS: ${shown} carries user:password, which fetch refuses (quoting the URL in its error); a receiver authenticates deliveries by their signature (WEBHOOK_SECRET), or takes a token in the URL's query, which is never shown` });
        }
        return urls;
      }),
    { group: 'webhooks', format: 'comma-separated http(s) URLs', shownDefault: 'none', description: 'Endpoints that receive every finished job (completed or failed), signed.' },
  ),
  WEBHOOK_SECRET: doc(
    z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'WEBHOOK_SECRET must be whsec_ followed by base64')
      .refine((v) => Buffer.from(v.slice(6), 'base64').length >= 24, 'WEBHOOK_SECRET must hold at least 24 bytes')
      .optional(),
    {
      group: 'webhooks', format: '`whsec_` + base64 of ≥ 24 bytes', shownDefault: 'required with `WEBHOOK_URLS`',
      description: 'The signing secret (Standard Webhooks): `echo whsec_$(openssl rand -base64 32)`.',
    },
  ),
  WEBHOOK_TIMEOUT_MS: doc(int(10_000, 50, 120_000), { group: 'webhooks', description: "How long one delivery attempt waits for the endpoint's answer." }),
  WEBHOOK_MAX_ATTEMPTS: doc(int(8, 1, 50), { group: 'webhooks', description: 'Attempts per delivery before giving up (with backoff between them).' }),
  WEBHOOK_RETRY_BASE_MS: doc(int(1000, 10, 600_000), { group: 'webhooks', description: "The first retry's delay; each next one doubles (jittered to ½–1 of it), capped at 10 minutes." }),
  WEBHOOK_TICK_MS: doc(int(1000, 20, 60_000), { group: 'webhooks', description: 'How often each instance looks for due deliveries (it also looks at once after enqueueing).' }),
  WEBHOOK_SWEEP_MS: doc(int(30_000, 100, 3_600_000), {
    group: 'webhooks',
    description: 'How often each instance enqueues again the webhooks that recently finished jobs lack (their instance died between the terminal write and the enqueue).',
  }),
});

/**
 * Old names still accepted, new name → old name. Set either; both set to different values is
 * refused at start-up, since which one wins would be a guess.
 */
export const envAliases = {
  PROCESS_TIER_MAX_AGE_MS: 'L1_MAX_AGE_MS',
  PROCESS_TIER_MAX_ENTRIES: 'L1_MAX_ENTRIES',
  PROCESS_TIER_MAX_BYTES: 'L1_MAX_BYTES',
} as const satisfies Partial<Record<keyof z.input<typeof envVariables>, string>>;

/** Copies an old name's value to its new name before parsing; refuses both set to different values. */
function resolveAliases(input: unknown, ctx: z.RefinementCtx): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const env: Record<string, unknown> = { ...input };
  for (const [name, old] of Object.entries(envAliases)) {
    const previous = env[old];
    if (previous === undefined) continue;
    const current = env[name];
    if (current === undefined) env[name] = previous;
    else if (String(current).trim() !== String(previous).trim()) {
      ctx.addIssue({ code: 'custom', path: [name], message: `${name} (${String(current)}) and its old name ${old} (${String(previous)}) are both set, to different values: set ${name} only` });
    }
  }
  return env;
}

export const envSchema = z.preprocess(
  resolveAliases,
  envVariables
    .refine((e) => !e.WEBHOOK_URLS.length || e.WEBHOOK_SECRET, {
      message: 'WEBHOOK_SECRET is required when WEBHOOK_URLS is set (whsec_ + base64 of at least 24 random bytes)',
      path: ['WEBHOOK_SECRET'],
    })
    .refine((e) => e.INSTANCE_HEARTBEAT_MS < e.INSTANCE_TTL_MS, {
      message: 'INSTANCE_HEARTBEAT_MS must be below INSTANCE_TTL_MS, or a live instance would look dead between heartbeats',
      path: ['INSTANCE_HEARTBEAT_MS'],
    })
    .refine((e) => !e.CATALOG_PREFIX.startsWith(e.ADMIN_PREFIX) && !e.ADMIN_PREFIX.startsWith(e.CATALOG_PREFIX), {
      message: 'CATALOG_PREFIX and ADMIN_PREFIX must not overlap: invalidation could reach admin data',
      path: ['ADMIN_PREFIX'],
    })
    .superRefine((e, ctx) => {
      for (const { path, message } of oidcProblems(e)) ctx.addIssue({ code: 'custom', path: [path], message });
    })
    .superRefine((e, ctx) => {
      if (e.CATALOG_KEYS === undefined) return;
      const parsed = parseTemplates(e.CATALOG_KEYS, reservedPrefixes(e));
      if (!parsed.ok) for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', path: ['CATALOG_KEYS'], message: problem });
    })
    .transform((e) => {
      const parsed = e.CATALOG_KEYS === undefined ? null : parseTemplates(e.CATALOG_KEYS, reservedPrefixes(e));
      return { ...e, catalogTemplates: parsed?.ok ? parsed.templates : undefined };
    }),
);

/** A comma-separated list of claim values, trimmed, empties dropped. */
function groupList(name: string) {
  return z
    .string()
    .default('')
    .transform((text, ctx) => {
      const values = text.split(',').map((v) => v.trim()).filter(Boolean);
      if (values.some((v) => v.length > 256)) ctx.addIssue({ code: 'custom', message: `${name}: a value is longer than 256 characters` });
      return values;
    });
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The single sign-on settings checked together: every problem in words, by variable. */
export function oidcProblems(e: {
  OIDC_ISSUER?: string; OIDC_CLIENT_ID?: string; OIDC_CLIENT_SECRET?: string; APP_ORIGIN?: string; LOCAL_SIGN_IN: boolean;
  OIDC_ADMIN_GROUPS: string[]; OIDC_OPERATOR_GROUPS: string[]; OIDC_VIEWER_GROUPS: string[];
}): { path: string; message: string }[] {
  const parts = { OIDC_ISSUER: e.OIDC_ISSUER, OIDC_CLIENT_ID: e.OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: e.OIDC_CLIENT_SECRET };
  const set = Object.entries(parts).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (set.length === 0) {
    return e.LOCAL_SIGN_IN ? [] : [{ path: 'LOCAL_SIGN_IN', message: 'LOCAL_SIGN_IN=false needs single sign-on (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET): nobody could sign in at the login page' }];
  }
  const problems: { path: string; message: string }[] = [];
  for (const name of Object.keys(parts).filter((k) => !set.includes(k))) {
    problems.push({ path: name, message: `${name} is missing: single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together (${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set)` });
  }
  if (e.OIDC_ISSUER) {
    const url = new URL(e.OIDC_ISSUER);
    if (url.protocol !== 'https:' && !LOOPBACK_HOSTS.has(url.hostname)) problems.push({ path: 'OIDC_ISSUER', message: `OIDC_ISSUER must use https (plain http is allowed only on a loopback address, for tests): ${url.origin}` });
    if (url.search || url.hash || url.username || url.password) problems.push({ path: 'OIDC_ISSUER', message: 'OIDC_ISSUER must be the bare issuer URL: no query, fragment or user:password' });
  }
  if (!e.APP_ORIGIN) problems.push({ path: 'APP_ORIGIN', message: 'APP_ORIGIN is required with single sign-on: the redirect URI registered at the identity provider is <APP_ORIGIN>/api/auth/oidc/callback' });
  if (!e.OIDC_ADMIN_GROUPS.length && !e.OIDC_OPERATOR_GROUPS.length && !e.OIDC_VIEWER_GROUPS.length) {
    problems.push({ path: 'OIDC_VIEWER_GROUPS', message: 'single sign-on needs at least one of OIDC_ADMIN_GROUPS, OIDC_OPERATOR_GROUPS, OIDC_VIEWER_GROUPS: with none, everyone would be refused' });
  }
  return problems;
}

/** No catalog template may build a key under these: admin data, and this app's own fences and leases. */
function reservedPrefixes(e: { ADMIN_PREFIX: string; CATALOG_PREFIX: string }) {
  return [
    { label: 'ADMIN_PREFIX', prefix: e.ADMIN_PREFIX },
    { label: 'CATALOG_PREFIX (where this app keeps its fences and leases beside a custom layout)', prefix: e.CATALOG_PREFIX },
  ];
}

export type Env = z.infer<typeof envSchema>;

/** No proxy is trusted (`null`), the last `hops` entries are our proxies', or our proxies are in these CIDRs. */
export type TrustedProxies = null | { hops: number } | { cidrs: { address: string; prefix: number; family: 'ipv4' | 'ipv6' }[] };

/** `TRUSTED_PROXIES` in words, or a sentence saying what is wrong with it. */
export function parseTrustedProxies(text: string): TrustedProxies | string {
  const trimmed = text.trim();
  if (!trimmed || trimmed === 'none') return null;
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    return hops >= 1 && hops <= 10 ? { hops } : 'TRUSTED_PROXIES as a hop count must be 1 to 10 (empty for none)';
  }
  const cidrs = [];
  for (const part of trimmed.split(',').map((p) => p.trim())) {
    const [address = '', prefixText] = part.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!family || !/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix > max) return `TRUSTED_PROXIES: ${part.slice(0, 60)} is not an address or CIDR (e.g. 10.0.0.0/8, ::1)`;
    cidrs.push({ address, prefix, family: family === 6 ? ('ipv6' as const) : ('ipv4' as const) });
  }
  return { cidrs };
}

/**
 * Why a provider source's URL is refused, or null. A credential in the URL leaks: fetch refuses
 * `user:password@` and quotes the whole URL in its error, and a query is easy to print by mistake.
 * Other query parameters (`api-version=…`) are fine; every URL shown anywhere is redacted anyway.
 */
export function sourceUrlProblem(url: string): string | null {
  const { userinfo, secretParams } = urlCredentials(url);
  const instead = 'put the key in its own environment variable and name it with "apiKeyEnv" (sent as Authorization: Bearer), or with "headersEnv" for another header (e.g. {"x-api-key": "ACME_API_KEY"})';
  if (userinfo) return `the URL carries user:password, which fetch refuses (and its error would quote them): ${instead}`;
  if (secretParams.length) return `the URL's query parameter ${secretParams.join(', ')} looks like a credential, and a URL is shown and logged: ${instead}`;
  return null;
}

/** The credential problems of PROVIDER_SOURCES' URLs, by path (the rest of its checks are the registry's). */
function providerSourcesUrlProblems(text: string | undefined): { path: string[]; message: string }[] {
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [{ path: [], message: 'PROVIDER_SOURCES is not valid JSON' }];
  }
  if (!parsed || typeof parsed !== 'object') return [];
  return Object.entries(parsed as Record<string, { url?: unknown } | null>).flatMap(([name, entry]) => {
    const problem = typeof entry?.url === 'string' ? sourceUrlProblem(entry.url) : null;
    return problem ? [{ path: [name, 'url'], message: problem }] : [];
  });
}

let cached: Env | undefined;

/** Parses the environment once; a bad value stops the start with every problem named. */
export function getEnv(source: Record<string, string | undefined> = process.env): Env {
  if (cached && source === process.env) return cached;
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'env'}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  if (source === process.env) cached = parsed.data;
  return parsed.data;
}

/** Secrets named by configuration (a provider's API key) are read here too, so env stays in one place. */
export function readSecret(name: string): string | undefined {
  return process.env[name];
}
