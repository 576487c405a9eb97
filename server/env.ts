/**
 * The one zod-validated view of the environment. Nothing else reads `process.env` (scripts aside),
 * and it is read lazily: `next build` imports modules without the runtime secrets.
 */
import 'server-only';
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseTemplates } from '~/server/lib/key-templates';
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

export const envSchema = z
  .object({
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'REDIS_URL must be a redis:// or rediss:// URL' }).default('redis://127.0.0.1:6379'),
    /** Where the catalog lives, when not beside the admin data (jobs, events, history, sessions). */
    CATALOG_REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'CATALOG_REDIS_URL must be a redis:// or rediss:// URL' }).optional(),
    /** `host:port,…` of a Redis Cluster: admin data and the catalog go there (it replaces REDIS_URL). */
    REDIS_CLUSTER_NODES: clusterNodes('REDIS_CLUSTER_NODES'),
    /** The catalog on a cluster of its own (replaces CATALOG_REDIS_URL). */
    CATALOG_REDIS_CLUSTER_NODES: clusterNodes('CATALOG_REDIS_CLUSTER_NODES'),
    ADMIN_TOKEN: z.string({ error: 'ADMIN_TOKEN is required (scripts/start.sh generates one)' }).min(24, 'ADMIN_TOKEN must be at least 24 characters'),
    CATALOG_PREFIX: prefix.default('catalog:'),
    /**
     * A gateway's own key layout: JSON of key templates (server/lib/key-templates.ts). Unset: this
     * project's layout under CATALOG_PREFIX.
     */
    CATALOG_KEYS: z.string().optional(),
    ADMIN_PREFIX: prefix.default('cacheadmin:'),
    CATALOG_TTL_SECONDS: int(3600, 1, 30 * 86400),
    /**
     * JSON map of provider name → { url, apiKeyEnv?, headersEnv? } for OpenAI-compatible `GET /v1/models`
     * sources (validated in full by server/catalog/registry.ts; a credential in a URL is refused here).
     */
    PROVIDER_SOURCES: z
      .string()
      .optional()
      .superRefine((text, ctx) => {
        for (const { path, message } of providerSourcesUrlProblems(text)) ctx.addIssue({ code: 'custom', path, message });
      }),
    SESSION_TTL_SECONDS: int(12 * 3600, 60, 30 * 86400),
    COOKIE_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    HISTORY_RETENTION_DAYS: int(30, 1, 3650),
    EVENTS_MAXLEN: int(1000, 20, 100_000),
    JOB_CONCURRENCY: int(4, 1, 64),
    JOB_QUEUE_LIMIT: int(200, 1, 100_000),
    INVALIDATION_BATCH_KEYS: int(5000, 1, 1_000_000),
    /** How long refresh-and-verify waits for one provider's source before failing it (and keeping its last good copy). */
    REFRESH_TIMEOUT_MS: int(10_000, 100, 120_000),
    /** How often each instance looks for due scheduled refreshes. */
    SCHEDULE_TICK_MS: int(5_000, 20, 60_000),
    /** The shortest period a schedule may have (interval or cron), so a typo cannot hammer the sources. */
    SCHEDULE_MIN_INTERVAL_SECONDS: int(60, 1, 86_400),
    /** How long an instance's claim on a due schedule holds: if it dies before starting the run, another fires it after this. */
    SCHEDULE_CLAIM_MS: int(30_000, 200, 600_000),
    /**
     * A repeat of a job that sent its deletions less than this ago waits out the rest of it, and
     * further repeats join it: a burst of identical requests makes at most 2 jobs. 0: no wait.
     */
    COALESCE_WINDOW_MS: int(250, 0, 10_000),
    /** A running job's lease: a crashed instance's jobs are taken over within 1.5 × this. */
    JOB_LEASE_MS: int(10_000, 200, 600_000),
    /** A catalog rebuild's lease: how long a crashed rebuilder can hold up the readers waiting on it. */
    REBUILD_LEASE_MS: int(5000, 100, 120_000),
    /** How long a reader waits for another's rebuild before fetching from the source itself. */
    REBUILD_WAIT_MS: int(5000, 100, 120_000),
    /** On SIGTERM: how long running jobs may take to finish before their leases are released. */
    SHUTDOWN_GRACE_MS: int(8000, 0, 60_000),
    /** The panel's own origin (e.g. https://cache-admin.example.com); without it, the Host the request was sent to. */
    APP_ORIGIN: z.url({ protocol: /^https?$/, error: 'APP_ORIGIN must be an http(s) origin like https://admin.example.com' }).transform((u) => new URL(u).origin).optional(),
    /** How long an instance remembers who a credential is (0: look it up on every request); revocations reach it at once over the activity channel. */
    AUTH_CACHE_MS: int(5000, 0, 60_000),
    /** Live streams (activity feeds, job event streams) one principal may hold open on one instance; the next is refused (429). */
    STREAMS_PER_PRINCIPAL: int(20, 1, 10_000),
    /** Events a live stream may have waiting for a client that does not read before it is dropped (the client then resumes). */
    STREAM_QUEUE_LIMIT: int(1000, 10, 1_000_000),
    AUDIT_RETENTION_DAYS: int(90, 1, 3650),
    AUDIT_MAXLEN: int(100_000, 1000, 10_000_000),
    /** Cap of the separate stream of anonymous refusals (unauthenticated calls, throttled sign-ins): a flood of them never pushes the trail out. */
    AUDIT_ANONYMOUS_MAXLEN: int(10_000, 100, 10_000_000),
    /**
     * Which X-Forwarded-For entries to believe: empty (none: every client's claim is ignored and all
     * share one address budget), a hop count (`1`: one proxy of ours appends the address it saw), or
     * a comma-separated list of CIDRs our proxies' addresses fall in.
     */
    TRUSTED_PROXIES: z
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
    /** Password hashes (scrypt) running at once, and waiting, per instance; beyond both: 503 with Retry-After. */
    PASSWORD_HASH_CONCURRENCY: int(2, 1, 64),
    PASSWORD_HASH_QUEUE: int(8, 0, 1000),
    /** scrypt's cost N = 2^this (r=8, p=1); older hashes are redone at the next sign-in. */
    SCRYPT_LOG2_N: int(17, 15, 20),
    /** Schedules that may exist at once. */
    SCHEDULES_MAX: int(100, 1, 10_000),
    /** Failed sign-ins allowed per account, and per client address, in LOGIN_WINDOW_SECONDS. */
    LOGIN_FAILURES_PER_ACCOUNT: int(5, 1, 1000),
    LOGIN_FAILURES_PER_ADDRESS: int(20, 1, 100_000),
    LOGIN_WINDOW_SECONDS: int(900, 1, 86400),
    /** Invalidations (new jobs; coalesced requests are free) per actor and in all, per minute. */
    INVALIDATIONS_PER_ACTOR_PER_MINUTE: int(60, 1, 100_000),
    INVALIDATIONS_PER_MINUTE: int(300, 1, 1_000_000),
    /** Log lines at this level and above (JSON on stdout). */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Coloured lines for a person instead of JSON (`npm start` sets it when its output is a terminal). */
    LOG_PRETTY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    /** A bearer token that may read GET /api/metrics and nothing else (an admin's token may too). */
    METRICS_TOKEN: z.string().min(24, 'METRICS_TOKEN must be at least 24 characters').optional(),
    /** Endpoints that receive every finished job (comma-separated http(s) URLs). */
    WEBHOOK_URLS: z
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
    /** The signing secret, `whsec_` + base64 of at least 24 bytes (Standard Webhooks). */
    WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'WEBHOOK_SECRET must be whsec_ followed by base64')
      .refine((v) => Buffer.from(v.slice(6), 'base64').length >= 24, 'WEBHOOK_SECRET must hold at least 24 bytes')
      .optional(),
    /** How long one delivery attempt waits for the endpoint's answer. */
    WEBHOOK_TIMEOUT_MS: int(10_000, 50, 120_000),
    /** Attempts per delivery before giving up (with backoff between them). */
    WEBHOOK_MAX_ATTEMPTS: int(8, 1, 50),
    /** The first retry's delay; each next one doubles (with jitter), capped at 10 minutes. */
    WEBHOOK_RETRY_BASE_MS: int(1000, 10, 600_000),
    /** How often each instance looks for due deliveries (it also looks at once after enqueueing). */
    WEBHOOK_TICK_MS: int(1000, 20, 60_000),
    /** How often each instance enqueues again the webhooks that recently finished jobs lack (an instance died before enqueueing). */
    WEBHOOK_SWEEP_MS: int(30_000, 100, 3_600_000),
    /** How often each instance writes its heartbeat to the registry (and PINGs its invalidation subscriber). */
    INSTANCE_HEARTBEAT_MS: int(2000, 20, 60_000),
    /** An instance counts as live (a job waits for its ack) while its heartbeat is younger than this. */
    INSTANCE_TTL_MS: int(15_000, 100, 600_000),
    /** How long a job waits for the live instances' acks before naming the missing ones. */
    INSTANCE_CONFIRM_TIMEOUT_MS: int(5000, 10, 120_000),
    /** The in-process tier: the oldest copy it serves, counted from when its read began (the staleness bound). */
    L1_MAX_AGE_MS: int(5000, 10, 600_000),
    /** The in-process tier's bounds: copies held (0 disables the tier) and their total JSON size. */
    L1_MAX_ENTRIES: int(1000, 0, 1_000_000),
    L1_MAX_BYTES: int(64 * 1024 * 1024, 1024, 8 * 1024 * 1024 * 1024),
    /** The version this instance reports in the registry; npm sets `npm_package_version` under `npm start`. */
    APP_VERSION: z.string().min(1).optional(),
    npm_package_version: z.string().min(1).optional(),
  })
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
    if (e.CATALOG_KEYS === undefined) return;
    const parsed = parseTemplates(e.CATALOG_KEYS, reservedPrefixes(e));
    if (!parsed.ok) for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', path: ['CATALOG_KEYS'], message: problem });
  })
  .transform((e) => {
    const parsed = e.CATALOG_KEYS === undefined ? null : parseTemplates(e.CATALOG_KEYS, reservedPrefixes(e));
    return { ...e, catalogTemplates: parsed?.ok ? parsed.templates : undefined };
  });

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
