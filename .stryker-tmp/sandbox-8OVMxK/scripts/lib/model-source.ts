/**
 * A loopback OpenAI-compatible `GET /<provider>/v1/models` server for tests, the e2e suite and the
 * benchmark: each provider's answer is set at will (models, delay, status, raw body) and requests can
 * be held on a latch until released, so a race can be staged step by step. Counts every request.
 */
// @ts-nocheck

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SourceModel {
  id: string;
  name?: string;
  context_length?: number;
  pricing?: { prompt: string; completion: string };
}

export interface SourceBehaviour {
  models?: SourceModel[];
  /** Answer after this many milliseconds. */
  delayMs?: number;
  /** Answer with this status (and a short error body) instead of the models. */
  status?: number;
  /** Answer with this raw body (malformed JSON, an empty list…) instead of the models. */
  body?: string;
  /** Hold every request until `release(provider)`. */
  hold?: boolean;
}

export interface ModelSource {
  /** The models URL of one provider, for PROVIDER_SOURCES. */
  url(provider: string): string;
  /** `PROVIDER_SOURCES` JSON pointing each named provider here. */
  config(providers: string[]): string;
  set(provider: string, behaviour: SourceBehaviour): void;
  hits(provider: string): number;
  /** Requests waiting on the latch right now. */
  held(provider: string): number;
  release(provider: string): void;
  close(): Promise<void>;
}

export const sampleModels = (provider: string, count = 2): SourceModel[] =>
  Array.from({ length: count }, (_, i) => ({ id: `${provider}/model-${i + 1}`, context_length: 8192, pricing: { prompt: '0.000001', completion: '0.000002' } }));

export async function startModelSource(): Promise<ModelSource> {
  const behaviours = new Map<string, SourceBehaviour>();
  const hitCounts = new Map<string, number>();
  const latches = new Map<string, (() => void)[]>();

  const server = http.createServer((req, res) => {
    const provider = /^\/([^/]+)\/v1\/models$/.exec(req.url ?? '')?.[1];
    if (!provider) return void res.writeHead(404).end();
    hitCounts.set(provider, (hitCounts.get(provider) ?? 0) + 1);
    const behaviour = behaviours.get(provider) ?? {};
    const answer = () => {
      if (res.destroyed) return;
      if (behaviour.status) return void res.writeHead(behaviour.status, { 'content-type': 'application/json' }).end('{"error":"source error"}');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(behaviour.body ?? JSON.stringify({ object: 'list', data: behaviour.models ?? sampleModels(provider) }));
    };
    const afterDelay = () => (behaviour.delayMs ? setTimeout(answer, behaviour.delayMs) : answer());
    if (behaviour.hold) {
      const waiting = latches.get(provider) ?? [];
      waiting.push(afterDelay);
      latches.set(provider, waiting);
    } else afterDelay();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: (provider) => `${base}/${provider}/v1/models`,
    config: (providers) => JSON.stringify(Object.fromEntries(providers.map((p) => [p, { url: `${base}/${p}/v1/models` }]))),
    set: (provider, behaviour) => void behaviours.set(provider, behaviour),
    hits: (provider) => hitCounts.get(provider) ?? 0,
    held: (provider) => latches.get(provider)?.length ?? 0,
    release(provider) {
      const behaviour = behaviours.get(provider);
      if (behaviour) behaviours.set(provider, { ...behaviour, hold: false });
      for (const resume of latches.get(provider)?.splice(0) ?? []) resume();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const waiting of latches.values()) waiting.splice(0).forEach((resume) => resume());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
