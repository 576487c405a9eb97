/** Schemas of the invalidation domain, shared by the routers, the REST routes, the engine and the tests. */
// @ts-nocheck
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import { z } from 'zod';
import { providerNameSchema } from '~/server/catalog/schema';
export const MAX_PROVIDERS_PER_REQUEST = 10_000;
export const invalidationRequestSchema = z.object(stryMutAct_9fa48("796") ? {} : (stryCov_9fa48("796"), {
  providers: z.union(stryMutAct_9fa48("797") ? [] : (stryCov_9fa48("797"), [z.literal(stryMutAct_9fa48("798") ? "" : (stryCov_9fa48("798"), 'all')), stryMutAct_9fa48("800") ? z.array(providerNameSchema).max(1, 'providers is empty: name at least one provider, or "all"').max(MAX_PROVIDERS_PER_REQUEST, `at most ${MAX_PROVIDERS_PER_REQUEST} providers per request`) : stryMutAct_9fa48("799") ? z.array(providerNameSchema).min(1, 'providers is empty: name at least one provider, or "all"').min(MAX_PROVIDERS_PER_REQUEST, `at most ${MAX_PROVIDERS_PER_REQUEST} providers per request`) : (stryCov_9fa48("799", "800"), z.array(providerNameSchema).min(1, stryMutAct_9fa48("801") ? "" : (stryCov_9fa48("801"), 'providers is empty: name at least one provider, or "all"')).max(MAX_PROVIDERS_PER_REQUEST, stryMutAct_9fa48("802") ? `` : (stryCov_9fa48("802"), `at most ${MAX_PROVIDERS_PER_REQUEST} providers per request`)))])),
  cacheType: z.enum(stryMutAct_9fa48("803") ? [] : (stryCov_9fa48("803"), [stryMutAct_9fa48("804") ? "" : (stryCov_9fa48("804"), 'models'), stryMutAct_9fa48("805") ? "" : (stryCov_9fa48("805"), 'all')])).default(stryMutAct_9fa48("806") ? "" : (stryCov_9fa48("806"), 'models')),
  /** Also drop the full catalog once, at the end (the old endpoint always did). */
  cascade: z.boolean().default(stryMutAct_9fa48("807") ? false : (stryCov_9fa48("807"), true)),
  /**
   * `delete` (the old endpoint's): the keys go, the next reader rebuilds. `soft`: each provider is
   * marked stale and readers keep the old catalog, flagged, while one fenced rebuild runs.
   */
  mode: z.enum(stryMutAct_9fa48("808") ? [] : (stryCov_9fa48("808"), [stryMutAct_9fa48("809") ? "" : (stryCov_9fa48("809"), 'delete'), stryMutAct_9fa48("810") ? "" : (stryCov_9fa48("810"), 'soft')])).default(stryMutAct_9fa48("811") ? "" : (stryCov_9fa48("811"), 'delete'))
}));
export type InvalidationRequestInput = z.input<typeof invalidationRequestSchema>;
export type InvalidationRequest = z.output<typeof invalidationRequestSchema>;

/** Job ids sort by creation time: 9 base-36 chars of milliseconds, then 10 random hex chars. */
export const JOB_ID = stryMutAct_9fa48("817") ? /^[0-9a-z]{9}[^0-9a-f]{10}$/ : stryMutAct_9fa48("816") ? /^[0-9a-z]{9}[0-9a-f]$/ : stryMutAct_9fa48("815") ? /^[^0-9a-z]{9}[0-9a-f]{10}$/ : stryMutAct_9fa48("814") ? /^[0-9a-z][0-9a-f]{10}$/ : stryMutAct_9fa48("813") ? /^[0-9a-z]{9}[0-9a-f]{10}/ : stryMutAct_9fa48("812") ? /[0-9a-z]{9}[0-9a-f]{10}$/ : (stryCov_9fa48("812", "813", "814", "815", "816", "817"), /^[0-9a-z]{9}[0-9a-f]{10}$/);
export const jobIdSchema = z.string().regex(JOB_ID, stryMutAct_9fa48("818") ? "" : (stryCov_9fa48("818"), 'not a job id'));
export const jobStatusSchema = z.enum(stryMutAct_9fa48("819") ? [] : (stryCov_9fa48("819"), [stryMutAct_9fa48("820") ? "" : (stryCov_9fa48("820"), 'queued'), stryMutAct_9fa48("821") ? "" : (stryCov_9fa48("821"), 'running'), stryMutAct_9fa48("822") ? "" : (stryCov_9fa48("822"), 'completed'), stryMutAct_9fa48("823") ? "" : (stryCov_9fa48("823"), 'failed')]));
export type JobStatus = z.infer<typeof jobStatusSchema>;
export const takeoverSchema = z.object(stryMutAct_9fa48("824") ? {} : (stryCov_9fa48("824"), {
  /** The instance that finished the job after the one running it stopped renewing its lease. */
  by: z.string(),
  from: z.string(),
  attempt: z.number().int()
}));
export const resultSchema = z.object(stryMutAct_9fa48("825") ? {} : (stryCov_9fa48("825"), {
  success: z.boolean(),
  providersInvalidated: z.number().int(),
  keysDeleted: z.number().int(),
  durationMs: z.number().int(),
  /** Soft invalidation: models hashes marked stale. */
  keysMarkedStale: z.number().int().optional(),
  takenOver: takeoverSchema.optional()
}));
export type InvalidationResult = z.infer<typeof resultSchema>;
export const commandErrorSchema = z.object(stryMutAct_9fa48("826") ? {} : (stryCov_9fa48("826"), {
  command: z.string(),
  keys: z.array(z.string()),
  error: z.string()
}));
export const jobErrorSchema = z.object(stryMutAct_9fa48("827") ? {} : (stryCov_9fa48("827"), {
  message: z.string(),
  /** What Redis said for each command that failed, when it got that far. */
  commandErrors: z.array(commandErrorSchema)
}));
export type JobError = z.infer<typeof jobErrorSchema>;
export type CommandError = z.infer<typeof commandErrorSchema>;
export const stageSchema = z.enum(stryMutAct_9fa48("828") ? [] : (stryCov_9fa48("828"), [stryMutAct_9fa48("829") ? "" : (stryCov_9fa48("829"), 'providers'), stryMutAct_9fa48("830") ? "" : (stryCov_9fa48("830"), 'pricing')]));
export type Stage = z.infer<typeof stageSchema>;
const at = z.number().int();
export const jobEventSchema = z.discriminatedUnion(stryMutAct_9fa48("831") ? "" : (stryCov_9fa48("831"), 'type'), stryMutAct_9fa48("832") ? [] : (stryCov_9fa48("832"), [z.object(stryMutAct_9fa48("833") ? {} : (stryCov_9fa48("833"), {
  type: z.literal(stryMutAct_9fa48("834") ? "" : (stryCov_9fa48("834"), 'queued')),
  at,
  providersTotal: z.number().int()
})), z.object(stryMutAct_9fa48("835") ? {} : (stryCov_9fa48("835"), {
  type: z.literal(stryMutAct_9fa48("836") ? "" : (stryCov_9fa48("836"), 'started')),
  at,
  providersTotal: z.number().int(),
  keysPlanned: z.number().int(),
  /** Set when another instance took the job over from one that died. */
  takenOver: takeoverSchema.optional()
})), z.object(stryMutAct_9fa48("837") ? {} : (stryCov_9fa48("837"), {
  type: z.literal(stryMutAct_9fa48("838") ? "" : (stryCov_9fa48("838"), 'progress')),
  at,
  stage: stageSchema,
  providersDone: z.number().int(),
  providersTotal: z.number().int(),
  keysDeleted: z.number().int()
})), z.object(stryMutAct_9fa48("839") ? {} : (stryCov_9fa48("839"), {
  type: z.literal(stryMutAct_9fa48("840") ? "" : (stryCov_9fa48("840"), 'completed')),
  at,
  result: resultSchema
})), z.object(stryMutAct_9fa48("841") ? {} : (stryCov_9fa48("841"), {
  type: z.literal(stryMutAct_9fa48("842") ? "" : (stryCov_9fa48("842"), 'failed')),
  at,
  error: jobErrorSchema,
  result: resultSchema
}))]));
export type JobEvent = z.infer<typeof jobEventSchema>;
export type TerminalEvent = Extract<JobEvent, {
  type: 'completed' | 'failed';
}>;
export const isTerminal = stryMutAct_9fa48("843") ? () => undefined : (stryCov_9fa48("843"), (() => {
  const isTerminal = (e: JobEvent): e is TerminalEvent => stryMutAct_9fa48("846") ? e.type === 'completed' && e.type === 'failed' : stryMutAct_9fa48("845") ? false : stryMutAct_9fa48("844") ? true : (stryCov_9fa48("844", "845", "846"), (stryMutAct_9fa48("848") ? e.type !== 'completed' : stryMutAct_9fa48("847") ? false : (stryCov_9fa48("847", "848"), e.type === (stryMutAct_9fa48("849") ? "" : (stryCov_9fa48("849"), 'completed')))) || (stryMutAct_9fa48("851") ? e.type !== 'failed' : stryMutAct_9fa48("850") ? false : (stryCov_9fa48("850", "851"), e.type === (stryMutAct_9fa48("852") ? "" : (stryCov_9fa48("852"), 'failed')))));
  return isTerminal;
})());

/** An event with its stream id, which is also its SSE id. */
export interface StoredEvent {
  id: string;
  event: JobEvent;
}
export const actorSchema = z.object(stryMutAct_9fa48("853") ? {} : (stryCov_9fa48("853"), {
  kind: z.enum(stryMutAct_9fa48("854") ? [] : (stryCov_9fa48("854"), [stryMutAct_9fa48("855") ? "" : (stryCov_9fa48("855"), 'token'), stryMutAct_9fa48("856") ? "" : (stryCov_9fa48("856"), 'session')])),
  label: z.string()
}));
export type Actor = z.infer<typeof actorSchema>;

/** Where a request came from. */
export const viaSchema = z.enum(stryMutAct_9fa48("857") ? [] : (stryCov_9fa48("857"), [stryMutAct_9fa48("858") ? "" : (stryCov_9fa48("858"), 'trpc'), stryMutAct_9fa48("859") ? "" : (stryCov_9fa48("859"), 'rest'), stryMutAct_9fa48("860") ? "" : (stryCov_9fa48("860"), 'schedule')]));
export type Via = z.infer<typeof viaSchema>;

/** Everyone who asked for a job: its creator first, then each request that joined it (coalescing). */
export const askerSchema = z.object(stryMutAct_9fa48("861") ? {} : (stryCov_9fa48("861"), {
  actor: actorSchema,
  at: z.number().int(),
  via: viaSchema
}));
export type Asker = z.infer<typeof askerSchema>;
export const jobRecordSchema = z.object(stryMutAct_9fa48("862") ? {} : (stryCov_9fa48("862"), {
  id: z.string(),
  status: jobStatusSchema,
  request: invalidationRequestSchema,
  actor: actorSchema,
  providersTotal: z.number().int(),
  createdAt: z.number().int(),
  startedAt: z.number().int().nullable(),
  finishedAt: z.number().int().nullable(),
  result: resultSchema.nullable(),
  error: jobErrorSchema.nullable(),
  /** Who asked (the first few hundred; `joined` counts every request that joined). */
  askers: z.array(askerSchema),
  joined: z.number().int(),
  /** 1, or more once another instance took the job over. */
  attempt: z.number().int()
}));
export type JobRecord = z.infer<typeof jobRecordSchema>;
export const historyQuerySchema = z.object(stryMutAct_9fa48("863") ? {} : (stryCov_9fa48("863"), {
  limit: stryMutAct_9fa48("865") ? z.number().int().max(1).max(100).default(20) : stryMutAct_9fa48("864") ? z.number().int().min(1).min(100).default(20) : (stryCov_9fa48("864", "865"), z.number().int().min(1).max(100).default(20)),
  cursor: jobIdSchema.nullish(),
  provider: providerNameSchema.optional(),
  status: jobStatusSchema.optional()
}));
export type HistoryQuery = z.output<typeof historyQuerySchema>;
export type HistoryQueryInput = z.input<typeof historyQuerySchema>;
export interface HistoryPage {
  items: JobRecord[];
  nextCursor: string | null;
}

/** What `start` answers: the job that will do the work, and whether the request joined an existing one. */
export interface StartResult {
  jobId: string;
  coalesced: boolean;
}