/** What refresh-and-verify reports per provider; shared by the job events, the result and the panel. */
import { z } from 'zod';

/** `held`: the catalog guard did not publish the answer (server/guard/); readers keep the last published catalog. */
export const refreshStatusSchema = z.enum(['refreshed', 'unchanged', 'failed', 'held']);
export type RefreshStatus = z.infer<typeof refreshStatusSchema>;

export const providerRefreshSchema = z.object({
  provider: z.string(),
  status: refreshStatusSchema,
  /** Model ids the source has now and the cache did not. */
  added: z.array(z.string()),
  /** Model ids the cache had and the source no longer lists. */
  removed: z.array(z.string()),
  /** Model ids on both sides whose name, context length, prices or modalities changed. */
  changed: z.array(z.string()),
  /** Models cached after the refresh (the new list, or the copy kept when it failed). */
  modelCount: z.number().int().nullable(),
  /** Why the refresh of this provider failed, and what was kept, in words. */
  error: z.string().optional(),
  /** `held`: the guard's rules the answer broke, in words. */
  breaches: z.array(z.string()).optional(),
  /** Rules whose action is `alert` that the answer broke (published all the same), in words. */
  alerts: z.array(z.string()).optional(),
});
export type ProviderRefresh = z.infer<typeof providerRefreshSchema>;
