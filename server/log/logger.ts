/**
 * The structured log: pino, one JSON object per line on stdout (`level`, `time`, `instance`, `msg`,
 * and the context of the line: `jobId`, `actor`, …), or coloured lines for a person at a terminal
 * (LOG_PRETTY, which `npm start` sets when its stdout is a TTY). Components get a child logger
 * through their deps; nothing here is a global a domain reaches for.
 *
 * What never reaches the log: secrets (redacted by path, below) and the arguments of Redis commands
 * (ioredis puts them on a `ReplyError`'s `command.args`: a session hash, a catalog, a password hash).
 * Errors are logged as `{ type, message, code, command, stack }`, never as whole objects, and every
 * URL in a message or stack loses its user:password and query (server/lib/redact.ts).
 */
import 'server-only';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';
import { redactText } from '~/server/lib/redact';

export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Field names whose values are secrets wherever they appear (top level or one object down). */
const SECRET_FIELDS = ['authorization', 'cookie', 'token', 'password', 'passwordHash', 'secret', 'adminToken', 'initialPassword', 'sessionId', 'apiKey'];
export const REDACTED_PATHS = [...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`), 'headers.authorization', 'headers.cookie', 'req.headers.authorization', 'req.headers.cookie'];

/** An error as the log shows it: no Redis arguments, no enumerable extras (which may hold request data). */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err, message: redactText(String(err)) };
  const { code, command } = err as Error & { code?: unknown; command?: { name?: unknown } };
  return {
    type: err.name,
    // A URL in an error (fetch quotes the whole of it) loses its user:password and query here too.
    message: redactText(err.message),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    // ioredis ReplyError: the command's name says what failed; its arguments are data, never logged.
    ...(command && typeof command.name === 'string' ? { command: command.name } : {}),
    ...(err.stack ? { stack: redactText(err.stack) } : {}),
    ...(err.cause !== undefined ? { cause: serializeError(err.cause) } : {}),
  };
}

export interface LoggerOptions {
  level: LogLevel;
  instance: string;
  /** Human-readable coloured lines instead of JSON (a terminal). */
  pretty?: boolean;
  /** Where lines go (tests capture them); stdout by default. */
  destination?: DestinationStream;
}

export function createLogger({ level, instance, pretty: human = false, destination }: LoggerOptions): Logger {
  const options = {
    level,
    base: { instance },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    serializers: { err: serializeError },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  // pino-pretty as a stream in this thread: no transport worker, which Next's server bundle cannot load.
  const out = destination ?? (human ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) : undefined);
  return out ? pino(options, out) : pino(options);
}

/** For a failure before any logger exists (the services could not be built): JSON on stdout still. */
let fallback: Logger | undefined;
export function fallbackLogger(): Logger {
  fallback ??= createLogger({ level: 'info', instance: 'unknown' });
  return fallback;
}

/** Who a job runs for, in a log field: kind and label, never a credential. */
export function actorLabel(actor: { kind: string; label: string } | null | undefined): string | undefined {
  return actor ? `${actor.kind}:${actor.label}` : undefined;
}
