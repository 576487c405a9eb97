/**
 * `npm run cli -- <command>`: the catalog invalidator from a deploy pipeline or a terminal, through
 * the typed tRPC client (scripts/cli/client.ts). Configured by CATALOG_URL and CATALOG_TOKEN, or
 * --url and --token.
 *
 *   invalidate groq,xai --wait     start a job and follow it to the end (progress bar on a terminal)
 *   invalidate all --soft --refresh
 *   invalidate groq --preview      what it would delete, changing nothing
 *   status <jobId> [--wait]        one job
 *   history [--limit 20]           the newest jobs
 *   catalog held [provider]        the catalog guard's held candidates (scripts/cli/catalog.ts)
 *   catalog approve|reject <provider> [--id <id>]
 *   policy export                  the guard's policy and the overrides as one JSON document
 *   policy apply FILE [--dry-run]  make the server match it (says each change; --dry-run changes nothing)
 *   --json                         one JSON object on stdout (the result), nothing else
 *
 * Exit codes: 0 done (or started, without --wait), 1 the job failed, 2 bad input or unknown
 * provider or job, 3 refused (401, 403), 4 rate limited (429, with the wait), 5 unreachable or
 * unavailable: for 2–5 no job was started. 6 the job was created (its id is in the output) but
 * how it ends is not known: --timeout passed, or it could not be asked for; do not start it again,
 * follow it with `status <jobId> --wait`.
 *
 * With --wait the job is followed to its end whatever happens to its event stream (refused with
 * 429 because the token's live streams are all in use, cut, ended early): the CLI then polls the
 * job (scripts/cli/follow.ts). Every line and JSON object printed after the job exists names it.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import type { InvalidationResult, JobEvent, JobRecord } from '~/server/invalidation/schema';
import { registerCatalogCommands } from './cli/catalog';
import { catalogClient, describeFailure, EXIT, type CatalogClient } from './cli/client';
import { followJob, JobStateUnknown } from './cli/follow';
import { registerPolicyCommands } from './cli/policy';

interface Globals {
  url?: string;
  token?: string;
  json?: boolean;
  timeout: number;
}

class Exit extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

const program = new Command('catalog')
  .description('Invalidate the LLM gateway catalog cache and follow the jobs')
  .addHelpText(
    'after',
    `
Exit codes:
  0  done (or started, without --wait)
  1  the job failed (its error in words)
  2  bad input, unknown provider or job          (no job was started)
  3  refused: 401 bad or revoked token, 403 role  (no job was started)
  4  rate limited (429, with the wait)            (no job was started)
  5  unreachable or unavailable                   (no job was started)
  6  the job was created (its id is printed) but how it ends is unknown: --timeout passed
     or the server could not be asked. Do not run the command again (that makes a second
     job): follow it with "status <jobId> --wait".`,
  )
  .addOption(new Option('--url <url>', 'the panel, e.g. https://cache-admin.example.com').env('CATALOG_URL'))
  .addOption(new Option('--token <token>', 'an API token (or the admin token)').env('CATALOG_TOKEN'))
  .option('--json', 'print one JSON object with the result on stdout, nothing else')
  .option('--timeout <seconds>', 'give up waiting after this long', positiveInt, 300)
  .showHelpAfterError()
  .exitOverride((err) => {
    // Usage errors (unknown option, missing argument) exit 2; --help and --version exit 0.
    process.exit(err.exitCode === 0 ? 0 : EXIT.usage);
  });

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

function providersArg(value: string): string[] | 'all' {
  if (value === 'all') return 'all';
  const names = value.split(',').map((p) => p.trim()).filter(Boolean);
  if (!names.length) throw new InvalidArgumentError('name providers separated by commas, or "all"');
  return names;
}

function connect(): { client: CatalogClient; globals: Globals; base: string } {
  const globals = program.opts<Globals>();
  if (!globals.url) throw new Exit(EXIT.usage, 'no server: set CATALOG_URL or pass --url');
  if (!globals.token) throw new Exit(EXIT.usage, 'no token: set CATALOG_TOKEN or pass --token');
  return { client: catalogClient(globals.url, globals.token), globals, base: globals.url };
}

/** Progress on stderr: a bar on a terminal, plain lines otherwise, nothing under --json. */
function reporter(json: boolean | undefined) {
  const tty = Boolean(process.stderr.isTTY) && !json;
  let bar: SingleBar | null = null;
  const line = (text: string) => {
    if (!json && !tty) process.stderr.write(`${text}\n`);
  };
  return {
    event(event: JobEvent) {
      if (event.type === 'started' || event.type === 'queued') {
        if (tty && !bar) {
          bar = new SingleBar({ format: ' {bar} {percentage}% | {value}/{total} providers | {keys} keys', hideCursor: true, clearOnComplete: false, stream: process.stderr });
          bar.start(event.providersTotal, 0, { keys: 0 });
        }
        line(event.type === 'queued' ? `queued: ${event.providersTotal} providers` : `started: ${event.providersTotal} providers, ${event.keysPlanned} keys planned${event.takenOver ? ` (taken over by ${event.takenOver.by})` : ''}`);
      } else if (event.type === 'progress') {
        bar?.update(event.providersDone, { keys: event.keysDeleted });
        line(
          event.stage === 'refresh' && event.refresh
            ? `refresh ${event.refresh.provider}: ${event.refresh.status}${event.refresh.error ? ` (${event.refresh.error})` : ''}`
            : `progress: ${event.providersDone}/${event.providersTotal} providers, ${event.keysDeleted} keys`,
        );
      } else {
        bar?.update(event.type === 'completed' ? event.result.providersInvalidated : (bar?.getProgress() ?? 0), { keys: event.result.keysDeleted });
        bar?.stop();
        bar = null;
      }
    },
    stop: () => bar?.stop(),
  };
}

const summary = (r: InvalidationResult) => `Invalidated ${r.providersInvalidated} providers, deleted ${r.keysDeleted} keys in ${r.durationMs} ms`;

/** Follows a job to its end: its event stream, else polling (scripts/cli/follow.ts). */
async function follow(client: CatalogClient, jobId: string, json: boolean | undefined, timeoutSeconds: number): Promise<Extract<JobEvent, { type: 'completed' | 'failed' }>> {
  const progress = reporter(json);
  try {
    return await followJob(client, jobId, program.opts<Globals>().url ?? '', {
      timeoutSeconds,
      onEvent: (event) => progress.event(event),
      onFallback: (reason) => {
        progress.stop();
        if (!json) process.stderr.write(`live stream unavailable (${reason}); polling job ${jobId}\n`);
      },
    });
  } finally {
    progress.stop();
  }
}

function print(json: boolean | undefined, body: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(body)}\n` : `${text}\n`);
}

function ended(json: boolean | undefined, jobId: string, coalesced: boolean | undefined, end: Extract<JobEvent, { type: 'completed' | 'failed' }>): never {
  const body = { jobId, ...(coalesced !== undefined ? { coalesced } : {}), status: end.type, result: end.result, error: end.type === 'failed' ? end.error : null };
  if (end.type === 'completed') {
    print(json, body, `${summary(end.result)} (job ${jobId})`);
    process.exit(EXIT.ok);
  }
  if (json) print(true, body, '');
  throw new Exit(EXIT.jobFailed, `job ${jobId} failed: ${end.error.message}`, json ? null : undefined);
}

program
  .command('invalidate')
  .description('invalidate providers ("all", or names separated by commas)')
  .argument('<providers>', 'groq,xai or all', providersArg)
  .option('--wait', 'follow the job to its end; exit 0 only if it completes')
  .option('--soft', 'mark stale instead of deleting (readers keep the old copy while one rebuild runs)')
  .option('--refresh', 'refetch, verify and store each provider after the invalidation')
  .option('--no-refresh', 'no refresh, even with --soft')
  .option('--no-cascade', 'keep the full catalog')
  .addOption(new Option('--cache-type <type>', 'models, or all (pricing and the provider list too)').choices(['models', 'all']).default('models'))
  .option('--preview', 'show what the job would do, change nothing')
  .action(async (providers: string[] | 'all', o: { wait?: boolean; soft?: boolean; refresh?: boolean; cascade: boolean; cacheType: 'models' | 'all'; preview?: boolean }) => {
    const { client, globals } = connect();
    const request = {
      providers,
      cacheType: o.cacheType,
      cascade: o.cascade,
      mode: o.soft ? ('soft' as const) : ('delete' as const),
      // Neither flag: the server's default (on for --soft, off otherwise).
      ...(o.refresh !== undefined ? { refresh: o.refresh } : {}),
    };
    if (o.preview) {
      const preview = await client.invalidation.preview.query(request);
      const lines = preview.providers.map((p) => `  ${p.provider}: ${p.keys.map((k) => `${k.key}${k.exists ? '' : ' (absent)'}`).join(', ')}`);
      print(globals.json, preview, [`Would ${preview.action} ${preview.keysPlanned} keys (${preview.keysExisting} exist now)${preview.refresh ? ', then refresh' : ''}:`, ...lines].join('\n'));
      return;
    }
    const { jobId, coalesced } = await client.invalidation.start.mutate(request);
    if (!o.wait) {
      print(globals.json, { jobId, coalesced }, `${coalesced ? 'Joined' : 'Started'} job ${jobId}`);
      return;
    }
    if (!globals.json) process.stderr.write(`${coalesced ? 'Joined' : 'Started'} job ${jobId}\n`);
    ended(globals.json, jobId, coalesced, await follow(client, jobId, globals.json, globals.timeout));
  });

program
  .command('status')
  .description('one job: its status and result')
  .argument('<jobId>')
  .option('--wait', 'follow it to its end if it still runs')
  .action(async (jobId: string, o: { wait?: boolean }) => {
    const { client, globals } = connect();
    const record: JobRecord = await client.invalidation.get.query({ jobId });
    const done = record.status === 'completed' || record.status === 'failed';
    if (o.wait && !done) ended(globals.json, jobId, undefined, await follow(client, jobId, globals.json, globals.timeout));
    const words =
      record.status === 'completed' && record.result
        ? summary(record.result)
        : record.status === 'failed'
          ? `failed: ${record.error?.message ?? 'unknown error'}`
          : `${record.status} (${record.providersTotal} providers)`;
    print(globals.json, record, `${jobId} ${record.status}: ${words}`);
    if (record.status === 'failed') process.exit(EXIT.jobFailed);
  });

program
  .command('history')
  .description('the newest jobs, newest first')
  .option('--limit <n>', 'how many', positiveInt, 20)
  .action(async (o: { limit: number }) => {
    const { client, globals } = connect();
    const page = await client.invalidation.history.query({ limit: Math.min(o.limit, 100) });
    const lines = page.items.map((j) => {
      const scope = j.request.providers === 'all' ? 'all' : j.request.providers.join(',');
      const result = j.result ? `${j.result.keysDeleted} keys, ${j.result.durationMs} ms` : '';
      return `${j.id}  ${new Date(j.createdAt).toISOString()}  ${j.status.padEnd(9)}  ${j.actor.label}  ${scope}  ${result}`;
    });
    print(globals.json, page, lines.length ? lines.join('\n') : 'No jobs yet.');
  });

const commandDeps = {
  connect,
  print,
  fail: (code: number, message: string): never => {
    throw new Exit(code, message);
  },
};
registerCatalogCommands(program, commandDeps);
registerPolicyCommands(program, commandDeps);

program.parseAsync(process.argv).then(
  () => process.exit(EXIT.ok),
  (err: unknown) => {
    const json = program.opts<Globals>().json;
    if (err instanceof JobStateUnknown) {
      // The job exists: say which, and that running again would make a second one.
      if (json) print(true, { jobId: err.jobId, status: 'unknown', error: { code: 'JOB_STATE_UNKNOWN', message: err.message } }, '');
      process.stderr.write(`error: ${err.message}\njob ${err.jobId} was created; do not start it again: follow it with "status ${err.jobId} --wait"\n`);
      process.exit(EXIT.jobStateUnknown);
    }
    if (err instanceof Exit) {
      if (json && err.body !== null) print(true, { error: { code: 'EXIT', message: err.message } }, '');
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(err.code);
    }
    const failure = describeFailure(err, program.opts<Globals>().url ?? '');
    if (json) print(true, { error: failure }, '');
    process.stderr.write(`error: ${failure.message}\n`);
    process.exit(failure.exitCode);
  },
);
