/**
 * Request bodies read with a size cap: a route handler gets the whole body from Next with no limit,
 * so an oversized (or endless chunked) body is cut off here with a 413 instead of filling memory.
 */
import 'server-only';
import { json } from './respond';

export const FORM_LIMIT_BYTES = 16 * 1024;
/** Enough for the largest valid request (10,000 provider names), with room to spare. */
export const API_LIMIT_BYTES = 1024 * 1024;

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${Math.round(limit / 1024)} KB`);
  }
}

export async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > limit) throw new BodyTooLarge(limit);
  if (!req.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The same request with its body read under the cap (GET and HEAD pass through untouched). */
export async function capped(req: Request, limit: number): Promise<Request> {
  if (req.method === 'GET' || req.method === 'HEAD') return req;
  const read = await readBody(req, limit);
  const body = new Uint8Array(read.byteLength);
  body.set(read);
  return new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
}

export const tooLarge = (err: BodyTooLarge) => json({ error: err.message }, 413);
