import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { startRedisProxy, type RedisProxy } from '../../scripts/lib/redis-proxy';
import { until } from '../support/until';

const redisUrl = inject('redisUrl');
const target = new URL(redisUrl);

/** Fails fast instead of reconnecting, so fault-injection tests see errors rather than retries. */
const noRetry: RedisOptions = {
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  retryStrategy: () => null,
};

describe('redis proxy', () => {
  let direct: Redis;
  let proxy: RedisProxy;
  let prefix: string;
  const clients: Redis[] = [];
  const sockets: net.Socket[] = [];

  /** A client through the proxy; tracked so afterEach always disconnects it. */
  function viaProxy(options: RedisOptions = {}): Redis {
    const client = new Redis(proxy.url, options);
    // Fault tests provoke connection errors on purpose; without a listener ioredis logs them as unhandled.
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  }

  /** A client through the proxy whose handshake is done and whose counters start from zero. */
  async function readyClient(options: RedisOptions = {}): Promise<Redis> {
    const client = viaProxy(options);
    await client.ping();
    proxy.resetCounters();
    return client;
  }

  beforeAll(async () => {
    direct = new Redis(redisUrl);
    await direct.ping();
  });

  beforeEach(async () => {
    prefix = `test:${randomUUID()}:`;
    proxy = await startRedisProxy({ target: { host: target.hostname, port: Number(target.port) } });
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    for (const socket of sockets.splice(0)) socket.destroy();
    await proxy.close();
    const keys = await direct.keys(`${prefix}*`);
    if (keys.length > 0) await direct.del(...keys);
  });

  afterAll(async () => {
    await direct.quit();
  });

  it('counts a 200-command pipeline as one round trip and 20 awaited GETs as 20', async () => {
    const client = await readyClient();
    const pipeline = client.pipeline();
    for (let i = 0; i < 200; i++) pipeline.set(`${prefix}${i}`, String(i));
    await pipeline.exec();
    expect(proxy.roundTrips()).toBe(1);

    proxy.resetCounters();
    for (let i = 0; i < 20; i++) expect(await client.get(`${prefix}${i}`)).toBe(String(i));
    expect(proxy.roundTrips()).toBe(20);
  });

  it('counts a request split over two chunks and a reply in many chunks as one round trip', async () => {
    // A raw socket, so the request is provably split: the second half is written only after the proxy saw the first.
    const socket = net.connect(proxy.port, '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => undefined);
    let received = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => (received = Buffer.concat([received, data])));
    const big = randomBytes(1024 * 1024);
    await direct.set(`${prefix}big`, big);
    const key = `${prefix}big`;
    const get = `*2\r\n$3\r\nGET\r\n$${key.length}\r\n${key}\r\n`;

    socket.write(get.slice(0, 8));
    await until(() => expect(proxy.roundTrips()).toBe(1));
    socket.write(get.slice(8));
    const header = `$${big.length}\r\n`;
    await until(() => expect(received.length).toBe(header.length + big.length + 2));
    expect(received.subarray(header.length, header.length + big.length).equals(big)).toBe(true);
    expect(proxy.roundTrips()).toBe(1);

    socket.write('*1\r\n$4\r\nPING\r\n');
    await until(() => expect(received.toString('latin1').endsWith('+PONG\r\n')).toBe(true));
    expect(proxy.roundTrips()).toBe(2);
  });

  it('passes data unchanged both ways, including a 1 MiB value', async () => {
    const client = await readyClient();
    const big = randomBytes(1024 * 1024);
    await client.set(`${prefix}big`, big);
    await client.set(`${prefix}text`, 'héllo\r\n$5\r\nworld');
    expect((await direct.getBuffer(`${prefix}big`))?.equals(big)).toBe(true);
    expect((await client.getBuffer(`${prefix}big`))?.equals(big)).toBe(true);
    expect(await client.get(`${prefix}text`)).toBe('héllo\r\n$5\r\nworld');
    expect(proxy.roundTrips()).toBe(4);
  });

  it('holds commands while paused and forwards them on resume', async () => {
    const client = await readyClient();
    proxy.pause();
    const pending = client.set(`${prefix}paused`, 'v');
    // The proxy has the bytes (counted on arrival) but must not have forwarded them.
    await until(() => expect(proxy.roundTrips()).toBe(1));
    expect(await direct.exists(`${prefix}paused`)).toBe(0);

    proxy.resume();
    expect(await pending).toBe('OK');
    expect(await direct.get(`${prefix}paused`)).toBe('v');
  });

  it('holds replies while asked to (the command still runs) and counts the connection as awaiting', async () => {
    const client = await readyClient();
    expect(proxy.awaiting()).toBe(0);
    proxy.holdReplies(true);
    let answered = false;
    const pending = client.set(`${prefix}held`, 'v').then((reply) => ((answered = true), reply));
    // Redis ran the command; its reply waits in the proxy.
    await until(async () => expect(await direct.get(`${prefix}held`)).toBe('v'));
    expect(proxy.awaiting()).toBe(1);
    expect(answered).toBe(false);

    proxy.holdReplies(false);
    expect(await pending).toBe('OK');
    expect(proxy.awaiting()).toBe(0);
  });

  it('rejects a pending command when connections are dropped', async () => {
    const client = await readyClient(noRetry);
    proxy.pause();
    const pending = client.get(`${prefix}dropped`);
    await until(() => expect(proxy.roundTrips()).toBe(1));
    expect(proxy.connections()).toBe(1);

    proxy.dropConnections();
    await expect(pending).rejects.toThrow();
    expect(proxy.connections()).toBe(0);
  });

  it('refuses new connections while asked to, and accepts them again after', async () => {
    proxy.refuseConnections(true);
    const refused = viaProxy({ ...noRetry, lazyConnect: true });
    await expect(refused.connect()).rejects.toThrow();
    expect(proxy.connections()).toBe(0);

    proxy.refuseConnections(false);
    const accepted = viaProxy({ ...noRetry, lazyConnect: true });
    await accepted.connect();
    expect(await accepted.ping()).toBe('PONG');
    expect(proxy.connections()).toBe(1);
  });

  it('still returns the right values with a delay', async () => {
    const client = await readyClient();
    proxy.setDelay(30);
    await client.set(`${prefix}delayed`, 'slow');
    expect(await client.get(`${prefix}delayed`)).toBe('slow');
    expect(proxy.roundTrips()).toBe(2);
  });

  it('never reorders: a chunk sent after a delay change waits behind an earlier delayed one', async () => {
    const client = await readyClient();
    proxy.setDelay(200);
    const first = client.set(`${prefix}order`, 'first');
    await until(() => expect(proxy.roundTrips()).toBe(1), { interval: 2 });
    // The second write is due at once, but must still reach Redis after the first.
    proxy.setDelay(0);
    const second = client.set(`${prefix}order`, 'second');
    await Promise.all([first, second]);
    expect(await direct.get(`${prefix}order`)).toBe('second');
  });
});
