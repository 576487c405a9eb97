/**
 * A loopback TCP proxy that sits between an ioredis client and a real redis-server.
 *
 * Benchmarks use it to add a fixed delay to every round trip (simulating network latency that
 * loopback does not have); tests use it to count round trips (to prove pipelining) and to inject
 * faults: stall traffic, drop every connection, or refuse new ones. Bytes are never altered.
 * Standard library only, so it can run anywhere the tests or benchmarks run.
 */
import net from 'node:net';

export interface RedisProxyOptions {
  target: { host: string; port: number };
  /** Listen port on 127.0.0.1; 0 or omitted = a free port chosen by the OS. */
  port?: number;
  /** Extra delay added to every client->server chunk (so each round trip costs this much more). */
  delayMs?: number;
}

export interface RedisProxy {
  readonly port: number;
  readonly url: string;
  /** Round trips seen since start or the last resetCounters(), summed over all connections. */
  roundTrips(): number;
  resetCounters(): void;
  setDelay(ms: number): void;
  /** Hold client->server bytes (buffer them, forward nothing) until resume(). Existing and new connections. */
  pause(): void;
  resume(): void;
  /**
   * Hold server->client bytes (replies, pub/sub messages) until `holdReplies(false)`: a peer that
   * lags (a GC pause, a slow link) while its connections stay open and its commands still reach Redis.
   */
  holdReplies(on: boolean): void;
  /** Connections that sent a request and have had no reply since (a request in flight, or held). */
  awaiting(): number;
  /** Destroy every open client and upstream socket at once (an outage as the client sees it). */
  dropConnections(): void;
  /** While true, new client connections are destroyed as soon as they are accepted. */
  refuseConnections(on: boolean): void;
  /** Number of currently open client connections. */
  connections(): number;
  close(): Promise<void>;
}

/** One proxied connection: the accepted client socket, its upstream socket and the bytes still to forward. */
interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** Client->server chunks not yet forwarded, each with the time it may be written upstream. */
  queue: { data: Buffer; due: number }[];
  timer: NodeJS.Timeout | undefined;
  /** True until the next client chunk: a reply (or nothing yet) came since the last request, so a new one is a new round trip. */
  replySeen: boolean;
  /** Server->client chunks held by holdReplies, in order. */
  held: Buffer[];
}

export async function startRedisProxy(options: RedisProxyOptions): Promise<RedisProxy> {
  const pairs = new Set<Pair>();
  let delayMs = options.delayMs ?? 0;
  let paused = false;
  let refusing = false;
  let holding = false;
  let trips = 0;

  // Forward queued chunks in order; a chunk whose time has come still waits behind an earlier one.
  function pump(pair: Pair): void {
    if (pair.timer || paused) return;
    for (let head = pair.queue[0]; head && !pair.upstream.destroyed; head = pair.queue[0]) {
      const wait = head.due - Date.now();
      if (wait > 0) {
        pair.timer = setTimeout(() => {
          pair.timer = undefined;
          pump(pair);
        }, wait);
        return;
      }
      pair.queue.shift();
      // Written before 'connect' is fine: net.Socket buffers until the upstream is connected.
      pair.upstream.write(head.data);
    }
  }

  function destroyPair(pair: Pair): void {
    if (!pairs.delete(pair)) return;
    clearTimeout(pair.timer);
    pair.timer = undefined;
    pair.queue.length = 0;
    pair.client.destroy();
    pair.upstream.destroy();
  }

  function onClientData(pair: Pair, data: Buffer): void {
    // Counted on arrival, so neither delay nor pause changes how many round trips a caller made.
    if (pair.replySeen) trips += 1;
    pair.replySeen = false;
    pair.queue.push({ data, due: Date.now() + delayMs });
    pump(pair);
  }

  function onUpstreamData(pair: Pair, data: Buffer): void {
    if (holding) return void pair.held.push(data);
    pair.replySeen = true;
    pair.client.write(data);
  }

  function releaseReplies(pair: Pair): void {
    if (!pair.held.length) return;
    pair.replySeen = true;
    for (const data of pair.held.splice(0)) pair.client.write(data);
  }

  function accept(client: net.Socket): void {
    // Attach the error handler first: a reset on a socket we are about to destroy must not crash the process.
    client.on('error', () => undefined);
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(options.target.port, options.target.host);
    const pair: Pair = { client, upstream, queue: [], timer: undefined, replySeen: true, held: [] };
    pairs.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // An error or close on either side (including a failed upstream connect) ends the whole pair.
    for (const socket of [client, upstream]) {
      socket.on('error', () => destroyPair(pair));
      socket.on('close', () => destroyPair(pair));
    }
    client.on('data', (data: Buffer) => onClientData(pair, data));
    upstream.on('data', (data: Buffer) => onUpstreamData(pair, data));
  }

  const server = net.createServer(accept);
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('redis proxy: no TCP address');
  const port = address.port;

  const dropConnections = (): void => [...pairs].forEach(destroyPair);

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    roundTrips: () => trips,
    resetCounters: () => { trips = 0; },
    setDelay: (ms) => { delayMs = ms; },
    pause: () => { paused = true; },
    resume: () => {
      paused = false;
      pairs.forEach(pump);
    },
    dropConnections,
    refuseConnections: (on) => { refusing = on; },
    holdReplies: (on) => {
      holding = on;
      if (!on) pairs.forEach(releaseReplies);
    },
    awaiting: () => [...pairs].filter((pair) => !pair.replySeen).length,
    connections: () => pairs.size,
    close: () =>
      new Promise<void>((resolve) => {
        // Resolve even if already closed: close() is called from cleanup hooks that may run twice.
        server.close(() => resolve());
        dropConnections();
      }),
  };
}
