/**
 * The guard's policy in Redis under the admin prefix: one JSON string (`keys.guardPolicy`), its
 * codec the zod schema beside it (schema.ts): written only as `policySchema` says, read back through
 * it, and a value that no longer parses (an edit by hand) falls back to the defaults, logged.
 *
 * Each instance keeps the policy it read for `maxAgeMs` (5 s by default) and its own saves at once,
 * so a refresh reads it at most once per period per instance (no round trip per provider, none for a
 * refresh right after another); another instance's save applies here within that period.
 */
import 'server-only';
import type { Logger } from '~/server/log/logger';
import type { RedisClient } from '~/server/redis/cluster';
import type { AdminKeys } from '~/server/redis/keys';
import { DEFAULT_POLICY, policySchema, type GuardPolicy, type GuardPolicyInput } from './schema';

export interface PolicyStoreDeps {
  redis: RedisClient;
  keys: Pick<AdminKeys, 'guardPolicy'>;
  now?: () => number;
  maxAgeMs?: number;
  log?: Logger;
}

export type PolicyStore = ReturnType<typeof createPolicyStore>;

/** The stored policy, or the defaults when none is stored or it does not parse (`problem` says why). */
export function decodePolicy(raw: string | null): { policy: GuardPolicy; problem?: string } {
  if (raw === null) return { policy: DEFAULT_POLICY };
  try {
    const parsed = policySchema.safeParse(JSON.parse(raw));
    return parsed.success ? { policy: parsed.data } : { policy: DEFAULT_POLICY, problem: parsed.error.message };
  } catch (err) {
    return { policy: DEFAULT_POLICY, problem: err instanceof Error ? err.message : String(err) };
  }
}

export function createPolicyStore({ redis, keys, now = Date.now, maxAgeMs = 5_000, log }: PolicyStoreDeps) {
  let memo: { policy: GuardPolicy; at: number } | null = null;
  let reading: Promise<GuardPolicy> | null = null;

  async function read(): Promise<GuardPolicy> {
    const { policy, problem } = decodePolicy(await redis.get(keys.guardPolicy));
    if (problem) log?.warn({ problem }, 'the stored catalog guard policy does not parse; using the defaults');
    memo = { policy, at: now() };
    return policy;
  }

  return {
    /** The policy as stored now (one round trip): what `policy.get` answers. */
    get: read,
    /** The policy for a check: this instance's copy when younger than `maxAgeMs`, concurrent callers sharing one read. */
    async current(): Promise<GuardPolicy> {
      if (memo && now() - memo.at < maxAgeMs) return memo.policy;
      reading ??= read().finally(() => (reading = null));
      return reading;
    },
    /** Validates and stores a whole policy; this instance uses it at once. */
    async save(input: GuardPolicyInput): Promise<GuardPolicy> {
      const policy = policySchema.parse(input);
      await redis.set(keys.guardPolicy, JSON.stringify(policy));
      memo = { policy, at: now() };
      return policy;
    },
  };
}
